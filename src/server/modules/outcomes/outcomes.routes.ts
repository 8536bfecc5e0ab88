import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { danishDate } from '../../../shared/domain/dates';
import { gasTScore } from '../../../shared/domain/gas';
import { measurementBody } from '../../../shared/pathway';
import { idParams } from '../../../shared/schemas';
import { notFound } from '../../platform/errors';
import { inTenant } from '../../platform/request';
import type { Reference } from '../reference/reference';
import * as measures from './measures.service';
import { citizenTimeline, type TimelineRow } from './timeline.service';
import { worklist } from './worklist.service';

const tags = ['resultater'];

const PHASE_ITEM = new Set(['opened', 'closed']);

/** A timeline row in words the UI can show; codes resolved in the version they were recorded with. */
export function presentTimelineRow(ref: Reference, r: TimelineRow) {
  const d = r.data as Record<string, string | null | { rater: string; score: number; weight: number }[]>;
  const base = { id: r.id, on: r.on, kind: r.kind, caseId: r.case_id, serviceId: r.service_id };
  switch (r.kind) {
    case 'case_phase':
      return {
        ...base,
        caseNumber: d.caseNumber,
        from: d.from,
        to: d.to,
        milestone: PHASE_ITEM.has(String(d.to)),
      };
    case 'assessment':
      return {
        ...base,
        assessmentKind: d.kind,
        supportNeed: ref.display(d.list as string, d.supportNeed as string),
      };
    case 'plan_shared':
      return { ...base, version: d.version, offer: d.offer };
    case 'service_status':
      return {
        ...base,
        from: d.from,
        to: d.to,
        paragraph: d.paragraph,
        step:
          (ref.code(d.paragraphList as string, d.paragraph as string)?.attrs.step as number | undefined) ??
          null,
        ydelse: ref.display(d.ffbList as string, d.ydelse as string),
        provider: d.provider,
      };
    case 'follow_up': {
      const ratings = (d.ratings ?? []) as { rater: string; score: number; weight: number }[];
      const t = (rater: string) => {
        const x = ratings.filter((y) => y.rater === rater);
        return x.length ? gasTScore(x) : null;
      };
      return {
        ...base,
        result: ref.display(d.list as string, d.result as string),
        notes: d.notes,
        gas: { citizen: t('citizen'), professional: t('professional') },
      };
    }
    case 'measurement':
      return { ...base, instrument: d.instrument, score: Number(d.score) };
    case 'community':
      return { ...base, offer: d.offer, status: d.status, goal: d.goal };
    default:
      return {
        ...base,
        goalId: d.goalId,
        goalKind: d.goalKind,
        title: d.title,
        status: d.status,
        body: d.body,
      };
  }
}

/** Outcome measures, the citizen's timeline and step-down ladder, and the follow-up worklists. */
export async function registerOutcomeRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const ref = () => app.ctx.reference;
  const today = () => danishDate(app.ctx.clock.now());

  app.post('/api/citizens/:id/measurements', {
    schema: {
      tags,
      summary: 'Registrér en besvarelse (WHO-5, QPR-15, ORS, SRS)',
      params: idParams,
      body: measurementBody,
    },
    config: { policy: { anyOf: ['citizen.update', 'service.provide'] }, audited: true },
    handler: async (req, reply) => {
      const m = await inTenant(req, (tx, ctx) =>
        measures.recordMeasurement(tx, ctx, ref(), req.params.id, req.body, today()),
      );
      if (!m) throw notFound('Borgeren');
      return reply.code(201).send({ id: m.id, score: Number(m.score), raw: Number(m.raw) });
    },
  });

  app.get('/api/citizens/:id/outcomes', {
    schema: { tags, summary: 'Borgerens måleserier og GAS over tid', params: idParams },
    config: { policy: { action: 'citizen.read' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => measures.citizenOutcomes(tx, ctx, ref(), req.params.id));
      if (!r) throw notFound('Borgeren');
      return r;
    },
  });

  app.get('/api/citizens/:id/timeline', {
    schema: {
      tags,
      summary: 'Borgerens forløb: alt dateret, nyeste først, og indsatstrappen over tid',
      params: idParams,
    },
    config: { policy: { action: 'citizen.read' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => citizenTimeline(tx, ctx, ref(), req.params.id));
      if (!r) throw notFound('Borgeren');
      const steps = ref().ofKind(ref().current('serviceloven').key, 'ladder_step');
      return {
        citizen: { id: r.citizen.id, name: `${r.citizen.firstName} ${r.citizen.lastName}` },
        items: r.rows.map((row) => presentTimelineRow(ref(), row)),
        ladder: r.ladder,
        steps: steps.map((s) => ({ step: s.attrs.step as number, name: s.display })),
      };
    },
  });

  app.get('/api/worklist', {
    schema: {
      tags,
      summary: 'Opfølgninger, der forfalder eller er overskredet',
      querystring: z.object({ scope: z.enum(['mine', 'units']).default('mine') }),
    },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: async (req) => {
      const items = await inTenant(req, (tx, ctx) => worklist(tx, ctx, ref(), req.query.scope, today()));
      return { today: today(), items };
    },
  });
}
