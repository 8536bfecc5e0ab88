import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  citizenCreateBody,
  citizenSearchBody,
  citizenUpdateBody,
  deleteQuery,
  idParams,
  narrativeBody,
  narrativeParams,
  networkCreateBody,
  networkParams,
  networkUpdateBody,
} from '../../../shared/schemas';
import { conflict, notFound } from '../../platform/errors';
import { inTenant } from '../../platform/request';
import * as service from './citizens.service';

const tags = ['borgere'];
const CITIZEN = 'Borgeren';

/** The citizen record: search, read, create, update, delete, own-words texts and network. */
export async function registerCitizenRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post('/api/citizens/search', {
    schema: { tags, summary: 'Søg borgere (navn, CPR i body, mine borgere)', body: citizenSearchBody },
    config: { policy: { action: 'citizen.search' }, audited: true },
    handler: (req) => inTenant(req, (tx, ctx) => service.searchCitizens(tx, ctx, req.body)),
  });

  app.post('/api/citizens', {
    schema: { tags, summary: 'Opret borger', body: citizenCreateBody },
    config: { policy: { action: 'citizen.create' }, audited: true },
    handler: async (req, reply) => {
      const created = await inTenant(req, (tx, ctx) => service.createCitizen(tx, ctx, req.body));
      return reply.code(201).send(created);
    },
  });

  app.get('/api/citizens/:id', {
    schema: { tags, summary: 'Læs borger', params: idParams },
    config: { policy: { action: 'citizen.read' }, audited: true },
    handler: async (req) => {
      const found = await inTenant(req, (tx, ctx) => service.readCitizen(tx, ctx, req.params.id));
      if (!found) throw notFound(CITIZEN);
      return found;
    },
  });

  app.put('/api/citizens/:id', {
    schema: {
      tags,
      summary: 'Ret borgerens stamdata (optimistisk samtidighed)',
      params: idParams,
      body: citizenUpdateBody,
    },
    config: { policy: { action: 'citizen.update' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => service.updateCitizen(tx, ctx, req.params.id, req.body));
      if ('notFound' in r) throw notFound(CITIZEN);
      if ('conflict' in r)
        throw conflict('version_conflict', 'Borgeren er ændret af en anden.', { current: r.conflict });
      return r.ok;
    },
  });

  app.delete('/api/citizens/:id', {
    schema: { tags, summary: 'Slet fejloprettet borger', params: idParams, querystring: deleteQuery },
    config: { policy: { action: 'citizen.delete' }, audited: true },
    handler: async (req, reply) => {
      const r = await inTenant(req, (tx, ctx) =>
        service.deleteCitizen(tx, ctx, req.params.id, req.query.version),
      );
      if ('notFound' in r) throw notFound(CITIZEN);
      if ('conflict' in r)
        throw conflict('version_conflict', 'Borgeren er ændret af en anden.', { current: r.conflict });
      return reply.code(204).send();
    },
  });

  app.put('/api/citizens/:id/narratives/:kind', {
    schema: {
      tags,
      summary: 'Gem ny version af borgerens egne ord',
      params: narrativeParams,
      body: narrativeBody,
    },
    config: { policy: { action: 'citizen.write_own_words' }, audited: true },
    handler: async (req) => {
      const { id, kind } = req.params;
      const r = await inTenant(req, (tx, ctx) => service.saveNarrative(tx, ctx, id, kind, req.body));
      if ('notFound' in r) throw notFound(CITIZEN);
      if ('conflict' in r)
        throw conflict('version_conflict', 'Teksten er ændret af en anden.', { current: r.conflict });
      return r.ok;
    },
  });

  app.get('/api/citizens/:id/narratives/:kind/history', {
    schema: { tags, summary: 'Alle versioner af en tekst', params: narrativeParams },
    config: { policy: { action: 'citizen.read' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        service.narrativeHistory(tx, ctx, req.params.id, req.params.kind),
      );
      if (!r) throw notFound(CITIZEN);
      return { items: r };
    },
  });

  app.post('/api/citizens/:id/network', {
    schema: { tags, summary: 'Tilføj person til netværket', params: idParams, body: networkCreateBody },
    config: { policy: { action: 'citizen.write_own_words' }, audited: true },
    handler: async (req, reply) => {
      const r = await inTenant(req, (tx, ctx) => service.addNetworkMember(tx, ctx, req.params.id, req.body));
      if (!r) throw notFound(CITIZEN);
      return reply.code(201).send(r);
    },
  });

  app.put('/api/citizens/:id/network/:memberId', {
    schema: {
      tags,
      summary: 'Ret eller fjern person i netværket',
      params: networkParams,
      body: networkUpdateBody,
    },
    config: { policy: { action: 'citizen.write_own_words' }, audited: true },
    handler: async (req) => {
      const { id, memberId } = req.params;
      const r = await inTenant(req, (tx, ctx) =>
        service.updateNetworkMember(tx, ctx, id, memberId, req.body),
      );
      if ('notFound' in r) throw notFound('Personen');
      if ('conflict' in r)
        throw conflict('version_conflict', 'Personen er ændret af en anden.', { current: r.conflict });
      return r.ok;
    },
  });

  app.get('/api/citizens/:id/network/:memberId/history', {
    schema: { tags, summary: 'Historik for en person i netværket', params: networkParams },
    config: { policy: { action: 'citizen.read' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        service.networkMemberHistory(tx, ctx, req.params.id, req.params.memberId),
      );
      if (!r) throw notFound('Personen');
      return { items: r };
    },
  });
}
