import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { StaffRole } from '../../../shared/enums';
import type { Db } from '../../db/client';
import { roleAssignments, sessions } from '../../db/schema';
import type { Actor, RoleGrant } from '../policy';
import { rowsOf, type Tx, withoutTenant, withTenant } from '../tenancy';
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

export type Resolution = { actor: Actor } | { actor: null; reason: 'none' | 'expired' | 'revoked' };

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
 * Resolves a session token to an actor, enforcing on the server the idle and absolute timeouts and
 * ending the session when the user was deactivated or their roles changed since login.
 */
export async function resolveSession(
  db: Db,
  s: SessionSettings,
  token: string | undefined,
): Promise<Resolution> {
  if (!token || token.length > 100) return { actor: null, reason: 'none' };
  const id = keyedHash(s.secret, token);
  const [row] = await withoutTenant(db, async (tx) =>
    rowsOf<SessionRow>(await tx.execute(sql`select * from auth_resolve_session(${id})`)),
  );
  if (!row) return { actor: null, reason: 'none' };
  const now = s.now().getTime();
  const created = new Date(row.created_at).getTime();
  const lastSeen = new Date(row.last_seen_at).getTime();
  const roles: RoleGrant[] = typeof row.roles === 'string' ? JSON.parse(row.roles) : row.roles;
  const ctx = { municipalityId: row.municipality_id, userId: row.user_id };
  let reason: 'expired' | 'revoked' | null = null;
  if (now - created > s.absoluteTimeoutMs || now - lastSeen > s.idleTimeoutMs) reason = 'expired';
  else if (!row.user_active || rolesFingerprint(roles) !== row.roles_fingerprint) reason = 'revoked';
  if (reason) {
    await withTenant(db, ctx, (tx) => tx.delete(sessions).where(eq(sessions.id, id)));
    return { actor: null, reason };
  }
  if (now - lastSeen > TOUCH_EVERY_MS) {
    await withTenant(db, ctx, (tx) =>
      tx
        .update(sessions)
        .set({ lastSeenAt: new Date(now) })
        .where(eq(sessions.id, id)),
    );
  }
  return {
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
}

export async function endSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user (deactivation, password reset). */
export async function endUserSessions(tx: Tx, userId: string): Promise<void> {
  await tx.delete(sessions).where(and(eq(sessions.userId, userId)));
}
