import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditSearchBody } from '../../../shared/schemas';
import { verifyAuditChain } from '../../platform/audit';
import { inTenant } from '../../platform/request';
import { searchAudit } from './audit.service';

const tags = ['logning'];

/** The audit log (logning af opslag): search and hash-chain verification. */
export async function registerAuditRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post('/api/audit/search', {
    schema: { tags, summary: 'Søg i loggen over opslag og ændringer', body: auditSearchBody },
    config: { policy: { action: 'audit.read' } },
    handler: (req) => inTenant(req, (tx) => searchAudit(tx, req.body)),
  });

  app.post('/api/audit/verify', {
    schema: { tags, summary: 'Efterprøv loggens hashkæde' },
    config: { policy: { action: 'audit.verify' } },
    handler: (req) => inTenant(req, (tx) => verifyAuditChain(tx)),
  });
}
