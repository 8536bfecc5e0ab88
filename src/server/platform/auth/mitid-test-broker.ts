import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { MITID_CLAIMS, type NsisLevel } from './mitid';

/**
 * The MitID test broker: a real OpenID Connect provider (`oidc-provider`) that stands in for NemLog-in's
 * broker in demo mode and in the tests (issue 14). It signs ID tokens with its own key, publishes the key set,
 * requires PKCE, and issues the claims NemLog-in does — the CPR number and the NSIS assurance level — for
 * fictional identities a person picks on its login page instead of using the MitID app. It runs on its own
 * port, apart from Retning, as a real broker would.
 */
export interface TestIdentity {
  /** A fictional CPR number (10 digits). */
  cpr: string;
  name: string;
  /** The NSIS level the login reaches (a MitID app login is Substantial; a code display only Low). */
  level: NsisLevel;
}

export interface TestBrokerClient {
  clientId: string;
  redirectUris: string[];
  /** The client's public keys (private_key_jwt at the token endpoint). */
  jwks: { keys: JsonWebKey[] };
}

export interface TestBroker {
  issuer: string;
  close(): Promise<void>;
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1b1f24; }
  main { max-width: 28rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 8px; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  p.note { background: #fff4d6; padding: .75rem; border-radius: 6px; }
  ul { list-style: none; padding: 0; }
  li { margin: .5rem 0; }
  button { width: 100%; text-align: left; padding: .9rem 1rem; font-size: 1rem; border: 2px solid #0a5cad;
           background: #fff; color: #0a5cad; border-radius: 6px; cursor: pointer; }
  button:hover, button:focus-visible { background: #0a5cad; color: #fff; outline: 3px solid #ffbf47; }
  small { display: block; color: inherit; opacity: .85; }
</style></head><body><main>${body}</main></body></html>`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Fictional CPR numbers are shown as birth date and a masked sequence: the page is still a test page. */
const shownCpr = (cpr: string) => `${cpr.slice(0, 6)}-••••`;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10_000) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Starts the test broker on `port` (0: any free port) at `host`. `signingKey` is its private signing key (a
 * JWK); the tests pass their own so they can forge tokens that must be refused.
 */
export async function startTestBroker(opts: {
  port: number;
  host?: string;
  clients: TestBrokerClient[];
  identities: TestIdentity[];
  signingKey: JsonWebKey;
  cookieKey: string;
  /** The address people reach it at, if not http://host:port. */
  publicIssuer?: string;
}): Promise<TestBroker> {
  const host = opts.host ?? '127.0.0.1';
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(opts.port, host, resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = opts.publicIssuer ?? `http://${host}:${port}`;
  const byAccount = new Map(opts.identities.map((i) => [`cpr-${i.cpr}`, i]));
  const clientOrigins = [
    ...new Set(opts.clients.flatMap((c) => c.redirectUris.map((u) => new URL(u).origin))),
  ].join(' ');
  const configuration: Configuration = {
    clients: opts.clients.map((c) => ({
      client_id: c.clientId,
      redirect_uris: c.redirectUris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      id_token_signed_response_alg: 'RS256',
      jwks: c.jwks as never,
    })),
    jwks: { keys: [opts.signingKey as never] },
    cookies: { keys: [opts.cookieKey] },
    // PKCE for every client, as NemLog-in requires.
    pkce: { required: () => true },
    scopes: ['openid', 'mitid'],
    claims: { openid: ['sub'], mitid: ['name', MITID_CLAIMS.cpr, MITID_CLAIMS.level] },
    // The CPR number and the level are in the ID token itself, as NemLog-in issues them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, userinfo: { enabled: false } },
    ttl: {
      AuthorizationCode: 60,
      IdToken: 300,
      AccessToken: 300,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, id) {
      const identity = byAccount.get(id);
      if (!identity) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            name: identity.name,
            [MITID_CLAIMS.cpr]: identity.cpr,
            [MITID_CLAIMS.level]: identity.level,
          };
        },
      };
    },
  };
  const provider = new Provider(issuer, configuration);
  // Behind a proxy in demo setups the public address may differ from the socket's.
  provider.proxy = true;
  const oidc = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(path);
    if (!m) {
      oidc(req, res);
      return;
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (details.uid !== m[1]) throw new Error('interaction mismatch');
        if (req.method === 'GET' && !m[2]) {
          const items = opts.identities
            .map(
              (i) => `<li><form method="post" action="/interaction/${details.uid}/login">
                <input type="hidden" name="account" value="cpr-${escapeHtml(i.cpr)}">
                <button type="submit">${escapeHtml(i.name)}<small>CPR ${escapeHtml(shownCpr(i.cpr))} · sikringsniveau ${escapeHtml(i.level)}</small></button>
              </form></li>`,
            )
            .join('');
          res.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            // The login form posts here and is redirected on to the client's redirect URI: both must be allowed.
            'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${clientOrigins}`,
          });
          res.end(
            page(
              'MitID testbroker',
              `<h1>Log ind med MitID (test)</h1>
               <p class="note">Dette er en testbroker til demo og test. Vælg en fiktiv borger i stedet for at bruge MitID-appen.</p>
               <ul>${items}</ul>`,
            ),
          );
          return;
        }
        if (req.method === 'POST' && m[2]) {
          const form = await readForm(req);
          const account = form.get('account') ?? '';
          if (!byAccount.has(account)) {
            res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
            res.end('Ukendt identitet');
            return;
          }
          const grant = new provider.Grant({
            accountId: account,
            clientId: details.params.client_id as string,
          });
          grant.addOIDCScope(String(details.params.scope ?? 'openid'));
          const grantId = await grant.save();
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: account }, consent: { grantId } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        res.writeHead(405).end();
      } catch {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Login-forsøget er udløbet eller ugyldigt. Start forfra.');
      }
    })();
  });
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
