import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LoginAttempt,
  MITID_CLAIMS,
  type MitidClient,
  MitidRefusal,
  mitidClient,
} from '../src/server/platform/auth/mitid';
import { startTestBroker, type TestBroker } from '../src/server/platform/auth/mitid-test-broker';

/**
 * Issue 14, items 1–2: MitID login through an OpenID Connect broker, against a real provider (`oidc-provider`
 * as the MitID test broker) with `openid-client` as the client. Every forged or mismatched answer is refused.
 * The forgeries are made by a man in the middle of the client's fetch, with the broker's own signing key
 * where a valid signature is needed to reach the check under test.
 */

const REDIRECT = 'http://127.0.0.1:9/api/portal/callback';
const IDENTITIES = [
  { cpr: '0101901234', name: 'Mette Testesen', level: 'Substantial' as const },
  { cpr: '0202852345', name: 'Jonas Prøvesen', level: 'Low' as const },
  { cpr: '0303803456', name: 'Karin Høj', level: 'High' as const },
];

let broker: TestBroker;
let brokerKey: JsonWebKey & { kid: string };
let clientKey: JsonWebKey & { kid: string; alg: string };
/** What the man in the middle does to the token endpoint's answer (none by default). */
let tamper: ((body: { id_token: string }) => Promise<void>) | null = null;

const mitm: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!tamper || !url.endsWith('/token') || res.status !== 200) return res;
  const body = (await res.json()) as { id_token: string };
  await tamper(body);
  return new Response(JSON.stringify(body), { status: 200, headers: res.headers });
};

let rp: MitidClient;

beforeAll(async () => {
  const signing = await generateKeyPair('RS256', { extractable: true });
  brokerKey = {
    ...(await exportJWK(signing.privateKey)),
    kid: 'broker-1',
    alg: 'RS256',
    use: 'sig',
  } as never;
  const c = await generateKeyPair('ES256', { extractable: true });
  clientKey = { ...(await exportJWK(c.privateKey)), kid: 'retning-1', alg: 'ES256' } as never;
  const clientPublic = { ...(await exportJWK(c.publicKey)), kid: 'retning-1', alg: 'ES256', use: 'sig' };
  broker = await startTestBroker({
    port: 0,
    clients: [{ clientId: 'retning', redirectUris: [REDIRECT], jwks: { keys: [clientPublic] } }],
    identities: IDENTITIES,
    signingKey: brokerKey,
    cookieKey: 'test-cookie-key-0123456789abcdef',
  });
  rp = await mitidClient({
    issuer: broker.issuer,
    clientId: 'retning',
    clientKey,
    redirectUri: REDIRECT,
    allowHttp: true,
    fetch: mitm,
  });
});

afterAll(async () => {
  await broker?.close();
});

/** The browser's part: follow the broker's redirects, pick the identity, return where it sends us back. */
async function browse(start: URL, cpr: string): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  let url = start;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: {
        cookie: cookieHeader(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    keep(res);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url);
      if (next.href.startsWith(REDIRECT)) return next;
      url = next;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await res.text();
    expect(res.status, html).toBe(200);
    // The login page: choose the identity.
    const form = new RegExp(
      `action="([^"]+)"[^>]*>\\s*<input type="hidden" name="account" value="(cpr-${cpr})"`,
    ).exec(html);
    expect(form, 'the identity is offered').not.toBeNull();
    url = new URL(form![1]!, url);
    method = 'POST';
    body = new URLSearchParams({ account: form![2]! }).toString();
  }
  throw new Error('too many redirects');
}

async function login(cpr: string): Promise<{ callback: URL; attempt: LoginAttempt }> {
  const { url, attempt } = await rp.begin();
  return { callback: await browse(url, cpr), attempt };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(MitidRefusal);
    return (err as MitidRefusal).reason;
  }
  throw new Error('the login was accepted');
}

/** Re-signs the ID token with the broker's real key after `change` (a token the broker never issued). */
const resign = (change: (claims: Record<string, unknown>) => void) => async (body: { id_token: string }) => {
  const claims = decodeJwt(body.id_token) as Record<string, unknown>;
  change(claims);
  body.id_token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: brokerKey.kid })
    .sign(await importJWK(brokerKey, 'RS256'));
};

describe('MitID login through an OpenID Connect broker (issue 14)', () => {
  it('logs in with PKCE, state and nonce, and gives the CPR number and the assurance level', async () => {
    tamper = null;
    const { url, attempt } = await rp.begin();
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBe(attempt.state);
    expect(url.searchParams.get('nonce')).toBe(attempt.nonce);
    const callback = await browse(url, '0101901234');
    const identity = await rp.complete(callback, attempt);
    expect(identity).toMatchObject({ cpr: '0101901234', level: 'Substantial', name: 'Mette Testesen' });
    // The level High passes too.
    const high = await login('0303803456');
    expect((await rp.complete(high.callback, high.attempt)).level).toBe('High');
  });

  it('refuses an assurance level below Substantial', async () => {
    tamper = null;
    const { callback, attempt } = await login('0202852345');
    expect(await refusal(rp.complete(callback, attempt))).toBe('assurance');
  });

  it('refuses a wrong state and a wrong nonce', async () => {
    tamper = null;
    const a = await login('0101901234');
    expect(await refusal(rp.complete(a.callback, { ...a.attempt, state: 'another-state' }))).toBe('state');
    const b = await login('0101901234');
    expect(await refusal(rp.complete(b.callback, { ...b.attempt, nonce: 'another-nonce' }))).toBe('nonce');
  });

  it('refuses a replayed authorization code', async () => {
    tamper = null;
    const { callback, attempt } = await login('0101901234');
    await rp.complete(callback, attempt);
    expect(await refusal(rp.complete(callback, attempt))).toBe('code');
  });

  it('refuses a tampered, an unsigned and a foreign-signed ID token', async () => {
    // Tampered: the CPR number changed after signing.
    tamper = async (body) => {
      const [h, p, s] = body.id_token.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims[MITID_CLAIMS.cpr] = '0303803456';
      body.id_token = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    };
    let l = await login('0101901234');
    expect(await refusal(rp.complete(l.callback, l.attempt))).toBe('signature');
    // Unsigned: alg none.
    tamper = async (body) => {
      const claims = decodeJwt(body.id_token);
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      body.id_token = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    };
    l = await login('0101901234');
    expect(await refusal(rp.complete(l.callback, l.attempt))).toBe('signature');
    // Signed with a key the broker does not publish, under the broker's key id.
    tamper = async (body) => {
      const claims = decodeJwt(body.id_token);
      const other = await generateKeyPair('RS256');
      body.id_token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(body.id_token).kid! })
        .sign(other.privateKey);
    };
    l = await login('0101901234');
    expect(await refusal(rp.complete(l.callback, l.attempt))).toBe('signature');
  });

  it('refuses a wrong audience and an expired ID token, even when the broker signed them', async () => {
    tamper = resign((c) => {
      c.aud = 'another-client';
    });
    let l = await login('0101901234');
    expect(await refusal(rp.complete(l.callback, l.attempt))).toBe('audience');
    tamper = resign((c) => {
      c.iat = Math.floor(Date.now() / 1000) - 3600;
      c.exp = Math.floor(Date.now() / 1000) - 1800;
    });
    l = await login('0101901234');
    expect(await refusal(rp.complete(l.callback, l.attempt))).toBe('expired');
    // The control: re-signing alone (nothing changed) is accepted, so the refusals above are the checks'.
    tamper = resign(() => undefined);
    l = await login('0101901234');
    expect((await rp.complete(l.callback, l.attempt)).cpr).toBe('0101901234');
    tamper = null;
  });
});
