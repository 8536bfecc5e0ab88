import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { MitidConfig } from '../../config';
import { DEMO_CITIZENS, DEMO_OTHER_IDENTITIES, DEMO_RELATIVES } from '../../db/seed/demo-logins';
import { startTestBroker, type TestBroker, type TestIdentity } from './mitid-test-broker';

/** The identities the demo broker offers: the demo's portal citizens, a relative, and two that are refused. */
export const DEMO_IDENTITIES: TestIdentity[] = [
  ...DEMO_CITIZENS.map((c, i) => ({
    cpr: c.cpr,
    name: `${c.firstName} ${c.lastName}`,
    level: i === 2 ? ('High' as const) : ('Substantial' as const),
  })),
  ...DEMO_RELATIVES.map((r) => ({ cpr: r.cpr, name: r.name, level: 'Substantial' as const })),
  ...DEMO_OTHER_IDENTITIES,
];

/**
 * Starts the MitID test broker for demo mode and the tests, with fresh keys every time: its own signing key,
 * and Retning's client key, whose public half it registers. Returns the portal's MitID settings, as an
 * operator would give them for NemLog-in.
 */
export async function startDemoBroker(opts: {
  port: number;
  host: string;
  /** The broker's address as the browser reaches it; by default http://host:port. */
  publicIssuer?: string;
  redirectUri: string;
  identities?: TestIdentity[];
}): Promise<{ broker: TestBroker; mitid: MitidConfig }> {
  const signing = await generateKeyPair('RS256', { extractable: true });
  const client = await generateKeyPair('ES256', { extractable: true });
  const kid = `demo-${randomBytes(4).toString('hex')}`;
  const broker = await startTestBroker({
    port: opts.port,
    host: opts.host,
    publicIssuer: opts.publicIssuer,
    clients: [
      {
        clientId: 'retning-demo',
        redirectUris: [opts.redirectUri],
        jwks: {
          keys: [{ ...(await exportJWK(client.publicKey)), kid, alg: 'ES256', use: 'sig' } as JsonWebKey],
        },
      },
    ],
    identities: opts.identities ?? DEMO_IDENTITIES,
    signingKey: {
      ...(await exportJWK(signing.privateKey)),
      kid: `${kid}-broker`,
      alg: 'RS256',
      use: 'sig',
    } as JsonWebKey,
    cookieKey: randomBytes(32).toString('base64url'),
  });
  return {
    broker,
    mitid: {
      issuer: broker.issuer,
      clientId: 'retning-demo',
      clientKey: { ...(await exportJWK(client.privateKey)), kid, alg: 'ES256' },
    },
  };
}
