import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { planBody, planShareBody } from '../../../shared/pathway';
import { idParams } from '../../../shared/schemas';
import { conflict, notFound } from '../../platform/errors';
import { can } from '../../platform/policy';
import { actorOf, inTenant } from '../../platform/request';
import { caseResource } from '../cases/cases.service';
import * as plans from './plans.service';

const tags = ['handleplan'];

const summary = (p: plans.PlanRow) => ({
  id: p.id,
  version: p.version,
  status: p.status,
  offer: p.offer,
  agreementOn: p.agreementOn,
  sharedAt: p.sharedAt,
  updatedAt: p.updatedAt,
});

const full = (p: plans.PlanRow) => {
  const { municipalityId: _m, createdBy: _c, updatedBy: _u, sharedBy: _s, ...rest } = p;
  return rest;
};

/** The §141 action plan: a draft per case, shared versions that never change, and the diff between them. */
export async function registerPlanRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/api/cases/:id/plans', {
    schema: { tags, summary: 'Handleplanens versioner', params: idParams },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => plans.listPlans(tx, ctx, req.params.id));
      if (!r) throw notFound('Sagen');
      return {
        items: r.rows.map(summary),
        permissions: {
          write: r.caseRow.phase !== 'closed' && can(actorOf(req), 'case.write', caseResource(r.caseRow)),
        },
      };
    },
  });

  app.put('/api/cases/:id/plan', {
    schema: {
      tags,
      summary: 'Gem kladde til handleplan (ny version efter en delt)',
      params: idParams,
      body: planBody,
    },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => plans.savePlanDraft(tx, ctx, req.params.id, req.body));
      if ('notFound' in r) throw notFound('Sagen');
      if ('conflict' in r)
        throw conflict('version_conflict', 'Kladden er ændret af en anden.', { current: full(r.conflict) });
      return full(r.ok);
    },
  });

  app.post('/api/plans/:id/share', {
    schema: {
      tags,
      summary: 'Del handleplanen med borgeren (versionen låses)',
      params: idParams,
      body: planShareBody,
    },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        plans.sharePlan(tx, ctx, app.ctx.reference, req.params.id, req.body.rowVersion),
      );
      if ('notFound' in r) throw notFound('Handleplanen');
      if ('conflict' in r)
        throw conflict('version_conflict', 'Kladden er ændret af en anden.', { current: full(r.conflict) });
      return full(r.ok);
    },
  });

  app.get('/api/plans/:id', {
    schema: {
      tags,
      summary: 'Læs en version af handleplanen med ændringer fra den forrige',
      params: idParams,
    },
    config: { policy: { action: 'case.read' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => plans.readPlan(tx, ctx, app.ctx.reference, req.params.id));
      if (!r) throw notFound('Handleplanen');
      const c = r.caseRow;
      return {
        ...full(r.plan),
        caseNumber: c.caseNumber,
        citizen: { id: c.citizenId, name: `${c.citizenFirstName} ${c.citizenLastName}` },
        caseworker: c.caseworkerName,
        authorityUnit: c.authorityUnitName,
        previousVersion: r.previous?.version ?? null,
        diff: plans.diffPlans(r.previous, r.plan),
        permissions: {
          write:
            r.plan.status === 'draft' &&
            c.phase !== 'closed' &&
            can(actorOf(req), 'case.write', caseResource(c)),
        },
      };
    },
  });
}
