import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  assignmentParams,
  idParams,
  passwordBody,
  portalSettingsBody,
  roleGrantBody,
  unitBody,
  unitUpdateBody,
  userCreateBody,
  userUpdateBody,
} from '../../../shared/schemas';
import { actorOf, inTenant } from '../../platform/request';
import * as service from './admin.service';

const tags = ['administration'];
const policy = { action: 'admin.manage' } as const;

/** Administration of units, users and role assignments within the administrator's municipality. */
export async function registerAdminRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/api/org/options', {
    schema: { tags: ['organisation'], summary: 'Enheder og sagsbehandlere til valglister' },
    config: { policy: { authenticated: true } },
    handler: (req) => inTenant(req, (tx) => service.orgOptions(tx)),
  });

  app.get('/api/admin/portal-settings', {
    schema: { tags, summary: 'Min Retning: kommunens indstillinger' },
    config: { policy },
    handler: (req) => inTenant(req, (tx) => service.portalSettings(tx)),
  });

  app.put('/api/admin/portal-settings', {
    schema: {
      tags,
      summary: 'Min Retning: vis medarbejdernavne i Min log og beskeder',
      body: portalSettingsBody,
    },
    config: { policy },
    handler: (req) => inTenant(req, (tx, ctx) => service.savePortalSettings(tx, ctx, req.body)),
  });

  app.get('/api/admin/units', {
    schema: { tags, summary: 'Enheder' },
    config: { policy },
    handler: async (req) => ({ items: await inTenant(req, (tx) => service.listUnits(tx)) }),
  });

  app.post('/api/admin/units', {
    schema: { tags, summary: 'Opret enhed', body: unitBody },
    config: { policy },
    handler: async (req, reply) =>
      reply.code(201).send(await inTenant(req, (tx) => service.createUnit(tx, actorOf(req), req.body))),
  });

  app.put('/api/admin/units/:id', {
    schema: { tags, summary: 'Ret enhed', params: idParams, body: unitUpdateBody },
    config: { policy },
    handler: (req) => inTenant(req, (tx) => service.updateUnit(tx, req.params.id, req.body)),
  });

  app.get('/api/admin/users', {
    schema: { tags, summary: 'Brugere og roller' },
    config: { policy },
    handler: (req) =>
      inTenant(req, async (tx) => ({
        items: await service.listUsers(tx),
        /** The roles this kind of organisation may grant (GRANTABLE_ROLES). */
        grantableRoles: await service.grantableRoles(tx),
      })),
  });

  app.post('/api/admin/users', {
    schema: { tags, summary: 'Opret bruger', body: userCreateBody },
    config: { policy },
    handler: async (req, reply) =>
      reply.code(201).send(await inTenant(req, (tx) => service.createUser(tx, actorOf(req), req.body))),
  });

  app.put('/api/admin/users/:id', {
    schema: {
      tags,
      summary: 'Ret bruger (deaktivering afslutter sessioner)',
      params: idParams,
      body: userUpdateBody,
    },
    config: { policy },
    handler: (req) => inTenant(req, (tx) => service.updateUser(tx, actorOf(req), req.params.id, req.body)),
  });

  app.post('/api/admin/users/:id/password', {
    schema: { tags, summary: 'Sæt ny adgangskode', params: idParams, body: passwordBody },
    config: { policy },
    handler: async (req, reply) => {
      await inTenant(req, (tx) => service.setPassword(tx, req.params.id, req.body.password));
      return reply.code(204).send();
    },
  });

  app.post('/api/admin/users/:id/roles', {
    schema: { tags, summary: 'Tildel rolle i enhed', params: idParams, body: roleGrantBody },
    config: { policy },
    handler: (req) => inTenant(req, (tx) => service.grantRole(tx, actorOf(req), req.params.id, req.body)),
  });

  app.delete('/api/admin/users/:id/roles/:assignmentId', {
    schema: { tags, summary: 'Fjern rolle', params: assignmentParams },
    config: { policy },
    handler: (req) =>
      inTenant(req, (tx) => service.revokeRole(tx, actorOf(req), req.params.id, req.params.assignmentId)),
  });
}
