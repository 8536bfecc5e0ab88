import { buildApp } from './app';
import { loadConfig } from './config';
import { openDatabase } from './db/client';
import { seedDemo } from './db/seed/demo';
import { DEMO_LOGINS } from './db/seed/demo-logins';
import { loadReference } from './modules/reference/reference';
import { installReferenceData } from './modules/reference/reference.install';

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
await database.migrate();
const installed = await installReferenceData(database);
if (installed.added.length) console.log(`Referencedata indlæst: ${installed.added.join(', ')}`);
const reference = await loadReference(database);
if (config.demoMode) {
  const seeded = await seedDemo(database, reference, config);
  if (seeded)
    console.log(
      'Demo-data oprettet: Demo Kommune (200 fiktive borgere med forløb), Prøve Kommune, fem fiktive nabokommuner (til nøgletal) og Social- og Boligstyrelsen (selvevaluering).',
    );
}
const app = await buildApp({ database, config, reference });
await app.listen({ port: config.port, host: config.host });
// Mail that could not be delivered right after its request (SMTP down, restart) is retried every minute.
const sweep = setInterval(() => {
  app.ctx.mail
    .sweep()
    .catch((err) => app.log.error({ err: { message: (err as Error).message } }, 'mail sweep failed'));
}, 60_000);
sweep.unref();
// Key figures of municipalities whose pathway data changed are recomputed within seconds (decision 007).
const keyFigures = setInterval(() => {
  app.ctx.keyFigures
    .sweep()
    .catch((err) => app.log.error({ err: { message: (err as Error).message } }, 'key figure refresh failed'));
}, 10_000);
keyFigures.unref();

const where = config.databaseUrl
  ? 'PostgreSQL-server (DATABASE_URL)'
  : `indlejret PostgreSQL (PGlite) i ${config.pgliteDir}`;
console.log(`\nRetning kører på http://localhost:${config.port}  ·  database: ${where}`);
if (config.demoMode) {
  console.log('\nDemo-logins (fiktive brugere, kun i demotilstand):');
  for (const l of DEMO_LOGINS)
    console.log(`  ${l.username.padEnd(22)} ${l.password}   ${l.role} · ${l.municipality}`);
}

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  clearInterval(sweep);
  clearInterval(keyFigures);
  await app.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
