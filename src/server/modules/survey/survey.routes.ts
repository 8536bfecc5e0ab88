import { desc, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { danishDate } from '../../../shared/domain/dates';
import { uuid } from '../../../shared/fields';
import { idParams } from '../../../shared/schemas';
import {
  draftBody,
  importBody,
  questionnaireCreateBody,
  questionnaireUpdateBody,
  quoteBody,
  roleLinkBody,
  roundCreateBody,
  roundUpdateBody,
  tokenBody,
} from '../../../shared/survey';
import { mailOutbox } from '../../db/schema';
import { audit } from '../../platform/audit';
import { conflict, notFound, Problem } from '../../platform/errors';
import { mailAfterCommit } from '../../platform/mail';
import { inTenant } from '../../platform/request';
import { ownMunicipality, rowsOf, type Tx, withoutTenant, withTenant } from '../../platform/tenancy';
import { writeXlsx } from '../../platform/xlsx';
import { toCsv, toSheets } from './survey.export';
import * as respond from './survey.respond';
import * as survey from './survey.service';
import { createSealer, hashToken } from './survey.tokens';

const tags = ['selvevaluering'];

/** The self-assessment survey: questionnaires, rounds, answering by link, protected results. */
export async function registerSurveyRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { config, clock, database } = root.ctx;
  const deps: survey.SurveyDeps = {
    publicUrl: config.publicUrl,
    sealer: createSealer(config.sessionSecret),
    today: () => danishDate(clock.now()),
  };
  const deliverMail = mailAfterCommit(root.ctx.mail);
  app.get('/api/survey/templates', {
    schema: { tags, summary: 'Skabeloner (kortlægningen 2020, de otte principper)' },
    config: { policy: { action: 'survey.manage' } },
    handler: async () => ({
      items: survey
        .templates()
        .map((t) => ({ key: t.key, title: t.definition.title, source: t.definition.source })),
    }),
  });

  app.get('/api/survey/questionnaires', {
    schema: { tags, summary: 'Organisationens spørgeskemaer' },
    config: { policy: { action: 'survey.manage' } },
    handler: async (req) => ({ items: await inTenant(req, (tx) => survey.listQuestionnaires(tx)) }),
  });

  app.post('/api/survey/questionnaires', {
    schema: {
      tags,
      summary: 'Kopiér en skabelon eller et skema til en ny kladde',
      body: questionnaireCreateBody,
    },
    config: { policy: { action: 'survey.manage' } },
    handler: async (req, reply) => {
      const q = await inTenant(req, (tx, ctx) => survey.createQuestionnaire(tx, ctx, req.body));
      return reply.code(201).send(q);
    },
  });

  app.get('/api/survey/questionnaires/:id', {
    schema: { tags, summary: 'Ét spørgeskema', params: idParams },
    config: { policy: { action: 'survey.manage' } },
    handler: async (req) => {
      const q = await inTenant(req, (tx) => survey.getQuestionnaire(tx, req.params.id));
      if (!q) throw notFound('Spørgeskemaet');
      return q;
    },
  });

  app.put('/api/survey/questionnaires/:id', {
    schema: { tags, summary: 'Ret en kladde', params: idParams, body: questionnaireUpdateBody },
    config: { policy: { action: 'survey.manage' } },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        survey.updateQuestionnaire(tx, ctx, req.params.id, req.body),
      );
      if ('notFound' in r) throw notFound('Spørgeskemaet');
      if ('conflict' in r)
        throw conflict('version_conflict', 'Skemaet er ændret af en anden.', { current: r.conflict });
      return r.ok;
    },
  });

  app.get('/api/survey/rounds', {
    schema: { tags, summary: 'Runder, organisationen kører eller deltager i' },
    config: { policy: { anyOf: ['survey.progress', 'survey.results'] } },
    handler: async (req) => ({ items: await inTenant(req, (tx, ctx) => survey.listRounds(tx, ctx)) }),
  });

  app.post('/api/survey/rounds', {
    schema: { tags, summary: 'Åbn en runde (sender direktørlinks)', body: roundCreateBody },
    config: { policy: { action: 'survey.manage' } },
    onResponse: deliverMail,
    handler: async (req, reply) => {
      const r = await inTenant(req, (tx, ctx) => survey.createRound(tx, ctx, deps, req.body));
      return reply.code(201).send(r);
    },
  });

  app.get('/api/survey/rounds/:id', {
    schema: { tags, summary: 'En runde med svarprocent pr. kommune og rolle (kun antal)', params: idParams },
    config: { policy: { action: 'survey.progress' } },
    handler: async (req) => inTenant(req, (tx, ctx) => survey.roundDetail(tx, ctx, req.params.id)),
  });

  app.put('/api/survey/rounds/:id', {
    schema: {
      tags,
      summary: 'Forlæng svarfristen eller luk runden',
      params: idParams,
      body: roundUpdateBody,
    },
    config: { policy: { action: 'survey.manage' } },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => survey.updateRound(tx, ctx, req.params.id, req.body));
      if ('notFound' in r) throw notFound('Runden');
      if ('conflict' in r) throw conflict('version_conflict', 'Runden er ændret af en anden.');
      const { report: _r, ...round } = r.ok;
      return round;
    },
  });

  app.post('/api/survey/rounds/:id/reminders', {
    schema: { tags, summary: 'Send påmindelser til dem, der ikke har svaret', params: idParams },
    config: { policy: { action: 'survey.manage' } },
    onResponse: deliverMail,
    handler: async (req) => inTenant(req, (tx, ctx) => survey.remind(tx, ctx, deps, req.params.id)),
  });

  app.post('/api/survey/rounds/:id/import', {
    // A national round's answers can be a few megabytes of CSV.
    bodyLimit: 6 * 1024 * 1024,
    schema: {
      tags,
      summary: 'Indlæs besvarelser fra CSV (alt eller intet)',
      params: idParams,
      body: importBody,
    },
    config: { policy: { action: 'survey.manage' } },
    handler: async (req) =>
      inTenant(req, (tx, ctx) => survey.importAnswers(tx, ctx, req.params.id, req.body.csv)),
  });

  app.post('/api/survey/rounds/:id/quotes', {
    schema: { tags, summary: 'Tilføj et citat til et pejlemærke', params: idParams, body: quoteBody },
    config: { policy: { action: 'survey.manage' } },
    handler: async (req, reply) => {
      const q = await inTenant(req, (tx, ctx) => survey.addQuote(tx, ctx, req.params.id, req.body));
      return reply.code(201).send(q);
    },
  });

  app.delete('/api/survey/rounds/:id/quotes/:quoteId', {
    schema: { tags, summary: 'Fjern et citat', params: z.object({ id: uuid(), quoteId: uuid() }) },
    config: { policy: { action: 'survey.manage' } },
    handler: async (req, reply) => {
      await inTenant(req, (tx, ctx) => survey.deleteQuote(tx, ctx, req.params.id, req.params.quoteId));
      return reply.code(204).send();
    },
  });

  app.get('/api/survey/rounds/:id/report', {
    schema: { tags, summary: 'Beskyttede resultater (ingen grupper under 3)', params: idParams },
    config: { policy: { action: 'survey.results' } },
    handler: async (req) =>
      inTenant(req, async (tx, ctx) =>
        survey.reportView(tx, ctx, req.params.id, (await ownMunicipality(tx)).code),
      ),
  });

  app.get('/api/survey/rounds/:id/export', {
    schema: {
      tags,
      summary: 'Eksport af de beskyttede resultater (CSV, XLSX eller JSON)',
      params: idParams,
      querystring: z.object({ format: z.enum(['csv', 'xlsx', 'json']) }),
    },
    config: { policy: { action: 'survey.results' } },
    handler: async (req, reply) => {
      const view = await inTenant(req, async (tx, ctx) => {
        const v = await survey.reportView(tx, ctx, req.params.id, (await ownMunicipality(tx)).code);
        await audit(tx, ctx, {
          action: 'export',
          policy: 'survey.results',
          resourceType: 'survey_report',
          resourceId: req.params.id,
          criteria: { format: req.query.format },
        });
        return v;
      });
      const name = `selvevaluering-${req.params.id.slice(0, 8)}`;
      reply.header('cache-control', 'no-store');
      if (req.query.format === 'json')
        return reply
          .header('content-disposition', `attachment; filename="${name}.json"`)
          .type('application/json')
          .send(JSON.stringify({ format: 'retning-survey-aggregates/1', ...view }, null, 1));
      if (req.query.format === 'csv')
        return reply
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .type('text/csv; charset=utf-8')
          .send(toCsv(view));
      return reply
        .header('content-disposition', `attachment; filename="${name}.xlsx"`)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(Buffer.from(writeXlsx(toSheets(view))));
    },
  });

  app.get('/api/mail/outbox', {
    schema: { tags, summary: 'Demo: sendte e-mails' },
    config: { policy: { action: 'mail.outbox' } },
    handler: async (req) => {
      if (!config.demoMode) throw notFound('Udbakken');
      const items = await inTenant(req, (tx) =>
        tx
          .select({
            id: mailOutbox.id,
            kind: mailOutbox.kind,
            to: mailOutbox.toAddress,
            subject: mailOutbox.subject,
            body: mailOutbox.body,
            status: mailOutbox.status,
            createdAt: mailOutbox.createdAt,
            sentAt: mailOutbox.sentAt,
          })
          .from(mailOutbox)
          .orderBy(desc(mailOutbox.createdAt))
          .limit(200),
      );
      return { items };
    },
  });

  // ---- answering without an account: the token is the key, sent in the body ----

  /** Runs fn in the tenant that owns the token's round; an unknown token is a 404 like a used one. */
  async function asLinkOwner<T>(
    token: string,
    fn: (tx: Tx) => Promise<T>,
  ): Promise<{ owner: string; result: T }> {
    const owner = await withoutTenant(database, async (tx) => {
      const [r] = rowsOf<{ owner: string | null }>(
        await tx.execute(sql`select survey_token_owner(${hashToken(token)}) as owner`),
      );
      return r?.owner ?? null;
    });
    if (!owner) throw new Problem(404, 'link_invalid', 'Linket er ugyldigt eller er allerede brugt.');
    const result = await withTenant(database, { municipalityId: owner, userId: null }, fn);
    return { owner, result };
  }

  app.post('/api/survey/respond/open', {
    schema: { tags, summary: 'Åbn spørgeskemaet fra et link', body: tokenBody },
    config: { policy: { public: true } },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return (await asLinkOwner(req.body.token, (tx) => respond.openLink(tx, deps, req.body.token))).result;
    },
  });

  app.put('/api/survey/respond/draft', {
    schema: { tags, summary: 'Gem en kladde', body: draftBody },
    config: { policy: { public: true } },
    handler: async (req) =>
      (
        await asLinkOwner(req.body.token, (tx) =>
          respond.saveDraft(tx, deps, req.body.token, req.body.answers),
        )
      ).result,
  });

  app.post('/api/survey/respond/submit', {
    schema: { tags, summary: 'Indsend svarene (anonymt; linket lukkes)', body: draftBody },
    config: { policy: { public: true } },
    handler: async (req) =>
      (await asLinkOwner(req.body.token, (tx) => respond.submit(tx, deps, req.body.token, req.body.answers)))
        .result,
  });

  app.post('/api/survey/director/open', {
    schema: { tags, summary: 'Direktørens side: links til rollerne', body: tokenBody },
    config: { policy: { public: true } },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return (await asLinkOwner(req.body.token, (tx) => respond.openDirector(tx, deps, req.body.token)))
        .result;
    },
  });

  app.post('/api/survey/director/links', {
    schema: { tags, summary: 'Opret et rollelink (sendes, hvis e-mail er angivet)', body: roleLinkBody },
    config: { policy: { public: true } },
    handler: async (req, reply) => {
      const { owner, result } = await asLinkOwner(req.body.token, (tx) =>
        respond.createRoleLink(tx, deps, req.body.token, req.body.role, req.body.email),
      );
      if (req.body.email) root.ctx.mail.kick(owner);
      const { ownerId: _o, ...link } = result;
      return reply.code(201).header('cache-control', 'no-store').send(link);
    },
  });
}
