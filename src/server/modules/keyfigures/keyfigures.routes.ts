import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { danishDate } from '../../../shared/domain/dates';
import { token } from '../../../shared/fields';
import { INDICATORS } from '../../../shared/indicators';
import {
  comparisonGroupBody,
  exchangeFile,
  exportQuery,
  indicatorQuery,
  keyFigureSettingsBody,
  overviewQuery,
} from '../../../shared/keyfigures';
import { idParams } from '../../../shared/schemas';
import { csvFile } from '../../platform/csv';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { inTenant } from '../../platform/request';
import { writeXlsx } from '../../platform/xlsx';
import { paragraphSteps } from './keyfigures.compute';
import * as kf from './keyfigures.service';

const tags = ['nøgletal'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Steering: the key-figure dashboard, the ladder, exports, comparison groups and the exchange file. */
export async function registerKeyFigureRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { reference: ref, clock } = root.ctx;

  app.get('/api/keyfigures/overview', {
    schema: {
      tags,
      summary: 'Alle nøgletal for kommunen som helhed (beskyttede)',
      querystring: overviewQuery,
    },
    config: { policy: { action: 'keyfigures.read' } },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return inTenant(req, (tx) => kf.overview(tx, req.query.period, danishDate(clock.now())));
    },
  });

  app.get('/api/keyfigures/indicators/:key', {
    schema: {
      tags,
      summary: 'Ét nøgletal over tid: opdelt i kommunen, mod sammenligningsgruppen og landet',
      params: z.object({ key: token(/^[A-Za-z0-9_-]{1,60}$/, 'Ukendt nøgletal') }),
      querystring: indicatorQuery,
    },
    config: { policy: { action: 'keyfigures.read' } },
    handler: async (req, reply) => {
      const ind = INDICATORS.find((i) => i.key === req.params.key);
      if (!ind) throw notFound('Nøgletallet');
      if (req.query.breakdown && !ind.breakdowns.includes(req.query.breakdown))
        throw unprocessable('breakdown_not_available', 'Nøgletallet kan ikke opdeles sådan.', [
          { field: 'breakdown', message: 'Vælg en af nøgletallets opdelinger.', code: 'invalid' },
        ]);
      reply.header('cache-control', 'no-store');
      const view = await inTenant(req, (tx) =>
        kf.indicatorView(tx, ref, ind, {
          periodKind: req.query.period,
          breakdown: req.query.breakdown,
          groupId: req.query.group,
        }),
      );
      if (req.query.group && view.group?.id !== req.query.group) throw notFound('Sammenligningsgruppen');
      return view;
    },
  });

  app.get('/api/keyfigures/ladder', {
    schema: { tags, summary: 'Indsatstrappen: nu og for et år siden, med bevægelserne (beskyttet)' },
    config: { policy: { action: 'keyfigures.read' } },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return inTenant(req, (tx) => kf.ladder(tx, ref));
    },
  });

  app.get('/api/keyfigures/export', {
    schema: {
      tags,
      summary: 'Kommunens offentliggjorte nøgletal som CSV eller XLSX',
      querystring: exportQuery,
    },
    config: { policy: { action: 'keyfigures.read' } },
    handler: async (req, reply) => {
      const rows = await inTenant(req, (tx, ctx) =>
        kf.exportRows(tx, ctx, ref, { periodKind: req.query.period, format: req.query.format }),
      );
      const name = `noegletal-${req.query.period ?? 'alle'}`;
      reply.header('cache-control', 'no-store');
      if (req.query.format === 'csv')
        return reply
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .type('text/csv; charset=utf-8')
          .send(csvFile([kf.EXPORT_COLUMNS, ...rows]));
      return reply
        .header('content-disposition', `attachment; filename="${name}.xlsx"`)
        .type(XLSX)
        .send(Buffer.from(writeXlsx([{ name: 'Nøgletal', rows: [kf.EXPORT_COLUMNS, ...rows] }])));
    },
  });

  app.get('/api/keyfigures/exchange', {
    schema: {
      tags,
      summary: 'Udvekslingsfil: kommunens beskyttede totaler (docs/benchmark-exchange.md)',
    },
    config: { policy: { action: 'keyfigures.read' } },
    handler: async (req, reply) => {
      const file = await inTenant(req, (tx, ctx) => kf.exchangeExport(tx, ctx, clock.now()));
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="noegletal-${file.municipality.code}.json"`)
        .type('application/json')
        .send(JSON.stringify(file));
    },
  });

  app.post('/api/keyfigures/exchange', {
    schema: {
      tags,
      summary: 'Indlæs en anden installations udvekslingsfil (beskyttede totaler) til sammenligning',
      body: exchangeFile,
    },
    bodyLimit: 20 * 1024 * 1024,
    config: { policy: { action: 'keyfigures.manage' } },
    handler: async (req, reply) => {
      const r = await inTenant(req, (tx, ctx) => kf.importExchange(tx, ctx, req.body, paragraphSteps(ref)));
      if ('invalid' in r)
        throw unprocessable(
          'exchange_unprotected',
          `${r.invalid.length} fejl: filen er ikke beskyttet som beskrevet, intet er indlæst.`,
          r.invalid.slice(0, 50).map((p) => ({
            field: `figures[${p.line - 1}]`,
            message: `${p.indicator} ${p.periodKind} ${p.periodStart}: ${p.message}`,
            code: 'unprotected',
          })),
        );
      if ('ownData' in r)
        throw conflict(
          'exchange_own_data',
          'Kommunens nøgletal beregnes i denne installation og kan ikke erstattes af en fil.',
        );
      return reply.code(201).send(r.ok);
    },
  });

  app.get('/api/keyfigures/municipalities', {
    schema: { tags, summary: 'Kommunerne i installationen med antal borgere (til sammenligningsgrupper)' },
    config: { policy: { action: 'keyfigures.read' } },
    handler: async (req) => ({ items: await inTenant(req, (tx) => kf.municipalitiesWithSize(tx)) }),
  });

  app.get('/api/keyfigures/settings', {
    schema: { tags, summary: 'Hvorfra kommunens nøgletal offentliggøres' },
    config: { policy: { action: 'keyfigures.manage' } },
    handler: (req) => inTenant(req, (tx) => kf.keyFigureSettings(tx)),
  });

  app.put('/api/keyfigures/settings', {
    schema: {
      tags,
      summary: 'Sæt datoen, kommunens data er fuldstændige fra (nøgletal offentliggøres fra den)',
      body: keyFigureSettingsBody,
    },
    config: { policy: { action: 'keyfigures.manage' } },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => kf.saveKeyFigureSettings(tx, ctx, req.body));
      if ('publishedFrom' in r)
        throw conflict(
          'key_figures_published_earlier',
          'Nøgletal er allerede offentliggjort for perioder før den dato. Offentliggjorte perioder ændres ikke, så vælg en dato på eller før den første offentliggjorte periode.',
          { publishedFrom: r.publishedFrom },
        );
      return r.ok;
    },
  });

  app.get('/api/keyfigures/groups', {
    schema: { tags, summary: 'Kommunens sammenligningsgrupper' },
    config: { policy: { action: 'keyfigures.read' } },
    handler: async (req) => ({ items: await inTenant(req, (tx) => kf.listGroups(tx)) }),
  });

  const saved = (r: Awaited<ReturnType<typeof kf.saveGroup>>) => {
    if ('notFound' in r) throw notFound('Sammenligningsgruppen');
    if ('unknown' in r)
      throw unprocessable('unknown_municipality', 'En eller flere kommuner findes ikke i installationen.', [
        { field: 'members', message: 'Vælg kommuner fra listen.', code: 'unknown_municipality' },
      ]);
    return r.ok;
  };

  app.post('/api/keyfigures/groups', {
    schema: { tags, summary: 'Opret en sammenligningsgruppe (mindst 5 kommuner)', body: comparisonGroupBody },
    config: { policy: { action: 'keyfigures.manage' } },
    handler: async (req, reply) =>
      reply.code(201).send(saved(await inTenant(req, (tx, ctx) => kf.saveGroup(tx, ctx, req.body)))),
  });

  app.put('/api/keyfigures/groups/:id', {
    schema: { tags, summary: 'Ret en sammenligningsgruppe', params: idParams, body: comparisonGroupBody },
    config: { policy: { action: 'keyfigures.manage' } },
    handler: async (req) =>
      saved(await inTenant(req, (tx, ctx) => kf.saveGroup(tx, ctx, req.body, req.params.id))),
  });

  app.delete('/api/keyfigures/groups/:id', {
    schema: { tags, summary: 'Slet en sammenligningsgruppe', params: idParams },
    config: { policy: { action: 'keyfigures.manage' } },
    handler: async (req, reply) => {
      const ok = await inTenant(req, (tx, ctx) => kf.deleteGroup(tx, ctx, req.params.id));
      if (!ok) throw notFound('Sammenligningsgruppen');
      return reply.code(204).send();
    },
  });
}
