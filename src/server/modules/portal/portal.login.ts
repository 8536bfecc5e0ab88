import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { danishDate } from '../../../shared/domain/dates';
import { portalCallbackQuery, portalChooseBody, portalLoginQuery } from '../../../shared/schemas';
import type { Config } from '../../config';
import { auditEvents } from '../../db/schema';
import { CITIZEN_AUDIT_ROLE, REPRESENTATIVE_AUDIT_ROLE } from '../../platform/audit';
import {
  type MitidClient,
  MitidRefusal,
  mitidClient,
  type NsisLevel,
  type RefusalReason,
} from '../../platform/auth/mitid';
import {
  attemptCookie,
  choiceCookie,
  clearedAttemptCookie,
  clearedChoiceCookie,
  clearedPortalCookie,
  createCitizenSession,
  endCitizenSession,
  MITID_ATTEMPT_COOKIE,
  openAttempt,
  openChoice,
  PORTAL_CHOICE_COOKIE,
  PORTAL_COOKIE,
  portalCookie,
} from '../../platform/auth/portal-sessions';
import { keyedHash, markerCookie, PORTAL_MARKER, parseCookies } from '../../platform/auth/tokens';
import { notFound } from '../../platform/errors';
import { loggableError } from '../../platform/http';
import { inPortal } from '../../platform/request';
import { rowsOf, withoutTenant, withTenant } from '../../platform/tenancy';

const tags = ['portal'];

/** Why a login was refused, as the login page and the audit log know it. */
export type PortalRefusal = RefusalReason | 'attempt' | 'no_citizen' | 'unavailable';

/** The redirect URI Retning registers at the broker. */
export const portalRedirectUri = (config: Config) => `${config.publicUrl}/api/portal/callback`;

/**
 * The MitID client, discovered on first use and kept; a failed discovery (broker down) is retried at the
 * next login instead of keeping the portal down until a restart.
 */
export function portalClientFactory(config: Config): (() => Promise<MitidClient>) | null {
  const m = config.mitid;
  if (!m) return null;
  let client: Promise<MitidClient> | null = null;
  return () => {
    client ??= mitidClient({
      issuer: m.issuer,
      clientId: m.clientId,
      clientKey: m.clientKey,
      redirectUri: portalRedirectUri(config),
      allowHttp: config.env !== 'production' && m.issuer.startsWith('http://'),
    }).catch((err) => {
      client = null;
      throw err;
    });
    return client;
  };
}

/**
 * MitID login for citizens: start (to the broker), callback (back from it) and logout. Every refusal is
 * audited in the municipality the citizen chose, with its reason and without the CPR number, and leaves no
 * session; the browser lands on the login page with the reason.
 */
export async function registerPortalLoginRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { database: db, sessions: settings, config } = app.ctx;
  const portalClient = portalClientFactory(config);

  const municipalityByCode = async (code: string): Promise<string | null> => {
    const [row] = await withoutTenant(db, async (tx) =>
      rowsOf<{ id: string }>(await tx.execute(sql`select id from municipality_ids_by_code(array[${code}])`)),
    );
    return row?.id ?? null;
  };

  /** One audit event for a login or a refusal, in the municipality's own chain. */
  const auditLogin = (
    municipalityId: string,
    requestId: string,
    outcome:
      | { citizenId: string; level: string; representationId?: string | null }
      | { refused: PortalRefusal },
  ) =>
    withTenant(db, { municipalityId, userId: null }, (tx) =>
      tx.insert(auditEvents).values({
        municipalityId,
        requestId,
        actorUserId: null,
        actorRole:
          'representationId' in outcome && outcome.representationId
            ? REPRESENTATIVE_AUDIT_ROLE
            : CITIZEN_AUDIT_ROLE,
        citizenId: 'citizenId' in outcome ? outcome.citizenId : null,
        action: 'login',
        resourceType: 'citizen_session',
        criteria:
          'refused' in outcome
            ? { reason: outcome.refused }
            : outcome.representationId
              ? { level: outcome.level, representationId: outcome.representationId }
              : { level: outcome.level },
        purpose: 'portal',
        outcome: 'refused' in outcome ? 'denied' : 'success',
      }),
    );

  /** Who a MitID identity may act as in a municipality: themself (a citizen there) and those they represent. */
  const personOptions = async (kommune: string, cpr: string) => {
    const today = danishDate(settings.now());
    return withoutTenant(db, async (tx) => {
      const [self] = rowsOf<{ citizen_id: string }>(
        await tx.execute(sql`select * from auth_find_citizen(${kommune}, ${cpr})`),
      );
      const representations = rowsOf<{
        representation_id: string;
        citizen_id: string;
        first_name: string;
        last_name: string;
      }>(await tx.execute(sql`select * from auth_find_representations(${kommune}, ${cpr}, ${today}::date)`));
      return { self: self?.citizen_id ?? null, representations };
    });
  };

  /**
   * Starts the session (a new id at every login; whatever portal session the browser carried is ended),
   * audits the login and answers the session's cookie.
   */
  const startSession = async (
    req: FastifyRequest,
    municipalityId: string,
    level: NsisLevel,
    who: { citizenId: string; representationId: string | null },
  ) => {
    const oldToken = parseCookies(req.headers.cookie)[PORTAL_COOKIE];
    const session = await withTenant(db, { municipalityId, userId: null }, async (tx) => {
      if (oldToken) await endCitizenSession(tx, keyedHash(settings.secret, oldToken));
      return createCitizenSession(tx, settings, { municipalityId, level, ...who });
    });
    await auditLogin(municipalityId, req.id, { ...who, level });
    req.log.info({ event: 'portal_login' }, 'portal login');
    return portalCookie(session.token);
  };

  app.get('/api/portal/municipalities', {
    schema: { tags, summary: 'Kommuner, borgere kan logge ind i' },
    config: { policy: { public: true } },
    handler: async () => {
      if (!portalClient) throw notFound('Borgerportalen');
      const rows = await withoutTenant(db, async (tx) =>
        rowsOf<{ code: string; name: string }>(await tx.execute(sql`select * from portal_municipalities()`)),
      );
      return { items: rows.map((r) => ({ code: r.code, name: r.name })), demo: config.demoMode };
    },
  });

  app.get('/api/portal/login', {
    schema: { tags, summary: 'Log ind med MitID (sender videre til MitID)', querystring: portalLoginQuery },
    config: { policy: { public: true } },
    handler: async (req, reply) => {
      if (!portalClient) throw notFound('Borgerportalen');
      if (!(await municipalityByCode(req.query.kommune))) throw notFound('Kommunen');
      let started: Awaited<ReturnType<MitidClient['begin']>>;
      try {
        started = await (await portalClient()).begin();
      } catch (err) {
        req.log.error({ err: loggableError(err) }, 'MitID broker unavailable');
        return reply.redirect('/portal/logind?fejl=unavailable', 303);
      }
      reply.header(
        'set-cookie',
        await attemptCookie(settings, {
          ...started.attempt,
          kommune: req.query.kommune,
          back: req.query.tilbage ?? '/portal',
        }),
      );
      return reply.redirect(started.url.href, 303);
    },
  });

  app.get('/api/portal/callback', {
    schema: { tags, summary: 'Svar fra MitID', querystring: portalCallbackQuery },
    config: { policy: { public: true } },
    handler: async (req, reply) => {
      const refuse = (reason: PortalRefusal) => {
        req.log.info({ event: 'portal_login_refused', reason }, 'portal login refused');
        reply.header('set-cookie', clearedAttemptCookie());
        return reply.redirect(`/portal/logind?fejl=${reason}`, 303);
      };
      if (!portalClient) throw notFound('Borgerportalen');
      const attempt = await openAttempt(settings, parseCookies(req.headers.cookie)[MITID_ATTEMPT_COOKIE]);
      // No attempt of ours (expired, from another browser, forged): nothing to check the answer against,
      // and no municipality to audit in; it is logged without anything of the answer.
      if (!attempt) return refuse('attempt');
      const municipalityId = await municipalityByCode(attempt.kommune);
      if (!municipalityId) return refuse('attempt');
      const callback = new URL(portalRedirectUri(config));
      callback.search = new URL(req.url, 'http://callback').search;
      let identity: Awaited<ReturnType<MitidClient['complete']>>;
      try {
        identity = await (await portalClient()).complete(callback, attempt);
      } catch (err) {
        const reason: PortalRefusal = err instanceof MitidRefusal ? err.reason : 'unavailable';
        if (!(err instanceof MitidRefusal))
          req.log.error({ err: loggableError(err) }, 'MitID broker unavailable');
        await auditLogin(municipalityId, req.id, { refused: reason });
        return refuse(reason);
      }
      const person = await personOptions(attempt.kommune, identity.cpr);
      const count = (person.self ? 1 : 0) + person.representations.length;
      if (count === 0) {
        await auditLogin(municipalityId, req.id, { refused: 'no_citizen' });
        return refuse('no_citizen');
      }
      if (count > 1) {
        // Themself and someone they act for, or several: the person chooses; no session until then.
        reply.header('set-cookie', [
          await choiceCookie(settings, {
            kommune: attempt.kommune,
            cpr: identity.cpr,
            level: identity.level,
            back: attempt.back,
          }),
          clearedAttemptCookie(),
        ]);
        return reply.redirect('/portal/vaelg', 303);
      }
      const rep = person.representations[0];
      const cookie = await startSession(req, municipalityId, identity.level, {
        citizenId: person.self ?? rep!.citizen_id,
        representationId: person.self ? null : rep!.representation_id,
      });
      reply.header('set-cookie', [cookie, clearedAttemptCookie(), markerCookie(PORTAL_MARKER, true)]);
      return reply.redirect(attempt.back, 303);
    },
  });

  app.get('/api/portal/choices', {
    schema: { tags, summary: 'Hvem vil du handle for? (efter MitID, når du kan handle for flere)' },
    config: { policy: { public: true } },
    handler: async (req) => {
      const choice = await openChoice(settings, parseCookies(req.headers.cookie)[PORTAL_CHOICE_COOKIE]);
      if (!choice) throw notFound('Valget');
      const person = await personOptions(choice.kommune, choice.cpr);
      return {
        options: [
          ...(person.self ? [{ id: 'self', as: 'self', name: null }] : []),
          ...person.representations.map((r) => ({
            id: r.representation_id,
            as: 'representative',
            name: `${r.first_name} ${r.last_name}`,
          })),
        ],
      };
    },
  });

  app.post('/api/portal/choose', {
    schema: { tags, summary: 'Vælg, hvem du handler for', body: portalChooseBody },
    config: { policy: { public: true } },
    handler: async (req, reply) => {
      const choice = await openChoice(settings, parseCookies(req.headers.cookie)[PORTAL_CHOICE_COOKIE]);
      if (!choice) throw notFound('Valget');
      const municipalityId = await municipalityByCode(choice.kommune);
      if (!municipalityId) throw notFound('Valget');
      // Looked up again: a representation revoked while the person chose is no longer offered.
      const person = await personOptions(choice.kommune, choice.cpr);
      const picked =
        req.body.option === 'self'
          ? person.self && { citizenId: person.self, representationId: null }
          : (() => {
              const r = person.representations.find((x) => x.representation_id === req.body.option);
              return r && { citizenId: r.citizen_id, representationId: r.representation_id };
            })();
      if (!picked) throw notFound('Valget');
      const cookie = await startSession(req, municipalityId, choice.level, picked);
      reply.header('set-cookie', [cookie, clearedChoiceCookie(), markerCookie(PORTAL_MARKER, true)]);
      return { back: choice.back };
    },
  });

  app.post('/api/portal/logout', {
    schema: { tags, summary: 'Log ud af borgerportalen' },
    config: { policy: { citizen: true, representative: 'read' } },
    handler: async (req, reply) => {
      await inPortal(req, (tx, ctx) => endCitizenSession(tx, ctx.citizen.sessionId));
      reply.header('set-cookie', [clearedPortalCookie(), markerCookie(PORTAL_MARKER, false)]);
      return reply.code(204).send();
    },
  });
}
