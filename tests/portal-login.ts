import { expect } from 'vitest';
import { portalRedirectUri } from '../src/server/modules/portal/portal.login';
import type { TestApp } from './helpers';

/** Logging in to the portal through the MitID test broker, as a browser would (shared by the portal tests). */

/** The browser's part at the broker: follow its redirects, pick the identity, stop where it sends us back. */
export async function atBroker(t: TestApp, start: string, cpr: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = new URL(start);
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url);
      if (next.href.startsWith(portalRedirectUri(t.config))) return `${next.pathname}${next.search}`;
      url = next;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await res.text();
    const form = new RegExp(
      `action="([^"]+)"[^>]*>\\s*<input type="hidden" name="account" value="(cpr-${cpr})"`,
    ).exec(html);
    if (!form) throw new Error(`the broker did not offer ${cpr}: ${res.status}`);
    url = new URL(form[1]!, url);
    method = 'POST';
    body = new URLSearchParams({ account: form[2]! }).toString();
  }
  throw new Error('too many redirects');
}

export const cookieOf = (res: { headers: Record<string, unknown> }, name: string) => {
  const all = [res.headers['set-cookie'] ?? []].flat() as string[];
  const c = all.find((x) => x.startsWith(`${name}=`));
  return c ? c.split(';')[0]! : null;
};

export interface Attempt {
  cookie: string;
  callback: string;
}

/** Starts a login at Retning and goes through the broker; returns the callback and the attempt cookie. */
export async function startPortalLogin(t: TestApp, cpr: string, kommune: string): Promise<Attempt> {
  const res = await t.app.inject({ method: 'GET', url: `/api/portal/login?kommune=${kommune}` });
  expect(res.statusCode).toBe(303);
  const cookie = cookieOf(res, '__Host-retning_mitid');
  expect(cookie).not.toBeNull();
  return { cookie: cookie!, callback: await atBroker(t, res.headers.location as string, cpr) };
}
