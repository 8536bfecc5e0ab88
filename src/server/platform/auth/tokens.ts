import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256-bit random token, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url');

/** Keyed hash of a secret value; what the database stores instead of the value. */
export const keyedHash = (secret: string, value: string) =>
  createHmac('sha256', secret).update(value).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export const SESSION_COOKIE = '__Host-retning_session';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k && !(k in out)) out[k] = v;
  }
  return out;
}

export { PORTAL_MARKER, STAFF_MARKER } from '../../../shared/cookies';
/** A session's readable marker (src/shared/cookies.ts), set at login and cleared with the session. */
export const markerCookie = (name: string, on: boolean) =>
  on ? `${name}=1; Path=/; Secure; SameSite=Lax` : `${name}=; Path=/; Secure; SameSite=Lax; Max-Age=0`;

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

export const DEVICE_COOKIE = '__Host-retning_device';
const DEVICE_DAYS = 90;

/**
 * A device cookie (OWASP's answer to lockout by a distributed attack): proof that this browser logged in as
 * this user before. It holds no user name: an expiry, a nonce and a keyed hash over both and the user name.
 */
export function deviceCookie(secret: string, username: string, now: Date): string {
  const expires = String(now.getTime() + DEVICE_DAYS * 24 * 60 * 60 * 1000);
  const nonce = randomBytes(12).toString('base64url');
  return `${DEVICE_COOKIE}=${expires}.${nonce}.${deviceMac(secret, username, expires, nonce)}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${DEVICE_DAYS * 86400}`;
}

/** Whether the cookie header carries a valid, unexpired device cookie for this user. */
export function isKnownDevice(secret: string, cookieHeader: string | undefined, username: string, now: Date) {
  const value = parseCookies(cookieHeader)[DEVICE_COOKIE];
  const [expires, nonce, mac] = value?.split('.') ?? [];
  if (!expires || !nonce || !mac || !/^\d{1,15}$/.test(expires) || Number(expires) < now.getTime())
    return false;
  return safeEqual(mac, deviceMac(secret, username, expires, nonce));
}

const deviceMac = (secret: string, username: string, expires: string, nonce: string) =>
  keyedHash(secret, `device|${username}|${expires}|${nonce}`);
