import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  idParams,
  inboxQuery,
  messageCreateBody,
  messageReplyBody,
  staffMessageCreateBody,
} from '../../../shared/schemas';
import { municipalities } from '../../db/schema';
import { notFound } from '../../platform/errors';
import { mailAfterCommit } from '../../platform/mail';
import { inPortal, inTenant } from '../../platform/request';
import {
  inbox,
  myThread,
  myThreads,
  replyAsCitizen,
  replyAsStaff,
  staffThread,
  startThread,
  startThreadAsStaff,
} from './messages.service';

const tags = ['messages'];

/** Secure messages: the citizen's side in the portal, the staff's in the unit inbox (issue 14, item 10). */
export async function registerMessageRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { config } = root.ctx;
  const deliverMail = mailAfterCommit(root.ctx.mail);

  app.get('/api/portal/messages', {
    schema: { tags, summary: 'Beskeder: mine tråde og hvem jeg kan skrive til' },
    config: { policy: { citizen: true, representative: 'read' }, audited: true },
    handler: (req) => inPortal(req, (tx, ctx) => myThreads(tx, ctx)),
  });

  app.post('/api/portal/messages', {
    schema: { tags, summary: 'Skriv en ny besked', body: messageCreateBody },
    config: { policy: { citizen: true, representative: 'messages' }, audited: true },
    handler: async (req, reply) =>
      reply.code(201).send(await inPortal(req, (tx, ctx) => startThread(tx, ctx, req.body))),
  });

  app.get('/api/portal/messages/:id', {
    schema: { tags, summary: 'En tråd med alle beskeder (markeres som læst)', params: idParams },
    config: { policy: { citizen: true, representative: 'read' }, audited: true },
    handler: async (req) => {
      const r = await inPortal(req, async (tx, ctx) => {
        const [m] = await tx.select({ show: municipalities.portalShowStaffNames }).from(municipalities);
        return myThread(tx, ctx, req.params.id, m?.show ?? false);
      });
      if (!r) throw notFound('Tråden');
      return r;
    },
  });

  app.post('/api/portal/messages/:id', {
    schema: { tags, summary: 'Svar i en tråd', params: idParams, body: messageReplyBody },
    config: { policy: { citizen: true, representative: 'messages' }, audited: true },
    handler: async (req, reply) => {
      const r = await inPortal(req, (tx, ctx) => replyAsCitizen(tx, ctx, req.params.id, req.body));
      if (!r) throw notFound('Tråden');
      return reply.code(201).send(r);
    },
  });

  app.post('/api/citizens/:id/messages', {
    schema: {
      tags,
      summary: 'Skriv til borgeren (en ny tråd på en af borgerens sager)',
      params: idParams,
      body: staffMessageCreateBody,
    },
    config: { policy: { action: 'message.handle' }, audited: true },
    onResponse: deliverMail,
    handler: async (req, reply) => {
      const r = await inTenant(req, (tx, ctx) =>
        startThreadAsStaff(tx, ctx, req.params.id, req.body, config.publicUrl),
      );
      if (!r) throw notFound('Sagen');
      return reply.code(201).send(r);
    },
  });

  app.get('/api/messages', {
    schema: { tags, summary: 'Enhedens indbakke: beskeder fra borgere', querystring: inboxQuery },
    config: { policy: { action: 'message.handle' }, audited: true },
    handler: (req) => inTenant(req, (tx, ctx) => inbox(tx, ctx, req.query.unitId)),
  });

  app.get('/api/messages/:id', {
    schema: { tags, summary: 'En tråd i enhedens indbakke (markeres som læst)', params: idParams },
    config: { policy: { action: 'message.handle' }, audited: true },
    handler: async (req) => {
      const r = await inTenant(req, (tx, ctx) => staffThread(tx, ctx, req.params.id));
      if (!r) throw notFound('Tråden');
      return r;
    },
  });

  app.post('/api/messages/:id', {
    schema: {
      tags,
      summary: 'Svar borgeren (borgeren får en e-mail uden indhold)',
      params: idParams,
      body: messageReplyBody,
    },
    config: { policy: { action: 'message.handle' }, audited: true },
    onResponse: deliverMail,
    handler: async (req, reply) => {
      const r = await inTenant(req, (tx, ctx) =>
        replyAsStaff(tx, ctx, req.params.id, req.body, config.publicUrl),
      );
      if (!r) throw notFound('Tråden');
      return reply.code(201).send(r);
    },
  });
}
