import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { type Database, openDatabase } from '../src/server/db/client';
import { rowsOf } from '../src/server/platform/tenancy';
import { pgUrlFor, TEST_DB } from './db-target';
import { openTestDatabase } from './helpers';

/**
 * On a server no demo users are seeded unless asked for; the operator makes the first municipality and its
 * administrator with `npm run admin:create` (issue 12, item 8). The command runs in its own process on a
 * database of its own: PGlite in a directory, or a fresh copy of the template on the server.
 */
let dir: string;
let server: (Database & { name: string; requestDatabase: Database }) | null = null;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'retning-admin-'));
  server = TEST_DB === 'postgres' ? await openTestDatabase() : null;
  env = server ? { DATABASE_URL: pgUrlFor(server.name) } : { PGLITE_DIR: dir };
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[], input?: string) =>
  new Promise<{ code: number; out: string; err: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/server/cli/create-admin.ts', ...args],
      { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }),
    );
    child.stdin!.end(input ?? '');
  });

describe('npm run admin:create', () => {
  it('creates the municipality and its administrator with a generated password, who can then log in', async () => {
    const r = await run([
      '--code',
      '851',
      '--name',
      'Eksempel Kommune',
      '--username',
      'anne.admin',
      '--display-name',
      'Anne Admin',
      '--generate-password',
    ]);
    expect(r.code, r.err).toBe(0);
    const password = /Adgangskode \(vises kun nu\): (\S+)/.exec(r.out)![1]!;
    expect(password.length).toBeGreaterThanOrEqual(20);
    const db = server ?? (await openDatabase({ pgliteDir: dir }));
    try {
      const app = await buildApp({
        database: server ? server.requestDatabase : db,
        config: loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'z'.repeat(40) }),
        logger: false,
      });
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-csrf-token': '1' },
        payload: { username: 'anne.admin', password },
      });
      expect(login.statusCode, login.body).toBe(200);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const session = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
      expect(session.json()).toMatchObject({
        municipality: { name: 'Eksempel Kommune' },
        roles: [{ role: 'administrator' }],
        demo: false,
      });
      await app.close();
      // No demo user exists on a database the operator set up.
      const names = rowsOf<{ user_id: string }>(
        await db.db.execute(sql`select user_id from auth_find_user('sagsbehandler')`),
      );
      expect(names).toEqual([]);
    } finally {
      if (!server) await db.close();
    }
  });

  it('takes a password on standard input, refuses a short one, a taken username and bad arguments', async () => {
    const base = ['--code', '852', '--name', 'Anden Kommune', '--display-name', 'Bo Admin'];
    const ok = await run([...base, '--username', 'bo.admin'], 'en-lang-nok-adgangskode\n');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).not.toContain('en-lang-nok-adgangskode');
    const short = await run([...base, '--username', 'cy.admin'], 'kort\n');
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/mindst 12 tegn/);
    const taken = await run([...base, '--username', 'bo.admin'], 'en-lang-nok-adgangskode\n');
    expect(taken.code).toBe(2);
    expect(taken.err).toMatch(/optaget/);
    const bad = await run(['--code', 'x', '--username', 'Ø'], 'en-lang-nok-adgangskode\n');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--code/);
  });
});

describe('demo data on a server', () => {
  it('is off unless DEMO_MODE=true; on by default only on the embedded database', () => {
    const url = 'postgres://owner@db.example/retning';
    expect(loadConfig({ NODE_ENV: 'development' }).demoMode).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL: url }).demoMode).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL: url, DEMO_MODE: 'true' }).demoMode).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DEMO_MODE: 'false' }).demoMode).toBe(false);
  });
});
