import { buildApp } from './app';
import { assertServable, loadConfig } from './config';
import { openDatabase } from './db/client';
import { checkRequestRole } from './db/request-role';
import { seedDemo } from './db/seed/demo';
import { DEMO_CITIZENS, DEMO_LOGINS, DEMO_RELATIVES } from './db/seed/demo-logins';
import { portalRedirectUri } from './modules/portal/portal.login';
import { loadReference } from './modules/reference/reference';
import { installReferenceData } from './modules/reference/reference.install';
import { startDemoBroker } from './platform/auth/mitid-demo';
import { loggableError } from './platform/http';

const config = (() => {
  try {
    const c = loadConfig();
    assertServable(c);
    return c;
  } catch (err) {
    // A configuration error is the operator's to fix: say what, without a stack trace.
    console.error((err as Error).message);
    process.exit(1);
  }
})();
// The schema owner migrates, installs reference data and seeds the demo; on a server, request traffic then
// logs in as its own role, a member of retning_app only, and the owner's connections close (decision 002).
const owner = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
await owner.migrate();
const installed = await installReferenceData(owner);
if (installed.added.length) console.log(`Referencedata indlæst: ${installed.added.join(', ')}`);
const reference = await loadReference(owner);
if (config.demoMode) {
  const seeded = await seedDemo(owner, reference, config);
  if (seeded)
    console.log(
      'Demo-data oprettet: Demo Kommune (240 fiktive borgere med forløb), Prøve Kommune, fem fiktive nabokommuner (til nøgletal) og Social- og Boligstyrelsen (selvevaluering).',
    );
}
let database = owner;
if (config.databaseAppUrl) {
  database = await openDatabase({ databaseUrl: config.databaseAppUrl });
  const check = await checkRequestRole(database);
  if (check.problems.length) {
    console.error(
      `DATABASE_APP_URL logger ind som ${check.role}, som ikke må betjene forespørgsler:\n` +
        check.problems.map((p) => `  - ${p}`).join('\n'),
    );
    process.exit(1);
  }
  await owner.close();
}
// Demo mode without a MitID broker configured: the MitID test broker runs beside Retning, on the next port,
// with the demo's fictional citizens (issue 14). A configured broker (MITID_*) always wins.
let demoBroker: Awaited<ReturnType<typeof startDemoBroker>>['broker'] | null = null;
if (config.demoMode && !config.mitid) {
  const brokerPort = config.port + 1;
  const started = await startDemoBroker({
    port: brokerPort,
    host: config.host,
    publicIssuer: `${new URL(config.publicUrl).protocol}//${new URL(config.publicUrl).hostname}:${brokerPort}`,
    redirectUri: portalRedirectUri(config),
  });
  demoBroker = started.broker;
  config.mitid = started.mitid;
}
const app = await buildApp({ database, config, reference });
await app.listen({ port: config.port, host: config.host });
// Mail that could not be delivered right after its request (SMTP down, restart) is retried every minute.
const sweep = setInterval(() => {
  app.ctx.mail.sweep().catch((err) => app.log.error({ err: loggableError(err) }, 'mail sweep failed'));
}, 60_000);
sweep.unref();
// Key figures of municipalities whose pathway data changed are recomputed within seconds (decision 007).
const keyFigures = setInterval(() => {
  app.ctx.keyFigures
    .sweep()
    .catch((err) => app.log.error({ err: loggableError(err) }, 'key figure refresh failed'));
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
  if (demoBroker)
    console.log(
      `\nBorgerportalen: ${config.publicUrl}/portal  ·  MitID-testbroker: ${demoBroker.issuer}\n` +
        `  Log ind som ${DEMO_CITIZENS.map((c) => `${c.firstName} ${c.lastName}`).join(', ')} (fiktive borgere),\n` +
        `  eller som ${DEMO_RELATIVES.map((r) => `${r.name}, der handler for ${DEMO_CITIZENS[r.forCitizen].firstName}`).join(', ')} (pårørende).`,
    );
}

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  clearInterval(sweep);
  clearInterval(keyFigures);
  await app.close();
  await demoBroker?.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
