import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config';
import type { Database, OpenTransaction } from './db/client';
import { registerAdminRoutes } from './modules/admin/admin.routes';
import { registerAuditRoutes } from './modules/audit/audit.routes';
import { registerAuthRoutes } from './modules/auth/auth.routes';
import { registerCaseRoutes } from './modules/cases/cases.routes';
import { registerCatalogueRoutes } from './modules/catalogue/catalogue.routes';
import { registerCitizenRoutes } from './modules/citizens/citizens.routes';
import { registerCommunityRoutes } from './modules/community/community.routes';
import { registerConsentRoutes } from './modules/consents/consents.routes';
import { registerImportRoutes } from './modules/dataimport/import.routes';
import { createKeyFigureRefresher, type KeyFigureRefresher } from './modules/keyfigures/keyfigures.refresh';
import { registerKeyFigureRoutes } from './modules/keyfigures/keyfigures.routes';
import { registerMessageRoutes } from './modules/messages/messages.routes';
import { registerOutcomeRoutes } from './modules/outcomes/outcomes.routes';
import { registerPlanRoutes } from './modules/plans/plans.routes';
import { registerPortalRoutes } from './modules/portal/portal.routes';
import { loadReference, type Reference } from './modules/reference/reference';
import { registerReferenceRoutes } from './modules/reference/reference.routes';
import { registerRepresentationRoutes } from './modules/representations/representations.routes';
import { registerServiceRoutes } from './modules/services/services.routes';
import { registerSurveyRoutes } from './modules/survey/survey.routes';
import { registerSystemRoutes } from './modules/system/system.routes';
import { type AuditRow, auditInsertStatement } from './platform/audit';
import { clearedPortalCookie, openCitizenRequest, PORTAL_COOKIE } from './platform/auth/portal-sessions';
import { openRequest, type SessionSettings } from './platform/auth/sessions';
import {
  clearedSessionCookie,
  markerCookie,
  PORTAL_MARKER,
  parseCookies,
  SESSION_COOKIE,
  STAFF_MARKER,
  safeEqual,
} from './platform/auth/tokens';
import { forbidden, Problem, unauthenticated } from './platform/errors';
import {
  applySecurityHeaders,
  genReqId,
  installErrorHandling,
  internalError,
  loggableError,
  logSerializers,
  problemBody,
  scrubbing,
  sendProblem,
} from './platform/http';
import { createMailService, type MailService } from './platform/mail';
import {
  type Actor,
  allowsRoute,
  type CitizenActor,
  type RoutePolicy,
  representativeMayUse,
} from './platform/policy';

export interface Clock {
  now(): Date;
}

export interface AppDeps {
  database: Database;
  config: Config;
  clock?: Clock;
  /** false silences logs (tests); otherwise pino writes JSON lines to stdout, CPR-shaped text masked. */
  logger?: boolean | { stream: { write(line: string): void } };
  /** Reference data already read; otherwise buildApp reads it from the database. */
  reference?: Reference;
}

export interface AppContext {
  database: Database;
  config: Config;
  clock: Clock;
  sessions: SessionSettings;
  reference: Reference;
  /** Outgoing mail through the outbox (survey links and reminders). */
  mail: MailService;
  /** Recomputes the key figures of municipalities whose pathway data changed. */
  keyFigures: KeyFigureRefresher;
}

export interface RouteInventoryEntry {
  method: string;
  url: string;
  policy: RoutePolicy;
  audited: boolean;
  /** The route's zod schemas (body, querystring, params), for the tests that walk every route. */
  schema: { body?: unknown; querystring?: unknown; params?: unknown };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
    /** The route reads or writes citizen data and writes an audit event. */
    audited?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The citizen of a portal request (a citizen session); null on every staff route. */
    citizen: CitizenActor | null;
    /** The request's one transaction (authenticated routes); committed in onSend, before data leaves. */
    unitOfWork: UnitOfWork | null;
  }
  interface FastifyInstance {
    ctx: AppContext;
    routeInventory: RouteInventoryEntry[];
  }
}

export interface UnitOfWork {
  tx: OpenTransaction;
  /** Audit rows to insert with the COMMIT. */
  pending: AuditRow[];
  /** A service threw: its work is rolled back, whatever the response. */
  failed: boolean;
  closed: boolean;
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
  // In demo mode a newcomer reads the terminal: one short line per request (below) instead of Fastify's two
  // JSON lines. Production keeps the structured JSON request log.
  const demoRequestLog = config.demoMode && deps.logger === undefined;
  const app = Fastify({
    logger,
    logController: new LogController({ disableRequestLogging: demoRequestLog }),
    genReqId,
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const reference = deps.reference ?? (await loadReference(deps.database));
  app.decorate('ctx', {
    database: deps.database,
    config,
    clock,
    sessions: {
      secret: config.sessionSecret,
      idleTimeoutMs: config.idleTimeoutMs,
      absoluteTimeoutMs: config.absoluteTimeoutMs,
      now: () => clock.now(),
    },
    reference,
    mail: createMailService(deps.database, config, {
      error: (o, msg) => app.log.error(o, msg),
    }),
    keyFigures: createKeyFigureRefresher(deps.database, reference, clock),
  });
  app.addHook('onClose', async () => app.ctx.mail.close());
  app.decorate('routeInventory', [] as RouteInventoryEntry[]);
  app.decorateRequest('actor', null);
  app.decorateRequest('citizen', null);
  app.decorateRequest('unitOfWork', null);

  // Every route must declare its policy; a route without one fails at start-up, not in production.
  app.addHook('onRoute', (route) => {
    const policy = route.config?.policy;
    if (!policy) throw new Error(`Route ${route.method} ${route.url} declares no access policy`);
    for (const method of [route.method].flat()) {
      const { body, querystring, params } = (route.schema ?? {}) as RouteInventoryEntry['schema'];
      app.routeInventory.push({
        method,
        url: route.url,
        policy,
        audited: route.config?.audited === true,
        schema: { body, querystring, params },
      });
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
    if ('citizen' in policy) {
      // A portal route: only a citizen session opens it, in a transaction as retning_citizen.
      const cookies = parseCookies(req.headers.cookie);
      const opening = await openCitizenRequest(app.ctx.database, app.ctx.sessions, cookies[PORTAL_COOKIE]);
      if (!opening.citizen) {
        if (opening.reason !== 'none' || PORTAL_MARKER in cookies)
          reply.header('set-cookie', [clearedPortalCookie(), markerCookie(PORTAL_MARKER, false)]);
        const p = unauthenticated();
        if (opening.reason !== 'none') p.extra.reason = opening.reason;
        return sendProblem(reply, p);
      }
      req.citizen = opening.citizen;
      req.unitOfWork = { tx: opening.tx, pending: [], failed: false, closed: false };
      if (
        stateChanging &&
        !(typeof csrfHeader === 'string' && safeEqual(csrfHeader, opening.citizen.csrfToken))
      )
        return sendProblem(reply, new Problem(403, 'csrf', 'CSRF-token mangler eller er forkert.'));
      if (!representativeMayUse(opening.citizen, policy))
        return sendProblem(
          reply,
          new Problem(
            403,
            'representative_not_allowed',
            'Det kan kun borgeren selv gøre, eller din adgang rækker ikke dertil.',
          ),
        );
      return;
    }
    const cookies = parseCookies(req.headers.cookie);
    const opening = await openRequest(app.ctx.database, app.ctx.sessions, cookies[SESSION_COOKIE]);
    if (!opening.actor) {
      // A stale marker (its session cookie gone) is cleared too, or the page would ask again at every visit.
      if (opening.reason !== 'none' || STAFF_MARKER in cookies)
        reply.header('set-cookie', [clearedSessionCookie(), markerCookie(STAFF_MARKER, false)]);
      const p = unauthenticated();
      if (opening.reason !== 'none') p.extra.reason = opening.reason;
      return sendProblem(reply, p);
    }
    req.actor = opening.actor;
    req.unitOfWork = { tx: opening.tx, pending: [], failed: false, closed: false };
    if (
      stateChanging &&
      !(typeof csrfHeader === 'string' && safeEqual(csrfHeader, opening.actor.csrfToken))
    ) {
      return sendProblem(reply, new Problem(403, 'csrf', 'CSRF-token mangler eller er forkert.'));
    }
    if (!allowsRoute(req.actor, policy)) return sendProblem(reply, forbidden());
  });

  // The unit of work ends before the response leaves: commit with the audit rows, or roll back. If the
  // commit fails (audit store down, say) the client gets a 500 and none of the data.
  app.addHook('onSend', async (req, reply, payload) => {
    const uow = req.unitOfWork;
    if (!uow || uow.closed) return payload;
    uow.closed = true;
    if (uow.failed || reply.statusCode >= 500) {
      await uow.tx.rollback().catch((err) => req.log.error({ err: loggableError(err) }, 'rollback failed'));
      return payload;
    }
    try {
      await uow.tx.commit(uow.pending.length ? auditInsertStatement(uow.pending) : undefined);
      return payload;
    } catch (err) {
      req.log.error({ err: loggableError(err) }, 'commit failed; response withheld');
      reply.code(500).type('application/problem+json').header('cache-control', 'no-store');
      return JSON.stringify(problemBody(internalError()));
    }
  });
  if (demoRequestLog)
    app.addHook('onResponse', async (req, reply) => {
      // The route's pattern, never the address: no ids, query parameters or search terms in the terminal.
      const route = req.routeOptions.url ?? '(ukendt adresse)';
      process.stdout.write(
        `${req.method} ${route} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms\n`,
      );
    });
  // Safety net: a request that ends without onSend (socket gone) must not leave its transaction open.
  app.addHook('onResponse', async (req) => {
    const uow = req.unitOfWork;
    if (uow && !uow.closed) {
      uow.closed = true;
      await uow.tx.rollback().catch(() => undefined);
    }
  });

  await registerSystemRoutes(app);
  await registerAuthRoutes(app);
  await registerCitizenRoutes(app);
  await registerAdminRoutes(app);
  await registerAuditRoutes(app);
  await registerReferenceRoutes(app);
  await registerCaseRoutes(app);
  await registerServiceRoutes(app);
  await registerPlanRoutes(app);
  await registerOutcomeRoutes(app);
  await registerCommunityRoutes(app);
  await registerCatalogueRoutes(app);
  await registerSurveyRoutes(app);
  await registerImportRoutes(app);
  await registerKeyFigureRoutes(app);
  await registerPortalRoutes(app);
  await registerConsentRoutes(app);
  await registerMessageRoutes(app);
  await registerRepresentationRoutes(app);
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
