import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditSearchBody, idParams, logAnswerBody } from '../../../shared/schemas';
import { verifyAuditChain } from '../../platform/audit';
import { notFound } from '../../platform/errors';
import { inTenant } from '../../platform/request';
import { answerQuestion, listQuestions } from './audit.questions';
import { auditActors, searchAudit } from './audit.service';

const tags = ['logning'];

/** The audit log (logning af opslag): search and hash-chain verification. */
export async function registerAuditRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post('/api/audit/search', {
    schema: { tags, summary: 'Søg i loggen over opslag og ændringer', body: auditSearchBody },
    config: { policy: { action: 'audit.read' }, audited: true },
    handler: (req) => inTenant(req, (tx, ctx) => searchAudit(tx, ctx, req.body)),
  });

  app.get('/api/audit/actors', {
    schema: { tags, summary: 'Kommunens medarbejdere (til at filtrere loggen efter person)' },
    config: { policy: { action: 'audit.read' } },
    handler: async (req) => ({ items: await inTenant(req, (tx) => auditActors(tx)) }),
  });

  app.get('/api/audit/questions', {
    schema: { tags, summary: 'Borgeres spørgsmål til opslag i Min log' },
    config: { policy: { action: 'audit.answer' }, audited: true },
    handler: async (req) => ({ items: await inTenant(req, (tx, ctx) => listQuestions(tx, ctx)) }),
  });

  app.post('/api/audit/questions/:id/answer', {
    schema: { tags, summary: 'Svar borgeren', params: idParams, body: logAnswerBody },
    config: { policy: { action: 'audit.answer' }, audited: true },
    handler: async (req, reply) => {
      const done = await inTenant(req, (tx, ctx) => answerQuestion(tx, ctx, req.params.id, req.body.answer));
      if (!done) throw notFound('Spørgsmålet');
      return reply.code(204).send();
    },
  });

  app.post('/api/audit/verify', {
    schema: { tags, summary: 'Efterprøv loggens hashkæde' },
    config: { policy: { action: 'audit.verify' } },
    handler: (req) => inTenant(req, (tx) => verifyAuditChain(tx)),
  });
}
