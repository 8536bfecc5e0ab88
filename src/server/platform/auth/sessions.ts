import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { StaffRole } from '../../../shared/enums';
import type { Database, OpenTransaction } from '../../db/client';
import { roleAssignments, sessions } from '../../db/schema';
import type { Actor, RoleGrant } from '../policy';
import { APP_ROLE, type Tx } from '../tenancy';
import { keyedHash, newToken } from './tokens';

export interface SessionSettings {
  secret: string;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  now: () => Date;
}

/** Last-seen is written at most this often; idle expiry is exact to within it. */
const TOUCH_EVERY_MS = 60 * 1000;

export function rolesFingerprint(roles: RoleGrant[]): string {
  const lines = roles.map((r) => `${r.role}:${r.unitId}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export async function currentRoles(tx: Tx, userId: string): Promise<RoleGrant[]> {
  const rows = await tx
    .select({ role: roleAssignments.role, unitId: roleAssignments.unitId })
    .from(roleAssignments)
    .where(eq(roleAssignments.userId, userId));
  return rows.map((r) => ({ role: r.role as StaffRole, unitId: r.unitId }));
}

/** Starts a new session (a fresh id every login: no fixation) and returns its token for the cookie. */
export async function createSession(
  tx: Tx,
  s: SessionSettings,
  user: { userId: string; municipalityId: string },
  roles: RoleGrant[],
): Promise<{ token: string; csrfToken: string }> {
  const token = newToken();
  const csrfToken = newToken();
  const now = s.now();
  await tx.insert(sessions).values({
    id: keyedHash(s.secret, token),
    municipalityId: user.municipalityId,
    userId: user.userId,
    csrfToken,
    rolesFingerprint: rolesFingerprint(roles),
    createdAt: now,
    lastSeenAt: now,
  });
  return { token, csrfToken };
}

export type Opening =
  | { actor: Actor; tx: OpenTransaction }
  | { actor: null; reason: 'none' | 'expired' | 'revoked' };

interface SessionRow {
  session_id: string;
  municipality_id: string;
  municipality_name: string;
  user_id: string;
  username: string;
  display_name: string;
  user_active: boolean;
  csrf_token: string;
  roles_fingerprint: string;
  created_at: Date | string;
  last_seen_at: Date | string;
  roles: RoleGrant[] | string;
}

/**
 * Opens the request's transaction and resolves its session in the same round trip; the session lookup
 * sets the tenant. Enforces on the server the idle and absolute timeouts, and ends the session when the
 * user was deactivated or their roles changed since login. On success the transaction stays open for
 * the request; otherwise it is finished here.
 */
export async function openRequest(
  db: Database,
  s: SessionSettings,
  token: string | undefined,
): Promise<Opening> {
  if (!token || token.length > 100) return { actor: null, reason: 'none' };
  const id = keyedHash(s.secret, token);
  const { tx, rows } = await db.begin<SessionRow>(
    { role: APP_ROLE },
    {
      text: 'SELECT * FROM auth_resolve_session($1)',
      params: [id],
    },
  );
  try {
    const row = rows[0];
    if (!row) {
      await tx.rollback();
      return { actor: null, reason: 'none' };
    }
    const now = s.now().getTime();
    const created = new Date(row.created_at).getTime();
    const lastSeen = new Date(row.last_seen_at).getTime();
    const roles: RoleGrant[] = typeof row.roles === 'string' ? JSON.parse(row.roles) : row.roles;
    let reason: 'expired' | 'revoked' | null = null;
    if (now - created > s.absoluteTimeoutMs || now - lastSeen > s.idleTimeoutMs) reason = 'expired';
    else if (!row.user_active || rolesFingerprint(roles) !== row.roles_fingerprint) reason = 'revoked';
    if (reason) {
      await tx.db.delete(sessions).where(eq(sessions.id, id));
      await tx.commit();
      return { actor: null, reason };
    }
    if (now - lastSeen > TOUCH_EVERY_MS) {
      await tx.db
        .update(sessions)
        .set({ lastSeenAt: new Date(now) })
        .where(eq(sessions.id, id));
    }
    return {
      tx,
      actor: {
        kind: 'staff',
        userId: row.user_id,
        municipalityId: row.municipality_id,
        municipalityName: row.municipality_name,
        username: row.username,
        displayName: row.display_name,
        roles,
        sessionId: id,
        csrfToken: row.csrf_token,
      },
    };
  } catch (err) {
    await tx.rollback().catch(() => undefined);
    throw err;
  }
}

export async function endSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user (deactivation, password reset). */
export async function endUserSessions(tx: Tx, userId: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.userId, userId));
}
