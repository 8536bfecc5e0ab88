import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { danishDate } from '../../../shared/domain/dates';
import {
  portalGoalProposalBody,
  portalLogQuestionBody,
  portalLogQuestionParams,
  portalMeasurementBody,
  portalPreparationBody,
  portalWordsBody,
  portalWordsParams,
} from '../../../shared/schemas';
import { conflict, notFound } from '../../platform/errors';
import { citizenOf, inPortal } from '../../platform/request';
import { askAboutEvent } from '../audit/audit.questions';
import { myPreparation, myProgress, recordSelfMeasure, savePreparation } from './portal.followup';
import { myGoals, proposeGoal } from './portal.goals';
import { registerPortalLoginRoutes } from './portal.login';
import { myData, myDataPdf } from './portal.mydata';
import { myLog, myPlan, myWords, saveMyWords } from './portal.service';

const tags = ['portal'];

/** The citizen's own Retning (issue 14): every route but login runs as the citizen, confined by RLS. */
export async function registerPortalRoutes(root: FastifyInstance): Promise<void> {
  await registerPortalLoginRoutes(root);
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/api/portal/session', {
    schema: { tags, summary: 'Borgerens session' },
    config: { policy: { citizen: true, representative: 'read' } },
    handler: (req) => {
      const c = citizenOf(req);
      return {
        citizen: { firstName: c.firstName, lastName: c.lastName },
        /** A representative acting for the citizen: their name and what they may do. */
        representative: c.representative && { name: c.representative.name, scopes: c.representative.scopes },
        municipality: { name: c.municipalityName },
        level: c.level,
        csrfToken: c.csrfToken,
      };
    },
  });

  app.get('/api/portal/plan', {
    schema: { tags, summary: 'Min plan' },
    config: { policy: { citizen: true, representative: 'read' }, audited: true },
    handler: (req) => inPortal(req, (tx, ctx) => myPlan(tx, ctx, app.ctx.reference)),
  });

  app.get('/api/portal/log', {
    schema: { tags, summary: 'Min log: hvem har slået op i og ændret mine oplysninger' },
    config: { policy: { citizen: true, representative: 'read' }, audited: true },
    handler: (req) => inPortal(req, (tx, ctx) => myLog(tx, ctx)),
  });

  app.post('/api/portal/log/:eventId/question', {
    schema: {
      tags,
      summary: 'Det her forstår jeg ikke: et spørgsmål om et opslag i Min log',
      params: portalLogQuestionParams,
      body: portalLogQuestionBody,
    },
    config: { policy: { citizen: true }, audited: true },
    handler: async (req, reply) => {
      const id = await inPortal(req, (tx, ctx) =>
        askAboutEvent(tx, ctx, req.params.eventId, req.body.question),
      );
      if (!id) throw notFound('Opslaget');
      return reply.code(201).send({ id });
    },
  });

  app.get('/api/portal/my-data.json', {
    schema: { tags, summary: 'Mine data: alt, Retning gemmer om mig, som JSON' },
    config: { policy: { citizen: true }, audited: true },
    handler: async (req, reply) => {
      const data = await inPortal(req, (tx, ctx) => myData(tx, ctx, 'json'));
      reply.header('content-disposition', 'attachment; filename="mine-data-retning.json"');
      return { exportedAt: app.ctx.clock.now().toISOString(), data };
    },
  });

  app.get('/api/portal/my-data.pdf', {
    schema: { tags, summary: 'Mine data: alt, Retning gemmer om mig, som PDF' },
    config: { policy: { citizen: true }, audited: true },
    handler: async (req, reply) => {
      const c = citizenOf(req);
      const data = await inPortal(req, (tx, ctx) => myData(tx, ctx, 'pdf'));
      const pdf = await myDataPdf(data, {
        name: `${c.firstName} ${c.lastName}`,
        municipality: c.municipalityName,
        exportedAt: app.ctx.clock.now(),
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="mine-data-retning.pdf"')
        .send(pdf);
    },
  });

  app.get('/api/portal/before-follow-up', {
    schema: { tags, summary: 'Før opfølgningen: hvad jeg vil tale om, mine mål at vurdere, spørgeskemaer' },
    config: { policy: { citizen: true, representative: 'read' }, audited: true },
    handler: (req) => inPortal(req, (tx, ctx) => myPreparation(tx, ctx, app.ctx.reference)),
  });

  app.put('/api/portal/before-follow-up', {
    schema: { tags, summary: 'Gem min forberedelse til opfølgningen', body: portalPreparationBody },
    config: { policy: { citizen: true }, audited: true },
    handler: (req) => inPortal(req, (tx, ctx) => savePreparation(tx, ctx, req.body)),
  });

  app.post('/api/portal/measurements', {
    schema: {
      tags,
      summary: 'Et spørgeskema, jeg selv har udfyldt (WHO-5, ORS)',
      body: portalMeasurementBody,
    },
    config: { policy: { citizen: true }, audited: true },
    handler: async (req, reply) => {
      const r = await inPortal(req, (tx, ctx) =>
        recordSelfMeasure(tx, ctx, app.ctx.reference, req.body, danishDate(app.ctx.clock.now())),
      );
      return reply.code(201).send(r);
    },
  });

  app.get('/api/portal/progress', {
    schema: { tags, summary: 'Sådan går det: mine målinger og vurderinger over tid' },
    config: { policy: { citizen: true, representative: 'read' }, audited: true },
    handler: (req) => inPortal(req, (tx, ctx) => myProgress(tx, ctx, app.ctx.reference)),
  });

  app.get('/api/portal/goals', {
    schema: { tags, summary: 'Mine mål: mine egne mål og mine forslag med svar' },
    config: { policy: { citizen: true, representative: 'read' }, audited: true },
    handler: (req) => inPortal(req, (tx, ctx) => myGoals(tx, ctx)),
  });

  app.post('/api/portal/goals/proposals', {
    schema: {
      tags,
      summary: 'Foreslå et nyt mål eller en ændring af et af mine mål, med mine egne ord',
      body: portalGoalProposalBody,
    },
    config: { policy: { citizen: true, representative: 'write' }, audited: true },
    handler: async (req, reply) => {
      const r = await inPortal(req, (tx, ctx) => proposeGoal(tx, ctx, req.body));
      if (!r) throw notFound('Sagen');
      return reply.code(201).send(r);
    },
  });

  app.get('/api/portal/words', {
    schema: { tags, summary: 'Mine ord: håb, ønsker og drømme og mine ressourcer, med alle versioner' },
    config: { policy: { citizen: true, representative: 'read' }, audited: true },
    handler: (req) => inPortal(req, (tx, ctx) => myWords(tx, ctx)),
  });

  app.put('/api/portal/words/:kind', {
    schema: {
      tags,
      summary: 'Gem en ny version af mine ord',
      params: portalWordsParams,
      body: portalWordsBody,
    },
    config: { policy: { citizen: true, representative: 'write' }, audited: true },
    handler: async (req) => {
      const r = await inPortal(req, (tx, ctx) => saveMyWords(tx, ctx, req.params.kind, req.body));
      if ('conflict' in r)
        throw conflict('version_conflict', 'Teksten er ændret, siden du åbnede den. Se den nye version.', {
          current: r.conflict,
        });
      return r.ok;
    },
  });
}
