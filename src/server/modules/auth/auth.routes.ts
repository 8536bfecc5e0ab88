import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { loginBody } from '../../../shared/schemas';
import { users } from '../../db/schema';
import { DEMO_LOGINS } from '../../db/seed/demo-logins';
import { hashPassword, needsRehash, verifyPassword } from '../../platform/auth/passwords';
import { createSession, currentRoles, endSession } from '../../platform/auth/sessions';
import { clearUserIp, lockedFor, recordFailure } from '../../platform/auth/throttle';
import {
  clearedSessionCookie,
  deviceCookie,
  isKnownDevice,
  keyedHash,
  markerCookie,
  parseCookies,
  SESSION_COOKIE,
  STAFF_MARKER,
  sessionCookie,
} from '../../platform/auth/tokens';
import { notFound, Problem } from '../../platform/errors';
import { ACTIONS, type Actor, can } from '../../platform/policy';
import { actorOf, inTenant } from '../../platform/request';
import { rowsOf, withoutTenant, withTenant } from '../../platform/tenancy';

const tags = ['login'];

export function presentSession(actor: Actor, demoMode: boolean) {
  return {
    /** Demo mode: the UI offers the demo outbox. */
    demo: demoMode,
    user: { id: actor.userId, username: actor.username, displayName: actor.displayName },
    municipality: { id: actor.municipalityId, name: actor.municipalityName },
    roles: actor.roles,
    permissions: ACTIONS.filter((a) => can(actor, a)),
    csrfToken: actor.csrfToken,
  };
}

const invalidCredentials = () =>
  new Problem(401, 'invalid_credentials', 'Forkert brugernavn eller adgangskode.');

/** Login, logout and the current session. */
export async function registerAuthRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { database: db, sessions: settings, config } = app.ctx;

  app.post('/api/auth/login', {
    schema: { tags, summary: 'Log ind med lokal konto', body: loginBody },
    config: { policy: { public: true } },
    handler: async (req, reply) => {
      const now = settings.now();
      const username = req.body.username.toLowerCase();
      const keys = {
        userIp: `u:${keyedHash(settings.secret, `${username}|${req.ip}`)}`,
        ip: `ip:${keyedHash(settings.secret, req.ip)}`,
        account: `a:${keyedHash(settings.secret, username)}`,
      };
      const knownDevice = isKnownDevice(settings.secret, req.headers.cookie, username, now);
      const locked = await withoutTenant(db, (tx) => lockedFor(tx, keys, now, { knownDevice }));
      if (locked > 0) {
        reply.header('retry-after', String(locked));
        throw new Problem(429, 'too_many_attempts', 'For mange forsøg. Vent lidt, og prøv igen.', {
          retryAfterSeconds: locked,
        });
      }
      const [found] = await withoutTenant(db, async (tx) =>
        rowsOf<{ user_id: string; municipality_id: string; password_hash: string; active: boolean }>(
          await tx.execute(sql`select * from auth_find_user(${username})`),
        ),
      );
      const ok = await verifyPassword(found?.password_hash ?? null, req.body.password);
      if (!found || !ok || !found.active) {
        await withoutTenant(db, (tx) => recordFailure(tx, keys, now));
        req.log.info({ event: 'login_failed' }, 'login failed');
        throw invalidCredentials();
      }
      const rehash = needsRehash(found.password_hash) ? await hashPassword(req.body.password) : null;
      const oldToken = parseCookies(req.headers.cookie)[SESSION_COOKIE];
      const ctx = { municipalityId: found.municipality_id, userId: found.user_id };
      const session = await withTenant(db, ctx, async (tx) => {
        // A new id at every login; whatever session the browser carried before is ended.
        if (oldToken) await endSession(tx, keyedHash(settings.secret, oldToken));
        if (rehash) await tx.update(users).set({ passwordHash: rehash }).where(eq(users.id, found.user_id));
        const roles = await currentRoles(tx, found.user_id);
        return createSession(
          tx,
          settings,
          { userId: found.user_id, municipalityId: found.municipality_id },
          roles,
        );
      });
      await withoutTenant(db, (tx) => clearUserIp(tx, keys));
      req.log.info({ event: 'login', userId: found.user_id }, 'login');
      reply.header('set-cookie', [
        sessionCookie(session.token),
        deviceCookie(settings.secret, username, now),
        markerCookie(STAFF_MARKER, true),
      ]);
      return { ok: true, csrfToken: session.csrfToken };
    },
  });

  app.post('/api/auth/logout', {
    schema: { tags, summary: 'Log ud' },
    config: { policy: { authenticated: true } },
    handler: async (req, reply) => {
      await inTenant(req, (tx, ctx) => endSession(tx, ctx.actor.sessionId));
      reply.header('set-cookie', [clearedSessionCookie(), markerCookie(STAFF_MARKER, false)]);
      return reply.code(204).send();
    },
  });

  app.get('/api/auth/session', {
    schema: { tags, summary: 'Den aktuelle session' },
    config: { policy: { authenticated: true } },
    handler: (req) => presentSession(actorOf(req), config.demoMode),
  });

  app.get('/api/auth/demo-logins', {
    schema: { tags, summary: 'Demo-logins (kun i demotilstand)' },
    config: { policy: { public: true } },
    handler: () => {
      if (!config.demoMode) throw notFound();
      return { items: DEMO_LOGINS };
    },
  });
}
