import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { danishDate } from '../../../shared/domain/dates';
import {
  assessmentCreateBody,
  assessmentUpdateBody,
  caseCloseBody,
  caseCreateBody,
  caseListQuery,
  casePhaseBody,
  goalCreateBody,
  goalNoteBody,
  goalUpdateBody,
  versionBody,
} from '../../../shared/pathway';
import {
  idParams,
  proposalAcceptBody,
  proposalAnswerBody,
  worklistScopeQuery,
} from '../../../shared/schemas';
import { conflict, notFound } from '../../platform/errors';
import { mailAfterCommit } from '../../platform/mail';
import { inTenant } from '../../platform/request';
import * as assessments from '../assessments/assessments.service';
import { presentGoal } from '../goals/goals.presenter';
import * as goals from '../goals/goals.service';
import * as proposals from '../goals/proposals.service';
import { presentAssessment, presentCase, presentCaseSummary } from './cases.presenter';
import * as service from './cases.service';
import { readCase } from './cases.view';

const tags = ['sager'];
const CASE = 'Sagen';

/** Cases, their assessments (udredning) and goals: the first half of the citizen's pathway. */
export async function registerCaseRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const ref = () => app.ctx.reference;
  const today = () => danishDate(app.ctx.clock.now());
  const deliverMail = mailAfterCommit(app.ctx.mail);
  const view = async (req: Parameters<typeof inTenant>[0], id: string) => {
    const v = await inTenant(req, (tx, ctx) => readCase(tx, ctx, id));
    if (!v) throw notFound(CASE);
    return presentCase(req.actor!, ref(), v);
  };

  app.get('/api/cases', {
    schema: { tags, summary: 'Sager (mine / åbne)', querystring: caseListQuery },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: async (req) => {
      const rows = await inTenant(req, (tx, ctx) => service.listCases(tx, ctx, req.query));
      return { items: rows.map(presentCaseSummary) };
    },
  });

  app.get('/api/citizens/:id/cases', {
    schema: { tags, summary: 'Borgerens sager', params: idParams },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: async (req) => {
      const rows = await inTenant(req, (tx, ctx) => service.listCitizenCases(tx, ctx, req.params.id));
      if (!rows) throw notFound('Borgeren');
      return { items: rows.map(presentCaseSummary) };
    },
  });

  app.post('/api/citizens/:id/cases', {
    schema: { tags, summary: 'Opret sag på borgeren', params: idParams, body: caseCreateBody },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req, reply) => {
      const row = await inTenant(req, (tx, ctx) =>
        service.openCase(tx, ctx, req.params.id, req.body, today()),
      );
      if (!row) throw notFound('Borgeren');
      return reply.code(201).send(await view(req, row.id));
    },
  });

  app.get('/api/cases/:id', {
    schema: { tags, summary: 'Læs sag med udredninger og mål', params: idParams },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: (req) => view(req, req.params.id),
  });

  app.put('/api/cases/:id/phase', {
    schema: { tags, summary: 'Skift fase', params: idParams, body: casePhaseBody },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        service.setPhase(tx, ctx, req.params.id, req.body.phase, req.body.version),
      );
      if ('notFound' in r) throw notFound(CASE);
      if ('conflict' in r)
        throw conflict('version_conflict', 'Sagen er ændret af en anden.', {
          current: presentCaseSummary(r.conflict),
        });
      return presentCaseSummary(r.ok);
    },
  });

  app.post('/api/cases/:id/close', {
    schema: { tags, summary: 'Luk sagen med kodet begrundelse', params: idParams, body: caseCloseBody },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        service.closeCase(tx, ctx, ref(), req.params.id, req.body, today()),
      );
      if ('notFound' in r) throw notFound(CASE);
      if ('conflict' in r)
        throw conflict('version_conflict', 'Sagen er ændret af en anden.', {
          current: presentCaseSummary(r.conflict),
        });
      return presentCaseSummary(r.ok);
    },
  });

  app.post('/api/cases/:id/assessments', {
    schema: {
      tags,
      summary: 'Start udredning, revurdering eller opfølgning',
      params: idParams,
      body: assessmentCreateBody,
    },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req, reply) => {
      const a = await inTenant(req, (tx, ctx) =>
        assessments.startAssessment(tx, ctx, ref(), req.params.id, req.body, today()),
      );
      if (!a) throw notFound(CASE);
      return reply.code(201).send(presentAssessment(req.actor!, ref(), a));
    },
  });

  app.get('/api/assessments/:id', {
    schema: { tags, summary: 'Læs udredning', params: idParams },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: async (req) => {
      const a = await inTenant(req, (tx, ctx) => assessments.readAssessment(tx, ctx, req.params.id));
      if (!a) throw notFound('Udredningen');
      return presentAssessment(req.actor!, ref(), a);
    },
  });

  app.put('/api/assessments/:id', {
    schema: { tags, summary: 'Gem udredning (kladde)', params: idParams, body: assessmentUpdateBody },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        assessments.saveAssessment(tx, ctx, ref(), req.params.id, req.body),
      );
      if ('notFound' in r) throw notFound('Udredningen');
      if ('conflict' in r)
        throw conflict('version_conflict', 'Udredningen er ændret af en anden.', {
          current: presentAssessment(req.actor!, ref(), r.conflict),
        });
      return presentAssessment(req.actor!, ref(), r.ok);
    },
  });

  app.post('/api/assessments/:id/complete', {
    schema: { tags, summary: 'Afslut udredning (bliver historik)', params: idParams, body: versionBody },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        assessments.completeAssessment(tx, ctx, req.params.id, req.body.version),
      );
      if ('notFound' in r) throw notFound('Udredningen');
      if ('conflict' in r)
        throw conflict('version_conflict', 'Udredningen er ændret af en anden.', {
          current: presentAssessment(req.actor!, ref(), r.conflict),
        });
      return presentAssessment(req.actor!, ref(), r.ok);
    },
  });

  app.post('/api/cases/:id/goals', {
    schema: {
      tags,
      summary: 'Tilføj mål (borgerens mål, formål, indsatsmål, delmål)',
      params: idParams,
      body: goalCreateBody,
    },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req, reply) => {
      const g = await inTenant(req, (tx, ctx) => goals.createGoal(tx, ctx, ref(), req.params.id, req.body));
      if (!g) throw notFound(CASE);
      return reply.code(201).send(await view(req, req.params.id));
    },
  });

  app.put('/api/goals/:id', {
    schema: { tags, summary: 'Ret mål', params: idParams, body: goalUpdateBody },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => goals.updateGoal(tx, ctx, ref(), req.params.id, req.body));
      if ('notFound' in r) throw notFound('Målet');
      if ('conflict' in r)
        throw conflict('version_conflict', 'Målet er ændret af en anden.', {
          current: presentGoal(ref(), r.conflict, false),
        });
      return view(req, r.ok.caseId);
    },
  });

  app.post('/api/goals/:id/notes', {
    schema: { tags, summary: 'Tilføj dateret notat til mål', params: idParams, body: goalNoteBody },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req, reply) => {
      const g = await inTenant(req, (tx, ctx) => goals.addGoalNote(tx, ctx, req.params.id, req.body.body));
      if (!g) throw notFound('Målet');
      return reply.code(201).send(await view(req, g.caseId));
    },
  });

  app.get('/api/cases/:id/goal-proposals', {
    schema: { tags, summary: 'Borgerens forslag til mål (Mine mål)', params: idParams },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: async (req) => {
      const items = await inTenant(req, (tx, ctx) => proposals.caseProposals(tx, ctx, req.params.id));
      if (!items) throw notFound(CASE);
      return { items };
    },
  });

  app.get('/api/goal-proposals', {
    schema: {
      tags,
      summary: 'Borgeres forslag til mål, der venter på svar',
      querystring: worklistScopeQuery,
    },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: async (req) => ({
      items: await inTenant(req, (tx, ctx) => proposals.openProposals(tx, ctx, req.query.scope)),
    }),
  });

  app.post('/api/goal-proposals/:id/accept', {
    schema: {
      tags,
      summary: 'Tag borgerens forslag til mål op (målet oprettes eller ændres i borgerens ord)',
      params: idParams,
      body: proposalAcceptBody,
    },
    config: { policy: { action: 'case.write' }, audited: true },
    onResponse: deliverMail,
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        proposals.acceptProposal(tx, ctx, ref(), req.params.id, req.body, app.ctx.config.publicUrl),
      );
      if (!r) throw notFound('Forslaget');
      return r;
    },
  });

  app.post('/api/goal-proposals/:id/answer', {
    schema: {
      tags,
      summary: 'Svar borgeren på et forslag til mål',
      params: idParams,
      body: proposalAnswerBody,
    },
    config: { policy: { action: 'case.write' }, audited: true },
    onResponse: deliverMail,
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        proposals.answerProposal(tx, ctx, req.params.id, req.body, app.ctx.config.publicUrl),
      );
      if (!r) throw notFound('Forslaget');
      return r;
    },
  });

  app.get('/api/goals/:id/history', {
    schema: { tags, summary: 'Målets historik (ændringer og notater)', params: idParams },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: async (req) => {
      const items = await inTenant(req, (tx, ctx) => goals.goalHistory(tx, ctx, req.params.id));
      if (!items) throw notFound('Målet');
      return { items };
    },
  });
}
