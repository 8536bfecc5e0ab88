import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { offerBody, offerLinkBody, offerLinkUpdateBody, offerUpdateBody } from '../../../shared/pathway';
import { idParams } from '../../../shared/schemas';
import { conflict, notFound } from '../../platform/errors';
import { inTenant } from '../../platform/request';
import * as community from './community.service';

const tags = ['civilsamfund'];
const strip = <T extends { municipalityId: string }>(o: T) => {
  const { municipalityId: _m, ...rest } = o;
  return rest;
};

/** The directory of civil-society and community offers, and their links to the citizen's goals. */
export async function registerCommunityRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/api/community-offers', {
    schema: {
      tags,
      summary: 'Kommunens fællesskabs- og civilsamfundstilbud',
      querystring: z.object({ all: z.enum(['true', 'false']).optional() }),
    },
    config: { policy: { action: 'community.read' } },
    handler: async (req) => {
      const items = await inTenant(req, (tx) => community.listOffers(tx, req.query.all !== 'true'));
      return { items: items.map(strip) };
    },
  });

  app.post('/api/community-offers', {
    schema: { tags, summary: 'Opret tilbud', body: offerBody },
    config: { policy: { action: 'community.manage' } },
    handler: async (req, reply) => {
      const o = await inTenant(req, (tx, ctx) => community.createOffer(tx, ctx, req.body));
      return reply.code(201).send(strip(o));
    },
  });

  app.put('/api/community-offers/:id', {
    schema: { tags, summary: 'Ret tilbud', params: idParams, body: offerUpdateBody },
    config: { policy: { action: 'community.manage' } },
    handler: async (req) => {
      const r = await inTenant(req, (tx) => community.updateOffer(tx, req.params.id, req.body));
      if ('notFound' in r) throw notFound('Tilbuddet');
      if ('conflict' in r)
        throw conflict('version_conflict', 'Tilbuddet er ændret af en anden.', {
          current: strip(r.conflict),
        });
      return strip(r.ok);
    },
  });

  app.post('/api/goals/:id/offers', {
    schema: {
      tags,
      summary: 'Knyt et tilbud til et mål (brobygning)',
      params: idParams,
      body: offerLinkBody,
    },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req, reply) => {
      const r = await inTenant(req, (tx, ctx) => community.linkOffer(tx, ctx, req.params.id, req.body));
      if (!r) throw notFound('Målet');
      return reply.code(201).send(strip(r.link));
    },
  });

  app.put('/api/goal-offers/:id', {
    schema: {
      tags,
      summary: 'Startede borgeren, og bliver hun/han ved?',
      params: idParams,
      body: offerLinkUpdateBody,
    },
    config: { policy: { action: 'case.write' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => community.updateLink(tx, ctx, req.params.id, req.body));
      if ('notFound' in r) throw notFound('Koblingen');
      if ('conflict' in r)
        throw conflict('version_conflict', 'Koblingen er ændret af en anden.', {
          current: strip(r.conflict),
        });
      return strip(r.ok);
    },
  });
}
