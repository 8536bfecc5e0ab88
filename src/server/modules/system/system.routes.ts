import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import { safeEqual } from '../../platform/auth/tokens';
import { Problem } from '../../platform/errors';
import { sendProblem } from '../../platform/http';

/** Health, metrics, the OpenAPI document and the web app's files. */
export async function registerSystemRoutes(app: FastifyInstance): Promise<void> {
  const { config, database } = app.ctx;
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'retning_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/healthz', {
    schema: { tags: ['drift'], summary: 'Sundhedstjek (inkl. database)' },
    config: { policy: { public: true } },
    handler: async (_req, reply) => {
      try {
        await database.queryOnce({}, 'SELECT 1', []);
        return { status: 'ok', database: 'ok' };
      } catch {
        return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
      }
    },
  });

  app.get('/metrics', {
    schema: { tags: ['drift'], summary: 'Prometheus-målinger (bearer-token i produktion)', hide: true },
    config: { policy: { public: true } },
    handler: async (req, reply) => {
      // Without a token configured, metrics are open only outside production.
      const auth = req.headers.authorization ?? '';
      const allowed = config.metricsToken
        ? safeEqual(auth, `Bearer ${config.metricsToken}`)
        : config.env !== 'production';
      if (!allowed) return sendProblem(reply, new Problem(404, 'not_found', 'Findes ikke.'));
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  });

  app.get('/api/openapi.json', {
    schema: { tags: ['drift'], summary: 'OpenAPI-beskrivelse af API’et', hide: true },
    config: { policy: { public: true } },
    handler: () => app.swagger(),
  });

  const webRoot = path.resolve(config.webDir);
  const indexFile = path.join(webRoot, 'index.html');
  await app.register(fastifyStatic, { root: webRoot, serve: false });
  const indexHtml = () => (existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null);

  app.get('/assets/*', {
    schema: { hide: true },
    config: { policy: { public: true } },
    handler: (req, reply) => {
      const rel = (req.params as { '*': string })['*'];
      if (!/^[\w.-]+$/.test(rel) || !existsSync(path.join(webRoot, 'assets', rel))) {
        return sendProblem(reply, new Problem(404, 'not_found', 'Findes ikke.'));
      }
      // Vite names assets by their content hash: cache them for a year. (@fastify/static sets
      // Cache-Control itself from these options; a header set before sendFile would be overwritten.)
      return reply.sendFile(path.join('assets', rel), { maxAge: '365d', immutable: true });
    },
  });

  app.get('/favicon.svg', {
    schema: { hide: true },
    config: { policy: { public: true } },
    handler: (_req, reply) => reply.sendFile('favicon.svg', { maxAge: '1d' }),
  });

  // Every other GET outside /api is a page of the single-page app.
  app.setNotFoundHandler((req, reply) => {
    const html = req.method === 'GET' && !req.url.startsWith('/api/') ? indexHtml() : null;
    if (html) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
    return sendProblem(reply, new Problem(404, 'not_found', 'Findes ikke.'));
  });
}
