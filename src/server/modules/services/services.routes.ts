import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { danishDate } from '../../../shared/domain/dates';
import {
  followUpBody,
  goalCreateBody,
  providerPlanBody,
  serviceCreateBody,
  serviceStatusBody,
  serviceUpdateBody,
} from '../../../shared/pathway';
import { idParams } from '../../../shared/schemas';
import { orgUnits } from '../../db/schema';
import { conflict, notFound } from '../../platform/errors';
import type { Action } from '../../platform/policy';
import { actorOf, inTenant } from '../../platform/request';
import { presentServiceDetail } from './services.presenter';
import * as service from './services.service';

const tags = ['ydelser'];
const SERVICE = 'Ydelsen';
/** The authority changes services; their provider works on them. */
const PROVIDE = { anyOf: ['case.write', 'service.provide'] } as const satisfies { anyOf: Action[] };

/** Services (ydelser), the provider's plan and delmål, and follow-ups with GAS. */
export async function registerServiceRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const ref = () => app.ctx.reference;
  const today = () => danishDate(app.ctx.clock.now());
  /** The service as its page shows it, read in the same transaction (its read is audited). */
  const detail = async (req: FastifyRequest, id: string) => {
    const r = await inTenant(req, async (tx, ctx) => {
      const found = await service.readService(tx, ctx, id);
      if (!found) return null;
      const [unit] = await tx
        .select({ name: orgUnits.name })
        .from(orgUnits)
        .where(eq(orgUnits.id, found.service.providerUnitId));
      return { ...found, unitName: unit?.name ?? null };
    });
    if (!r) throw notFound(SERVICE);
    return presentServiceDetail(actorOf(req), ref(), r.service, r.caseRow, r.unitName, r.detail);
  };
  const stale = (current: unknown) =>
    conflict('version_conflict', 'Ydelsen er ændret af en anden.', { current });

  app.post('/api/cases/:id/services', {
    schema: { tags, summary: 'Indstil eller bevilg en ydelse', params: idParams, body: serviceCreateBody },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req, reply) => {
      const s = await inTenant(req, (tx, ctx) =>
        service.createService(tx, ctx, ref(), req.params.id, req.body, today()),
      );
      if (!s) throw notFound('Sagen');
      return reply.code(201).send(await detail(req, s.id));
    },
  });

  app.get('/api/services/:id', {
    schema: { tags, summary: 'Læs ydelse med mål, delmål, indsatsplan og opfølgninger', params: idParams },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: (req) => detail(req, req.params.id),
  });

  app.put('/api/services/:id', {
    schema: { tags, summary: 'Ret ydelse', params: idParams, body: serviceUpdateBody },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        service.updateService(tx, ctx, ref(), req.params.id, req.body),
      );
      if ('notFound' in r) throw notFound(SERVICE);
      if ('conflict' in r) throw stale({ version: r.conflict.version, status: r.conflict.status });
      return detail(req, req.params.id);
    },
  });

  app.post('/api/services/:id/status', {
    schema: { tags, summary: 'Bevilg, start eller afslut ydelse', params: idParams, body: serviceStatusBody },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        service.changeServiceStatus(tx, ctx, ref(), req.params.id, req.body, today()),
      );
      if ('notFound' in r) throw notFound(SERVICE);
      if ('conflict' in r) throw stale({ version: r.conflict.version, status: r.conflict.status });
      return detail(req, req.params.id);
    },
  });

  app.post('/api/services/:id/provider-plan', {
    schema: {
      tags,
      summary: 'Ny version af leverandørens indsatsplan',
      params: idParams,
      body: providerPlanBody,
    },
    config: { policy: PROVIDE, audited: true },
    handler: async (req, reply) => {
      const s = await inTenant(req, (tx, ctx) =>
        service.saveProviderPlan(tx, ctx, ref(), req.params.id, req.body),
      );
      if (!s) throw notFound(SERVICE);
      return reply.code(201).send(await detail(req, req.params.id));
    },
  });

  app.post('/api/services/:id/sub-goals', {
    schema: {
      tags,
      summary: 'Leverandørens delmål under et indsatsmål',
      params: idParams,
      body: goalCreateBody,
    },
    config: { policy: PROVIDE, audited: true },
    handler: async (req, reply) => {
      const s = await inTenant(req, (tx, ctx) => service.addSubGoal(tx, ctx, ref(), req.params.id, req.body));
      if (!s) throw notFound(SERVICE);
      return reply.code(201).send(await detail(req, req.params.id));
    },
  });

  app.post('/api/services/:id/follow-ups', {
    schema: {
      tags,
      summary: 'Registrér opfølgning (GAS, resultat, næste dato)',
      params: idParams,
      body: followUpBody,
    },
    config: { policy: PROVIDE, audited: true },
    handler: async (req, reply) => {
      const f = await inTenant(req, (tx, ctx) =>
        service.recordFollowUp(tx, ctx, ref(), req.params.id, req.body, today()),
      );
      if (!f) throw notFound(SERVICE);
      return reply.code(201).send(await detail(req, req.params.id));
    },
  });
}
