import * as client from 'openid-client';

/**
 * Citizen login with MitID through an OpenID Connect broker, as NemLog-in offers it (issue 14): the
 * authorization code flow with PKCE (S256), state and nonce, the client authenticated by a signed JWT
 * (private_key_jwt), and the ID token's signature checked against the broker's published keys. Built on
 * `openid-client` (decision 011): discovery, the checks of the response and the token, and the key set are
 * the library's; this module adds what Retning requires of the identity: an NSIS assurance level of at least
 * Substantial and a CPR number.
 */

/** The claims NemLog-in issues (the OIOSAML 3 attribute names, carried over to its OpenID Connect broker). */
export const MITID_CLAIMS = {
  cpr: 'https://data.gov.dk/model/core/eid/cprNumber',
  level: 'https://data.gov.dk/concept/core/nsis/loa',
} as const;

export const NSIS_LEVELS = ['Low', 'Substantial', 'High'] as const;
export type NsisLevel = (typeof NSIS_LEVELS)[number];
/** The least a citizen login must reach (issue 14). */
export const REQUIRED_LEVEL: NsisLevel = 'Substantial';

export interface MitidSettings {
  issuer: string;
  clientId: string;
  /** The client's private signing key (a JWK with `kid` and `alg`), for private_key_jwt. */
  clientKey: JsonWebKey & { kid?: string; alg?: string };
  redirectUri: string;
  /** Plain http to the broker: only the local test broker. */
  allowHttp?: boolean;
  /** The fetch the client uses (tests put a man in the middle here). */
  fetch?: typeof fetch;
}

/** What the server keeps between sending the citizen to the broker and the broker sending them back. */
export interface LoginAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type RefusalReason =
  | 'state'
  | 'nonce'
  | 'signature'
  | 'audience'
  | 'expired'
  | 'code'
  | 'assurance'
  | 'cpr'
  | 'denied'
  | 'invalid';

/** A login the broker's answer does not support. `reason` is stable (audit and tests); the message is Danish. */
export class MitidRefusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    message = 'Login med MitID kunne ikke gennemføres. Prøv igen.',
  ) {
    super(message);
    this.name = 'MitidRefusal';
  }
}

export interface MitidIdentity {
  cpr: string;
  level: NsisLevel;
  name: string | null;
  /** The broker's subject for this person. */
  subject: string;
}

export interface MitidClient {
  /** A new login: the broker URL to send the browser to, and what to keep until it comes back. */
  begin(): Promise<{ url: URL; attempt: LoginAttempt }>;
  /** The broker's answer at the redirect URI, checked against the attempt; refused with MitidRefusal. */
  complete(callbackUrl: URL, attempt: LoginAttempt): Promise<MitidIdentity>;
}

/** Sorts a library error (and the causes it wraps) into a stable reason. */
function reasonOf(err: unknown): RefusalReason {
  const messages: string[] = [];
  const codes: string[] = [];
  const claims: string[] = [];
  const errors: string[] = [];
  for (let e = err as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.message === 'string') messages.push(e.message);
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.claim === 'string') claims.push(e.claim);
    if (typeof e.error === 'string') errors.push(e.error);
    e = e.cause as Record<string, unknown> | undefined;
  }
  const text = messages.join(' | ');
  if (errors.includes('access_denied')) return 'denied';
  if (errors.includes('invalid_grant')) return 'code';
  if (/"state"/.test(text)) return 'state';
  if (/signature|"alg"|JWS/i.test(text)) return 'signature';
  if (claims.includes('nonce') || /"nonce"/.test(text)) return 'nonce';
  if (claims.includes('aud') || claims.includes('azp') || /"aud"/.test(text)) return 'audience';
  if (codes.includes('OAUTH_JWT_TIMESTAMP_CHECK_FAILED') || claims.includes('exp') || /"exp"/.test(text))
    return 'expired';
  return 'invalid';
}

async function signingKey(jwk: MitidSettings['clientKey']): Promise<client.PrivateKey> {
  const alg = jwk.alg ?? 'ES256';
  if (alg !== 'ES256') throw new Error(`MitID client key: only ES256 is supported, not ${alg}`);
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
  ]);
  return { key, kid: jwk.kid };
}

/** Discovers the broker and returns the client. Fails at start-up when the broker cannot be reached. */
export async function mitidClient(s: MitidSettings): Promise<MitidClient> {
  const config = await client.discovery(
    new URL(s.issuer),
    s.clientId,
    { id_token_signed_response_alg: 'RS256', redirect_uris: [s.redirectUri] },
    client.PrivateKeyJwt(await signingKey(s.clientKey)),
    {
      // The ID token's signature is checked against the broker's key set, not taken on TLS alone.
      execute: [...(s.allowHttp ? [client.allowInsecureRequests] : []), client.enableNonRepudiationChecks],
      ...(s.fetch ? { [client.customFetch]: s.fetch as client.CustomFetch } : {}),
    },
  );
  return {
    async begin() {
      const attempt: LoginAttempt = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: s.redirectUri,
        scope: 'openid mitid',
        state: attempt.state,
        nonce: attempt.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(attempt.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, attempt };
    },
    async complete(callbackUrl, attempt) {
      let claims: client.IDToken | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: attempt.codeVerifier,
          expectedState: attempt.state,
          expectedNonce: attempt.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (err) {
        throw new MitidRefusal(reasonOf(err));
      }
      if (!claims) throw new MitidRefusal('invalid');
      const level = claims[MITID_CLAIMS.level];
      if (
        typeof level !== 'string' ||
        !NSIS_LEVELS.includes(level as NsisLevel) ||
        NSIS_LEVELS.indexOf(level as NsisLevel) < NSIS_LEVELS.indexOf(REQUIRED_LEVEL)
      )
        throw new MitidRefusal(
          'assurance',
          'Dit MitID-login har ikke det sikringsniveau, der kræves (betydeligt). Log ind med MitID-appen eller en kodeviser med kodeord.',
        );
      const cpr = claims[MITID_CLAIMS.cpr];
      if (typeof cpr !== 'string' || !/^[0-9]{10}$/.test(cpr)) throw new MitidRefusal('cpr');
      return {
        cpr,
        level: level as NsisLevel,
        name: typeof claims.name === 'string' ? claims.name : null,
        subject: claims.sub,
      };
    },
  };
}
