import { z } from 'zod';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('localhost'),
  DATABASE_URL: z.string().url().optional(),
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
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
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
}

const DEV_SECRET = 'retning-development-secret-not-for-production-use';

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
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: e.PGLITE_DIR,
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    demoMode: !production && e.DEMO_MODE !== 'false',
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
