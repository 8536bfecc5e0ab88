import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { dumpPglite, openDatabase } from '../src/server/db/client';
import { ensureRequestRole } from '../src/server/db/request-role';
import { installReferenceData } from '../src/server/modules/reference/reference.install';
import { PG_ADMIN_URL, pgUrlFor, REQUEST_ROLE, TEST_DB } from './db-target';

declare module 'vitest' {
  export interface ProvidedContext {
    template: string;
  }
}

/** Migrates one template database per run; each test file then starts from a copy of it. */
export default async function setup(project: TestProject) {
  const started = Date.now();
  if (TEST_DB === 'pglite') {
    const database = await openDatabase({ pgliteDir: 'memory://' });
    await database.migrate();
    await installReferenceData(database);
    const file = path.join(tmpdir(), `retning-template-${process.pid}.tar`);
    writeFileSync(file, Buffer.from(await (await dumpPglite(database)).arrayBuffer()));
    await database.close();
    project.provide('template', file);
    console.log(`[tests] PGlite template migrated in ${Date.now() - started} ms`);
    return;
  }
  const name = `retning_tpl_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const database = await openDatabase({ databaseUrl: pgUrlFor(name), poolSize: 2 });
  await database.migrate();
  await installReferenceData(database);
  await database.close();
  await ensureRequestRole(PG_ADMIN_URL, REQUEST_ROLE);
  project.provide('template', name);
  console.log(`[tests] PostgreSQL template ${name} migrated in ${Date.now() - started} ms`);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
}
