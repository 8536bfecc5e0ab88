import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { danishDate } from '../../../shared/domain/dates';
import { importFileBody } from '../../../shared/import';
import { inTenant } from '../../platform/request';
import { importFile } from './import.service';

/** Data in bulk: moving a municipality's citizens and pathways from another system (docs/import-format.md). */
export async function registerImportRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post('/api/admin/import', {
    // A municipality's history can be tens of megabytes of NDJSON.
    bodyLimit: 60 * 1024 * 1024,
    schema: {
      tags: ['import'],
      summary:
        'Indlæs borgere, sager, ydelser, mål, opfølgninger og målinger (NDJSON eller CSV, alt eller intet)',
      body: importFileBody,
    },
    config: { policy: { action: 'data.import' }, audited: true },
    handler: async (req) =>
      inTenant(req, (tx, ctx) =>
        importFile(
          tx,
          ctx,
          root.ctx.reference,
          danishDate(root.ctx.clock.now()),
          'ndjson' in req.body ? req.body.ndjson : { csv: req.body.csv },
        ),
      ),
  });
}
