import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { danishDate } from '../../../shared/domain/dates';
import {
  citizenRepresentationParams,
  idParams,
  portalRepresentationBody,
  staffRepresentationBody,
} from '../../../shared/schemas';
import { notFound } from '../../platform/errors';
import { inPortal, inTenant } from '../../platform/request';
import { loadCitizenAllowed } from '../citizens/citizens.service';
import {
  citizenRepresentations,
  giveRepresentation,
  myRepresentations,
  recordRepresentation,
  revokeForCitizen,
  revokeMine,
} from './representations.service';

/** Relatives and representatives: given and revoked by the citizen, powers of attorney recorded by staff. */
export async function registerRepresentationRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const today = () => danishDate(app.ctx.clock.now());
  const ACCESS = 'Adgangen';

  app.get('/api/portal/representatives', {
    schema: { tags: ['portal'], summary: 'Pårørende: hvem der kan handle for mig' },
    config: { policy: { citizen: true, representative: 'read' }, audited: true },
    handler: (req) => inPortal(req, (tx, ctx) => myRepresentations(tx, ctx, today())),
  });

  app.post('/api/portal/representatives', {
    schema: { tags: ['portal'], summary: 'Giv en pårørende adgang', body: portalRepresentationBody },
    config: { policy: { citizen: true }, audited: true },
    handler: async (req, reply) => {
      const id = await inPortal(req, (tx, ctx) => giveRepresentation(tx, ctx, req.body, today()));
      return reply.code(201).send({ id });
    },
  });

  app.post('/api/portal/representatives/:id/revoke', {
    schema: { tags: ['portal'], summary: 'Tag adgangen tilbage', params: idParams },
    config: { policy: { citizen: true }, audited: true },
    handler: async (req, reply) => {
      if (!(await inPortal(req, (tx, ctx) => revokeMine(tx, ctx, req.params.id)))) throw notFound(ACCESS);
      return reply.code(204).send();
    },
  });

  app.get('/api/citizens/:id/representatives', {
    schema: { tags: ['citizens'], summary: 'Borgerens pårørende og fuldmagter', params: idParams },
    config: { policy: { action: 'citizen.read' }, audited: true },
    handler: async (req) => {
      const items = await inTenant(req, async (tx, ctx) =>
        (await loadCitizenAllowed(tx, ctx, req.params.id, 'citizen.read', 'read', 'representation'))
          ? citizenRepresentations(tx, req.params.id, today())
          : null,
      );
      if (!items) throw notFound('Borgeren');
      return { items };
    },
  });

  app.post('/api/citizens/:id/representatives', {
    schema: {
      tags: ['citizens'],
      summary: 'Registrér en digital fuldmagt',
      params: idParams,
      body: staffRepresentationBody,
    },
    config: { policy: { action: 'citizen.update' }, audited: true },
    handler: async (req, reply) => {
      const id = await inTenant(req, async (tx, ctx) =>
        (await loadCitizenAllowed(tx, ctx, req.params.id, 'citizen.update', 'update', 'representation'))
          ? recordRepresentation(tx, ctx, req.params.id, req.body, today())
          : null,
      );
      if (!id) throw notFound('Borgeren');
      return reply.code(201).send({ id });
    },
  });

  app.post('/api/citizens/:id/representatives/:representationId/revoke', {
    schema: { tags: ['citizens'], summary: 'Afslut en fuldmagt', params: citizenRepresentationParams },
    config: { policy: { action: 'citizen.update' }, audited: true },
    handler: async (req, reply) => {
      const done = await inTenant(req, async (tx, ctx) =>
        (await loadCitizenAllowed(tx, ctx, req.params.id, 'citizen.update', 'update', 'representation'))
          ? revokeForCitizen(tx, ctx, req.params.id, req.params.representationId)
          : false,
      );
      if (!done) throw notFound(ACCESS);
      return reply.code(204).send();
    },
  });
}
