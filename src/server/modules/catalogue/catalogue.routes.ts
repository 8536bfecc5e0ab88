import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { codeText } from '../../../shared/fields';
import { catalogueBody, catalogueUpdateBody } from '../../../shared/pathway';
import { idParams } from '../../../shared/schemas';
import { conflict, notFound } from '../../platform/errors';
import { inTenant } from '../../platform/request';
import { enabledInstruments } from '../outcomes/measures.service';
import * as catalogue from './catalogue.service';

const tags = ['katalog'];
const present = (i: Awaited<ReturnType<typeof catalogue.listCatalogue>>[number]) => ({
  id: i.id,
  kind: i.kind,
  code: i.code,
  name: i.name,
  description: i.description,
  paragraphCode: i.paragraphCode,
  ydelseCode: i.ydelseCode,
  providerUnitId: i.providerUnitId,
  priceAmount: i.priceAmount === null ? null : Number(i.priceAmount),
  priceUnit: i.priceUnit,
  active: i.active,
  version: i.version,
});

/** The municipality's own catalogue (methods, local services and prices) and licensed instruments. */
export async function registerCatalogueRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const ref = () => app.ctx.reference;

  app.get('/api/catalogue', {
    schema: { tags, summary: 'Kommunens metoder, lokale ydelser og licenserede måleredskaber' },
    config: { policy: { authenticated: true } },
    handler: async (req) =>
      inTenant(req, async (tx) => ({
        items: (await catalogue.listCatalogue(tx)).map(present),
        instruments: [...(await enabledInstruments(tx))],
      })),
  });

  app.post('/api/admin/catalogue', {
    schema: { tags, summary: 'Tilføj metode eller lokal ydelse', body: catalogueBody },
    config: { policy: { action: 'catalogue.manage' } },
    handler: async (req, reply) => {
      const i = await inTenant(req, (tx, ctx) => catalogue.createItem(tx, ctx, ref(), req.body));
      return reply.code(201).send(present(i));
    },
  });

  app.put('/api/admin/catalogue/:id', {
    schema: {
      tags,
      summary: 'Ret metode eller lokal ydelse (pris)',
      params: idParams,
      body: catalogueUpdateBody,
    },
    config: { policy: { action: 'catalogue.manage' } },
    handler: async (req) => {
      const r = await inTenant(req, (tx) => catalogue.updateItem(tx, ref(), req.params.id, req.body));
      if ('notFound' in r) throw notFound('Posten');
      if ('conflict' in r)
        throw conflict('version_conflict', 'Posten er ændret af en anden.', { current: present(r.conflict) });
      return present(r.ok);
    },
  });

  app.post('/api/admin/catalogue/import-methods', {
    schema: { tags, summary: 'Hent det nationale metodekatalog ind i kommunens' },
    config: { policy: { action: 'catalogue.manage' } },
    handler: async (req) => ({
      added: await inTenant(req, (tx, ctx) => catalogue.importMethods(tx, ctx, ref())),
    }),
  });

  app.put('/api/admin/instruments/:key', {
    schema: {
      tags,
      summary: 'Slå et licenseret måleredskab til eller fra',
      params: z.object({ key: codeText(20) }),
      body: z.object({ enabled: z.boolean() }),
    },
    config: { policy: { action: 'catalogue.manage' } },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) =>
        catalogue.setInstrument(tx, ctx, ref(), req.params.key, req.body.enabled),
      );
      if (!r) throw notFound('Måleredskabet');
      return r;
    },
  });
}
