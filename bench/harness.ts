import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '../src/server/db/client';
import { ensureRequestRole, urlAs } from '../src/server/db/request-role';
import { installReferenceData } from '../src/server/modules/reference/reference.install';

/** Shared by the benchmarks: run a load against one route and return its figures. */
export interface LoadResult {
  title: string;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

export const CONNECTIONS = 20;

/**
 * By default autocannon runs in this process (it then shares the event loop with the server); with
 * BENCH_LOAD=process it runs in a child process (it then competes with PostgreSQL for the cores instead).
 * `paths` rotates through several URLs (in-process only); otherwise `path` is requested throughout.
 */
export async function runLoad(opts: {
  title: string;
  base: string;
  path: string;
  paths?: string[];
  headers?: Record<string, string>;
  /** Headers rotated with the requests (one session per entry, e.g. many citizens); in-process only. */
  headerSets?: Record<string, string>[];
  seconds: number;
}): Promise<LoadResult> {
  const options = {
    url: `${opts.base}${opts.path}`,
    connections: CONNECTIONS,
    duration: opts.seconds,
    headers: opts.headers ?? {},
  };
  let r: Omit<LoadResult, 'title'>;
  if (process.env.BENCH_LOAD === 'process' && !opts.paths && !opts.headerSets) {
    const script = fileURLToPath(new URL('./load-process.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script, JSON.stringify(options)]);
    r = JSON.parse(stdout);
  } else {
    let i = 0;
    const { paths, headerSets } = opts;
    const a = await autocannon({
      ...options,
      ...(paths || headerSets
        ? {
            requests: [
              {
                setupRequest: (req: { path: string; headers: Record<string, string> }) => {
                  const n = i++;
                  if (paths) req.path = paths[n % paths.length]!;
                  if (headerSets) req.headers = { ...req.headers, ...headerSets[n % headerSets.length]! };
                  return req;
                },
              },
            ],
          }
        : {}),
    } as autocannon.Options);
    r = {
      rps: a.requests.average,
      p50: a.latency.p50,
      p99: a.latency.p99,
      total: a.requests.total,
      non2xx: a.non2xx,
      errors: a.errors,
    };
  }
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${opts.title}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { title: opts.title, ...r };
}

export function printResults(rows: LoadResult[]) {
  console.log('route'.padEnd(62), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8));
  for (const r of rows)
    console.log(
      r.title.padEnd(62),
      r.rps.toFixed(0).padStart(9),
      String(r.p50).padStart(8),
      String(r.p99).padStart(8),
    );
}

/**
 * A fresh database on the PostgreSQL server (RETNING_BENCH_PG_URL), migrated and with the reference data
 * loaded; drop() removes it.
 */
export async function createBenchDatabase(prefix: string) {
  const adminUrl = process.env.RETNING_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({
    databaseUrl: url.toString(),
    poolSize: Number(process.env.BENCH_POOL ?? 10),
  });
  await database.migrate();
  await installReferenceData(database);
  // The app serves through its own login role, a member of retning_app and retning_citizen only, as in production.
  await ensureRequestRole(adminUrl, 'retning_request');
  const requestDatabase = await openDatabase({
    databaseUrl: urlAs(url.toString(), 'retning_request'),
    poolSize: Number(process.env.BENCH_POOL ?? 10),
  });
  return {
    /** The owner's connection: seeding and the baselines. */
    database,
    /** The request role's connection: what the app under measurement uses. */
    requestDatabase,
    url: url.toString(),
    async drop() {
      await requestDatabase.close();
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
