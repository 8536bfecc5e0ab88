import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Transaction-local settings (set_config(name, value, true)) a transaction opens with: role, tenant. */
export type Locals = Record<string, string>;

/** A transaction held open across a request; see docs/decisions/004-request-transaction.md. */
export interface OpenTransaction {
  db: Db;
  /**
   * Commits. Statements given (already-escaped SQL, e.g. the audit rows) travel in the same message as
   * COMMIT, so they cost no extra round trip; if any fails, nothing is committed and this throws.
   */
  commit(finalStatements?: string): Promise<void>;
  rollback(): Promise<void>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  /** The connection's own handle: the migration owner. The app reaches data only through transaction(). */
  db: Db;
  /** Runs fn in one transaction that opens with the given settings, in a single round trip on a server. */
  transaction<T>(locals: Locals, fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * One statement, with the settings, as one implicit transaction in a single round trip. Parameters are
   * inlined as escaped literals (simple query protocol), so use it only for short, hot statements.
   */
  queryOnce<T>(locals: Locals, text: string, params: string[]): Promise<T[]>;
  /**
   * Opens a transaction with the settings and runs a first statement in the same round trip (parameters
   * inlined as escaped literals); the caller must commit or roll back.
   */
  begin<T>(
    locals: Locals,
    first: { text: string; params: string[] },
  ): Promise<{ tx: OpenTransaction; rows: T[] }>;
  /** Applies the committed migrations (idempotent, serialised across instances). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../migrations');

export interface OpenOptions {
  databaseUrl?: string | undefined;
  pgliteDir?: string;
  /** For tests: start PGlite from a dumped, already-migrated data directory. */
  pgliteSnapshot?: Blob | File;
  poolSize?: number;
}

/** An escaped SQL string literal (standard_conforming_strings-safe). */
export const literal = (v: string) => pg.escapeLiteral(v);
const SETTING = /^[a-z_]+(\.[a-z_]+)?$/;

/** "SELECT set_config(...), ..." for the given settings; names are checked, values escaped. */
export function settingsStatement(locals: Locals): string {
  const parts = Object.entries(locals).map(([k, v]) => {
    if (!SETTING.test(k)) throw new Error(`invalid setting name ${k}`);
    return `set_config(${literal(k)}, ${literal(v)}, true)`;
  });
  return parts.length ? `SELECT ${parts.join(', ')}` : 'SELECT 1';
}

/** Replaces $1, $2 … with escaped literals. */
function inline(text: string, params: string[]): string {
  return text.replace(/\$(\d+)/g, (_, n) => {
    const v = params[Number(n) - 1];
    if (v === undefined) throw new Error(`missing parameter $${n}`);
    return literal(v);
  });
}

/** Opens PGlite (embedded, default) or a PostgreSQL server pool when a URL is given. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // A broken idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    const handles = new WeakMap<pg.PoolClient, Db>();
    const handleFor = (client: pg.PoolClient) => {
      let h = handles.get(client);
      if (!h) {
        h = drizzlePg(client, { schema }) as unknown as Db;
        handles.set(client, h);
      }
      return h;
    };
    const database: Database = {
      kind: 'postgres',
      db,
      async begin<T>(locals: Locals, first: { text: string; params: string[] }) {
        const client = await pool.connect();
        let done = false;
        const finish = async (statement: string) => {
          if (done) return;
          done = true;
          let broken = false;
          try {
            await client.query(statement);
          } catch (err) {
            broken = await client.query('ROLLBACK').then(
              () => false,
              () => true,
            );
            throw err;
          } finally {
            client.release(broken);
          }
        };
        try {
          // BEGIN, the settings and the first statement travel in one message.
          const results = (await client.query(
            `BEGIN; ${settingsStatement(locals)}; ${inline(first.text, first.params)}`,
          )) as unknown as pg.QueryResult[];
          const tx: OpenTransaction = {
            db: handleFor(client),
            commit: (finalStatements) => finish(finalStatements ? `${finalStatements}; COMMIT` : 'COMMIT'),
            rollback: () => finish('ROLLBACK'),
          };
          return { tx, rows: results[results.length - 1]!.rows as T[] };
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          client.release(true);
          throw err;
        }
      },
      transaction: (locals, fn) => runInTransaction(database, locals, fn),
      async queryOnce<T>(locals: Locals, text: string, params: string[]) {
        const results = (await pool.query(
          `${settingsStatement(locals)}; ${inline(text, params)}`,
        )) as unknown as pg.QueryResult[];
        return results[results.length - 1]!.rows as T[];
      },
      async migrate() {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(72420001)');
          await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
        } finally {
          await client.query('SELECT pg_advisory_unlock(72420001)').catch(() => undefined);
          client.release();
        }
      },
      close: () => pool.end(),
    };
    return database;
  }
  let client: PGlite;
  if (opts.pgliteSnapshot) {
    client = await PGlite.create({ loadDataDir: opts.pgliteSnapshot });
  } else if (opts.pgliteDir === 'memory://' || !opts.pgliteDir) {
    client = await PGlite.create();
  } else {
    mkdirSync(opts.pgliteDir, { recursive: true });
    client = await PGlite.create({ dataDir: opts.pgliteDir });
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    // PGlite is one connection: everything goes through its transaction mutex, so no request's statements
    // ever run inside another request's open transaction.
    async begin<T>(locals: Locals, first: { text: string; params: string[] }) {
      let release!: (outcome: { commit: string } | { rollback: true }) => void;
      const outcome = new Promise<{ commit: string } | { rollback: true }>((r) => {
        release = r;
      });
      let opened!: (v: { rows: T[]; tx: Transaction } | { error: unknown }) => void;
      const ready = new Promise<{ rows: T[]; tx: Transaction } | { error: unknown }>((r) => {
        opened = r;
      });
      const finished = client
        .transaction(async (t) => {
          try {
            const results = await t.exec(`${settingsStatement(locals)}; ${inline(first.text, first.params)}`);
            opened({ rows: results[results.length - 1]!.rows as T[], tx: t });
          } catch (error) {
            opened({ error });
            throw error;
          }
          const o = await outcome;
          if ('rollback' in o) await t.rollback();
          else if (o.commit) await t.exec(o.commit);
        })
        .catch((err) => err as Error);
      const r = await ready;
      if ('error' in r) throw r.error;
      const settle = async (o: { commit: string } | { rollback: true }) => {
        release(o);
        const err = await finished;
        if (err instanceof Error) throw err;
      };
      const tx: OpenTransaction = {
        db: drizzlePglite(r.tx as unknown as PGlite, { schema }) as unknown as Db,
        commit: (finalStatements) => settle({ commit: finalStatements ?? '' }),
        rollback: () => settle({ rollback: true }),
      };
      return { tx, rows: r.rows };
    },
    transaction: (locals, fn) =>
      db.transaction(async (tx) => {
        await tx.execute(sql.raw(settingsStatement(locals)));
        return fn(tx);
      }),
    async queryOnce<T>(locals: Locals, text: string, params: string[]) {
      return client.transaction(async (t) => {
        const results = await t.exec(`${settingsStatement(locals)}; ${inline(text, params)}`);
        return results[results.length - 1]!.rows as T[];
      });
    },
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_DIR }),
    close: () => client.close(),
  };
}

/** Runs fn in a transaction opened by begin(); commits when it returns, rolls back when it throws. */
async function runInTransaction<T>(
  database: Database,
  locals: Locals,
  fn: (tx: Db) => Promise<T>,
): Promise<T> {
  const { tx } = await database.begin(locals, { text: 'SELECT 1', params: [] });
  let result: T;
  try {
    result = await fn(tx.db);
  } catch (err) {
    await tx.rollback().catch(() => undefined);
    throw err;
  }
  await tx.commit();
  return result;
}

/** Dumps a PGlite database (tests: a migrated template copied per test file). */
export async function dumpPglite(database: Database): Promise<Blob> {
  const client = (database.db as unknown as { $client: PGlite }).$client;
  return client.dumpDataDir('none');
}

const dialect = new PgDialect();
const namedTexts = new Map<string, string>();

/**
 * Runs a hot query as a named prepared statement where the driver has them (node-postgres: parsed and
 * planned once per connection, then executed with new parameters); PGlite runs it as is. The name must
 * stand for one SQL text: callers keep the text fixed and vary only parameters.
 */
export async function executeNamed<T>(db: Db, name: string, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  // A name bound to two texts fails on a server connection only; catch it on every driver.
  const known = namedTexts.get(name);
  if (known === undefined) namedTexts.set(name, text);
  else if (known !== text) throw new Error(`prepared statement ${name} was used for two different SQL texts`);
  const client = (db as unknown as { $client: unknown }).$client;
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    const r = await client.query({ name, text, values: params as unknown[] });
    return r.rows as T[];
  }
  const r = (await db.execute(query)) as unknown as { rows?: T[] };
  return r.rows ?? (r as unknown as T[]);
}
