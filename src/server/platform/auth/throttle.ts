import { eq, inArray } from 'drizzle-orm';
import { loginThrottle } from '../../db/schema';
import type { Tx } from '../tenancy';

/**
 * Failures allowed inside one window: per username+IP, per IP across usernames, and per account across
 * all addresses (a guessing attack spread over many addresses). A lock lasts no longer than the window,
 * and the account lock does not apply on a device the user has logged in from before (a device cookie),
 * so an attacker cannot lock the real user out of their own browser.
 */
export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  lockMs: 15 * 60 * 1000,
  perUserIp: 5,
  perIp: 50,
  perAccount: 20,
} as const;

export interface ThrottleKeys {
  userIp: string;
  ip: string;
  account: string;
}

/**
 * Seconds until the lock on any key lifts, or 0 when not locked. Expired locks don't count; the account
 * lock is skipped on a device the user has logged in from before.
 */
export async function lockedFor(
  tx: Tx,
  keys: ThrottleKeys,
  now: Date,
  opts: { knownDevice: boolean },
): Promise<number> {
  const checked = opts.knownDevice ? [keys.userIp, keys.ip] : [keys.userIp, keys.ip, keys.account];
  const rows = await tx
    .select({ lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, checked));
  let max = 0;
  for (const r of rows) {
    if (r.lockedUntil && r.lockedUntil > now) max = Math.max(max, r.lockedUntil.getTime() - now.getTime());
  }
  return Math.ceil(max / 1000);
}

async function bump(tx: Tx, key: string, limit: number, now: Date): Promise<void> {
  const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).for('update');
  const fresh = !row || now.getTime() - row.windowStartedAt.getTime() > THROTTLE.windowMs;
  const failures = fresh ? 1 : row.failures + 1;
  const windowStartedAt = fresh ? now : row.windowStartedAt;
  const lockedUntil = failures >= limit ? new Date(now.getTime() + THROTTLE.lockMs) : null;
  await tx
    .insert(loginThrottle)
    .values({ key, failures, windowStartedAt, lockedUntil })
    .onConflictDoUpdate({ target: loginThrottle.key, set: { failures, windowStartedAt, lockedUntil } });
}

export async function recordFailure(tx: Tx, keys: ThrottleKeys, now: Date): Promise<void> {
  await bump(tx, keys.userIp, THROTTLE.perUserIp, now);
  await bump(tx, keys.ip, THROTTLE.perIp, now);
  await bump(tx, keys.account, THROTTLE.perAccount, now);
}

export async function clearUserIp(tx: Tx, keys: ThrottleKeys): Promise<void> {
  await tx.delete(loginThrottle).where(eq(loginThrottle.key, keys.userIp));
}
