import { hkdfSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { danishDate } from '../../../shared/domain/dates';
import type { Database, OpenTransaction } from '../../db/client';
import { citizenSessions } from '../../db/schema';
import type { CitizenActor, RepresentativeScope } from '../policy';
import { CITIZEN_ROLE, type Tx } from '../tenancy';
import type { LoginAttempt, NsisLevel } from './mitid';
import { keyedHash, newToken } from './tokens';

/**
 * Citizen sessions in the portal (issue 14). Their own table, their own cookie and their own database role:
 * a citizen's token opens a transaction as `retning_citizen` with the tenant and the citizen set by the
 * session itself (`auth_resolve_citizen_session`), so row-level security confines every statement of the
 * request to that citizen's rows.
 */

export const PORTAL_COOKIE = '__Host-retning_portal';
/** The login in progress (state, nonce, PKCE verifier, municipality), sealed: only this server can read it. */
export const MITID_ATTEMPT_COOKIE = '__Host-retning_mitid';

/** Shorter than staff sessions: a citizen's device is often shared or public. */
export const CITIZEN_IDLE_MS = 15 * 60 * 1000;
export const CITIZEN_ABSOLUTE_MS = 2 * 60 * 60 * 1000;
/** How long a citizen may take at the broker before the attempt is void. */
const ATTEMPT_SECONDS = 10 * 60;
const TOUCH_EVERY_MS = 60 * 1000;

export interface PortalSessionSettings {
  secret: string;
  now: () => Date;
}

export function portalCookie(token: string): string {
  return `${PORTAL_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax`;
}

export function clearedPortalCookie(): string {
  return `${PORTAL_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

/** What the sealed attempt cookie holds. */
export interface SealedAttempt extends LoginAttempt {
  /** The municipality's code the citizen chose. */
  kommune: string;
  /** Where in the portal to go after login (a path of ours). */
  back: string;
}

const sealKey = (secret: string, purpose: string) =>
  new Uint8Array(hkdfSync('sha256', secret, 'retning', purpose, 32));

/** Seals a payload with AES-256-GCM (a JWE, `dir`) under a key of its own purpose: readable only by us. */
async function seal(s: PortalSessionSettings, purpose: string, payload: object, seconds: number) {
  const now = Math.floor(s.now().getTime() / 1000);
  return new EncryptJWT({ ...payload })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(now)
    .setExpirationTime(now + seconds)
    .encrypt(sealKey(s.secret, purpose));
}

/** The sealed payload, or null (missing, altered, expired or sealed by another key or purpose). */
async function unseal(
  s: PortalSessionSettings,
  purpose: string,
  value: string | undefined,
): Promise<Record<string, unknown> | null> {
  if (!value || value.length > 4000) return null;
  try {
    const { payload } = await jwtDecrypt(value, sealKey(s.secret, purpose), {
      currentDate: s.now(),
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    return payload as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * Seals the attempt, so the browser carries it but can neither read nor alter it. Lax, because the broker
 * sends the browser back with a top-level GET from another site.
 */
export async function attemptCookie(s: PortalSessionSettings, attempt: SealedAttempt): Promise<string> {
  const jwe = await seal(s, 'mitid-attempt-cookie', attempt, ATTEMPT_SECONDS);
  // A __Host- cookie must have Path=/ (browsers drop it otherwise).
  return `${MITID_ATTEMPT_COOKIE}=${jwe}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${ATTEMPT_SECONDS}`;
}

export function clearedAttemptCookie(): string {
  return `${MITID_ATTEMPT_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

/** The attempt the cookie holds, or null (missing, altered, expired or sealed by another key). */
export async function openAttempt(
  s: PortalSessionSettings,
  value: string | undefined,
): Promise<SealedAttempt | null> {
  const p = await unseal(s, 'mitid-attempt-cookie', value);
  if (!p) return null;
  for (const k of ['state', 'nonce', 'codeVerifier', 'kommune', 'back'] as const)
    if (typeof p[k] !== 'string') return null;
  return {
    state: p.state as string,
    nonce: p.nonce as string,
    codeVerifier: p.codeVerifier as string,
    kommune: p.kommune as string,
    back: p.back as string,
  };
}

/**
 * A person who logged in with MitID and may act as more than one citizen (themself, and those who gave them
 * access as representative) chooses whom to act for. Until then they hold no session: only this sealed,
 * short-lived proof of the login (their CPR number never leaves the server in the clear).
 */
export const PORTAL_CHOICE_COOKIE = '__Host-retning_valg';
const CHOICE_SECONDS = 5 * 60;

export interface SealedChoice {
  kommune: string;
  cpr: string;
  level: NsisLevel;
  back: string;
}

export async function choiceCookie(s: PortalSessionSettings, choice: SealedChoice): Promise<string> {
  const jwe = await seal(s, 'portal-choice-cookie', choice, CHOICE_SECONDS);
  return `${PORTAL_CHOICE_COOKIE}=${jwe}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${CHOICE_SECONDS}`;
}

export function clearedChoiceCookie(): string {
  return `${PORTAL_CHOICE_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;
}

export async function openChoice(
  s: PortalSessionSettings,
  value: string | undefined,
): Promise<SealedChoice | null> {
  const p = await unseal(s, 'portal-choice-cookie', value);
  if (!p) return null;
  for (const k of ['kommune', 'cpr', 'level', 'back'] as const) if (typeof p[k] !== 'string') return null;
  if (p.level !== 'Substantial' && p.level !== 'High') return null;
  return { kommune: p.kommune as string, cpr: p.cpr as string, level: p.level, back: p.back as string };
}

/** Starts a citizen session (a fresh id at every login) and returns its token for the cookie. */
export async function createCitizenSession(
  tx: Tx,
  s: PortalSessionSettings,
  who: { municipalityId: string; citizenId: string; level: NsisLevel; representationId?: string | null },
): Promise<{ token: string; csrfToken: string }> {
  const token = newToken();
  const csrfToken = newToken();
  const now = s.now();
  await tx.insert(citizenSessions).values({
    id: keyedHash(s.secret, token),
    municipalityId: who.municipalityId,
    citizenId: who.citizenId,
    csrfToken,
    level: who.level,
    representationId: who.representationId ?? null,
    createdAt: now,
    lastSeenAt: now,
  });
  return { token, csrfToken };
}

export type CitizenOpening =
  | { citizen: CitizenActor; tx: OpenTransaction }
  | { citizen: null; reason: 'none' | 'expired' };

interface CitizenSessionRow {
  session_id: string;
  municipality_id: string;
  municipality_name: string;
  citizen_id: string;
  first_name: string;
  last_name: string;
  csrf_token: string;
  level: string;
  created_at: Date | string;
  last_seen_at: Date | string;
  representation_id: string | null;
  representative_name: string | null;
  representation_scopes: string[] | null;
}

/**
 * Opens a portal request's transaction as `retning_citizen` and resolves the session in the same round trip;
 * the session sets the tenant and the citizen. Enforces the idle and absolute timeouts on the server.
 */
export async function openCitizenRequest(
  db: Database,
  s: PortalSessionSettings,
  token: string | undefined,
): Promise<CitizenOpening> {
  if (!token || token.length > 100) return { citizen: null, reason: 'none' };
  const id = keyedHash(s.secret, token);
  const { tx, rows } = await db.begin<CitizenSessionRow>(
    { role: CITIZEN_ROLE },
    // Today (Danish date) decides whether a representative's access still holds.
    { text: 'SELECT * FROM auth_resolve_citizen_session($1, $2::date)', params: [id, danishDate(s.now())] },
  );
  try {
    const row = rows[0];
    if (!row) {
      await tx.rollback();
      return { citizen: null, reason: 'none' };
    }
    const now = s.now().getTime();
    const created = new Date(row.created_at).getTime();
    const lastSeen = new Date(row.last_seen_at).getTime();
    if (now - created > CITIZEN_ABSOLUTE_MS || now - lastSeen > CITIZEN_IDLE_MS) {
      await tx.db.delete(citizenSessions).where(eq(citizenSessions.id, id));
      await tx.commit();
      return { citizen: null, reason: 'expired' };
    }
    if (now - lastSeen > TOUCH_EVERY_MS)
      await tx.db
        .update(citizenSessions)
        .set({ lastSeenAt: new Date(now) })
        .where(eq(citizenSessions.id, id));
    return {
      tx,
      citizen: {
        kind: 'citizen',
        citizenId: row.citizen_id,
        municipalityId: row.municipality_id,
        municipalityName: row.municipality_name,
        firstName: row.first_name,
        lastName: row.last_name,
        level: row.level as NsisLevel,
        sessionId: id,
        csrfToken: row.csrf_token,
        representative: row.representation_id
          ? {
              representationId: row.representation_id,
              name: row.representative_name ?? '',
              scopes: (row.representation_scopes ?? []) as RepresentativeScope[],
            }
          : null,
      },
    };
  } catch (err) {
    await tx.rollback().catch(() => undefined);
    throw err;
  }
}

export async function endCitizenSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.delete(citizenSessions).where(eq(citizenSessions.id, sessionId));
}
