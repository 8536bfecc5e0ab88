import { z } from 'zod';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('localhost'),
  /** The schema owner: runs the migrations (and the demo seed) at start. */
  DATABASE_URL: z.string().url().optional(),
  /** The login role request traffic uses: a member of retning_app only (decision 002). */
  DATABASE_APP_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().default('./var/pglite'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET skal være mindst 32 tegn').optional(),
  DEMO_MODE: z.enum(['true', 'false']).optional(),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Outgoing mail (survey links and reminders), e.g. smtp://user:pass@mail.kommune.dk:587 */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Retning <noreply@retning.localhost>'),
  /** The address people reach Retning at, for links in e-mails. */
  PUBLIC_URL: z.string().url().optional(),
  /** Citizen login (decision 011): the MitID broker's issuer, Retning's client id there and its private key. */
  MITID_ISSUER: z.string().url().optional(),
  MITID_CLIENT_ID: z.string().min(1).max(200).optional(),
  /** The client's private signing key as a JWK (JSON): EC P-256 (ES256), with its `kid`. */
  MITID_CLIENT_KEY: z.string().max(10_000).optional(),
});

/** Citizen login through the MitID broker; null when the citizen portal is not configured. */
export interface MitidConfig {
  issuer: string;
  clientId: string;
  clientKey: JsonWebKey & { kid?: string; alg?: string };
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** Where request traffic connects (a PostgreSQL server only); never the owner. */
  databaseAppUrl: string | undefined;
  pgliteDir: string;
  /** Secret that keys session-token hashing (HMAC); required in production. */
  sessionSecret: string;
  demoMode: boolean;
  trustProxy: boolean;
  logLevel: string;
  metricsToken: string | undefined;
  /** Session lifetimes, in milliseconds. */
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  webDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  mitid: MitidConfig | null;
}

const DEV_SECRET = 'retning-development-secret-not-for-production-use';

/**
 * The server refuses to serve requests through the schema owner: on a PostgreSQL server it needs the
 * request role's URL too. (Operator commands such as audit:verify run as the owner and do not ask.)
 */
export function assertServable(config: Config): void {
  if (config.databaseUrl && !config.databaseAppUrl)
    throw new Error(
      'DATABASE_APP_URL mangler: forespørgsler skal bruge en login-rolle, der kun er medlem af retning_app, ' +
        'ikke DATABASE_URL (ejeren af skemaet). Se README, "Run it on a PostgreSQL server".',
    );
}

/** Reads and checks the environment; the only place that touches process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Ugyldig konfiguration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.SESSION_SECRET) {
    throw new Error('SESSION_SECRET skal være sat i produktion (mindst 32 tegn).');
  }
  if (production && e.DEMO_MODE === 'true') {
    throw new Error('DEMO_MODE kan ikke slås til i produktion.');
  }
  if (e.DATABASE_APP_URL && !e.DATABASE_URL) {
    throw new Error('DATABASE_APP_URL kræver DATABASE_URL (ejeren, der kører migreringerne).');
  }
  return {
    mitid: mitidConfig(e, production),
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseAppUrl: e.DATABASE_APP_URL,
    pgliteDir: e.PGLITE_DIR,
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    // Demo users with a published password are seeded by default only on the embedded database; on a
    // server only when asked for (issue 12, item 8).
    demoMode: !production && (e.DATABASE_URL ? e.DEMO_MODE === 'true' : e.DEMO_MODE !== 'false'),
    trustProxy: e.TRUST_PROXY === 'true',
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    idleTimeoutMs: 30 * 60 * 1000,
    absoluteTimeoutMs: 10 * 60 * 60 * 1000,
    webDir: 'dist/web',
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
  };
}

/**
 * The MitID settings: all three or none. A half-configured portal refuses to start (in production above all:
 * a portal that cannot log citizens in, or one that would with the wrong key, is worse than none).
 */
function mitidConfig(e: z.infer<typeof envSchema>, production: boolean): MitidConfig | null {
  const given = [e.MITID_ISSUER, e.MITID_CLIENT_ID, e.MITID_CLIENT_KEY].filter((x) => x !== undefined);
  if (given.length === 0) return null;
  if (given.length < 3)
    throw new Error(
      'Borgerportalen er halvt sat op: MITID_ISSUER, MITID_CLIENT_ID og MITID_CLIENT_KEY skal alle være sat (eller ingen af dem).',
    );
  if (production && !e.MITID_ISSUER!.startsWith('https://'))
    throw new Error('MITID_ISSUER skal bruge https i produktion.');
  let key: unknown;
  try {
    key = JSON.parse(e.MITID_CLIENT_KEY!);
  } catch {
    key = null;
  }
  const k = key as Record<string, unknown> | null;
  if (k?.kty !== 'EC' || k.crv !== 'P-256' || typeof k.d !== 'string' || typeof k.x !== 'string')
    throw new Error(
      'MITID_CLIENT_KEY skal være en privat EC P-256-nøgle som JWK (JSON med kty, crv, x, y og d).',
    );
  return {
    issuer: e.MITID_ISSUER!,
    clientId: e.MITID_CLIENT_ID!,
    clientKey: { ...(k as JsonWebKey), alg: 'ES256', kid: typeof k.kid === 'string' ? k.kid : undefined },
  };
}
