import { hkdfSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Database, OpenTransaction } from '../../db/client';
import { citizenSessions } from '../../db/schema';
import type { CitizenActor } from '../policy';
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

const attemptKey = (secret: string) =>
  new Uint8Array(hkdfSync('sha256', secret, 'retning', 'mitid-attempt-cookie', 32));

/**
 * Seals the attempt with AES-256-GCM (a JWE, `dir`), so the browser carries it but can neither read nor alter
 * it. Lax, because the broker sends the browser back with a top-level GET from another site.
 */
export async function attemptCookie(s: PortalSessionSettings, attempt: SealedAttempt): Promise<string> {
  const now = Math.floor(s.now().getTime() / 1000);
  const jwe = await new EncryptJWT({ ...attempt })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(now)
    .setExpirationTime(now + ATTEMPT_SECONDS)
    .encrypt(attemptKey(s.secret));
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
  if (!value || value.length > 4000) return null;
  try {
    const { payload } = await jwtDecrypt(value, attemptKey(s.secret), {
      currentDate: s.now(),
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    const p = payload as Record<string, unknown>;
    for (const k of ['state', 'nonce', 'codeVerifier', 'kommune', 'back'] as const)
      if (typeof p[k] !== 'string') return null;
    return {
      state: p.state as string,
      nonce: p.nonce as string,
      codeVerifier: p.codeVerifier as string,
      kommune: p.kommune as string,
      back: p.back as string,
    };
  } catch {
    return null;
  }
}

/** Starts a citizen session (a fresh id at every login) and returns its token for the cookie. */
export async function createCitizenSession(
  tx: Tx,
  s: PortalSessionSettings,
  who: { municipalityId: string; citizenId: string; level: NsisLevel },
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
    { text: 'SELECT * FROM auth_resolve_citizen_session($1)', params: [id] },
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
