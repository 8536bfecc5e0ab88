import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/server/app';
import { type Config, loadConfig } from '../src/server/config';
import { type Database, openDatabase } from '../src/server/db/client';
import { urlAs } from '../src/server/db/request-role';
import { PG_ADMIN_URL, pgUrlFor, REQUEST_ROLE, TEST_DB } from './db-target';

export class TestClock {
  t = Date.parse('2026-11-24T09:00:00Z');
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

/**
 * A fresh database (a copy of the migrated template) for one test file, opened as its owner. On the server,
 * `requestDatabase` is the same database as the request role (what the app uses); on PGlite, the same
 * connection.
 */
export async function openTestDatabase(
  opts: { poolSize?: number } = {},
): Promise<Database & { name: string; requestDatabase: Database }> {
  const template = inject('template');
  if (TEST_DB === 'pglite') {
    const snapshot = new Blob([readFileSync(template)]);
    const database = await openDatabase({ pgliteSnapshot: snapshot });
    return { ...database, name: 'pglite', requestDatabase: database };
  }
  const name = `retning_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ databaseUrl: pgUrlFor(name), poolSize: opts.poolSize ?? 4 });
  const requestDatabase = await openDatabase({
    databaseUrl: urlAs(pgUrlFor(name), REQUEST_ROLE),
    poolSize: opts.poolSize ?? 4,
  });
  return {
    ...database,
    name,
    requestDatabase,
    async close() {
      await requestDatabase.close();
      await database.close();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  /** The owner's connection (factories, fixtures); the app itself uses the request role's (requestDatabase). */
  database: Database & { requestDatabase: Database };
  db: Database['db'];
  clock: TestClock;
  config: Config;
  logs: string[];
  close(): Promise<void>;
}

/** The real app on a real database, with a controllable clock and captured log lines. */
export async function createTestApp(
  opts: { poolSize?: number; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const database = await openTestDatabase(opts);
  const clock = new TestClock();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', ...opts.env });
  const logs: string[] = [];
  const app = await buildApp({
    database: database.requestDatabase,
    config,
    clock,
    logger: { stream: { write: (line: string) => void logs.push(line) } },
  });
  await app.ready();
  return {
    app,
    database,
    db: database.db,
    clock,
    config,
    logs,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
}

export async function login(app: FastifyInstance, username: string, password: string): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'x-csrf-token': '1' },
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  return { cookie, csrf: res.json().csrfToken };
}

/** Injects a request as a logged-in user, with the CSRF token on state-changing methods. */
export function call(app: FastifyInstance, session: Session | null, opts: InjectOptions) {
  const headers: Record<string, string> = { ...(opts.headers as Record<string, string>) };
  if (session) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = session.csrf;
  }
  return app.inject({ ...opts, headers });
}
