import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config';
import type { Database } from './db/client';
import { registerAdminRoutes } from './modules/admin/admin.routes';
import { registerAuditRoutes } from './modules/audit/audit.routes';
import { registerAuthRoutes } from './modules/auth/auth.routes';
import { registerCitizenRoutes } from './modules/citizens/citizens.routes';
import { registerSystemRoutes } from './modules/system/system.routes';
import { resolveSession, type SessionSettings } from './platform/auth/sessions';
import { clearedSessionCookie, parseCookies, SESSION_COOKIE, safeEqual } from './platform/auth/tokens';
import { forbidden, Problem, unauthenticated } from './platform/errors';
import {
  applySecurityHeaders,
  genReqId,
  installErrorHandling,
  logSerializers,
  scrubbing,
  sendProblem,
} from './platform/http';
import { type Actor, can, type RoutePolicy } from './platform/policy';

export interface Clock {
  now(): Date;
}

export interface AppDeps {
  database: Database;
  config: Config;
  clock?: Clock;
  /** false silences logs (tests); otherwise pino writes JSON lines to stdout, CPR-shaped text masked. */
  logger?: boolean | { stream: { write(line: string): void } };
}

export interface AppContext {
  db: Database['db'];
  database: Database;
  config: Config;
  clock: Clock;
  sessions: SessionSettings;
}

export interface RouteInventoryEntry {
  method: string;
  url: string;
  policy: RoutePolicy;
  audited: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
    /** The route reads or writes citizen data and writes an audit event. */
    audited?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    ctx: AppContext;
    routeInventory: RouteInventoryEntry[];
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Builds the Fastify app around a database; main.ts listens, tests inject. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const clock = deps.clock ?? { now: () => new Date() };
  const logger =
    deps.logger === false
      ? false
      : {
          level: config.logLevel,
          serializers: logSerializers,
          stream: scrubbing(deps.logger && deps.logger !== true ? deps.logger.stream : process.stdout),
          redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'],
        };
  const app = Fastify({
    logger,
    genReqId,
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('ctx', {
    db: deps.database.db,
    database: deps.database,
    config,
    clock,
    sessions: {
      secret: config.sessionSecret,
      idleTimeoutMs: config.idleTimeoutMs,
      absoluteTimeoutMs: config.absoluteTimeoutMs,
      now: () => clock.now(),
    },
  });
  app.decorate('routeInventory', [] as RouteInventoryEntry[]);
  app.decorateRequest('actor', null);

  // Every route must declare its policy; a route without one fails at start-up, not in production.
  app.addHook('onRoute', (route) => {
    const policy = route.config?.policy;
    if (!policy) throw new Error(`Route ${route.method} ${route.url} declares no access policy`);
    for (const method of [route.method].flat()) {
      app.routeInventory.push({ method, url: route.url, policy, audited: route.config?.audited === true });
    }
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Retning API',
        description: 'Recovery-oriented social psychiatry for Danish municipalities.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  installErrorHandling(app, config);

  app.addHook('onRequest', async (req, reply) => {
    applySecurityHeaders(req, reply);
    const policy = req.routeOptions.config?.policy;
    if (!policy) return; // not-found handler: answers 404 or the web app shell
    const stateChanging = !SAFE_METHODS.has(req.method);
    if (stateChanging && !sameOrigin(req.headers)) {
      return sendProblem(reply, new Problem(403, 'csrf', 'Forespørgslen kom fra et andet websted.'));
    }
    const csrfHeader = req.headers['x-csrf-token'];
    if ('public' in policy) {
      // Public writes (login) still need a custom header, which a cross-site form cannot send.
      if (stateChanging && (typeof csrfHeader !== 'string' || csrfHeader.length === 0)) {
        return sendProblem(reply, new Problem(403, 'csrf', 'CSRF-token mangler.'));
      }
      return;
    }
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    const resolution = await resolveSession(app.ctx.db, app.ctx.sessions, token);
    if (!resolution.actor) {
      if (resolution.reason !== 'none') reply.header('set-cookie', clearedSessionCookie());
      const p = unauthenticated();
      if (resolution.reason !== 'none') p.extra.reason = resolution.reason;
      return sendProblem(reply, p);
    }
    if (
      stateChanging &&
      !(typeof csrfHeader === 'string' && safeEqual(csrfHeader, resolution.actor.csrfToken))
    ) {
      return sendProblem(reply, new Problem(403, 'csrf', 'CSRF-token mangler eller er forkert.'));
    }
    req.actor = resolution.actor;
    if ('action' in policy && !can(req.actor, policy.action)) return sendProblem(reply, forbidden());
  });

  await registerSystemRoutes(app);
  await registerAuthRoutes(app);
  await registerCitizenRoutes(app);
  await registerAdminRoutes(app);
  await registerAuditRoutes(app);
  return app;
}

/** Origin (or Sec-Fetch-Site) must say the request came from our own pages. */
function sameOrigin(headers: Record<string, string | string[] | undefined>): boolean {
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      const o = new URL(origin);
      return new URL(`${o.protocol}//${headers.host}`).host === o.host;
    } catch {
      return false;
    }
  }
  if (origin === 'null') return false;
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}
