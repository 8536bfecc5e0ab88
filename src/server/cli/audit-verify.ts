import { sql } from 'drizzle-orm';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { verifyAuditChain } from '../platform/audit';
import { rowsOf, withTenant } from '../platform/tenancy';

/** npm run audit:verify — recomputes every municipality's audit hash chains; exit code 1 on a break. */
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
// The owner lists municipalities (its definer_lookup policy allows that); each is verified in its tenant.
const municipalities = rowsOf<{ id: string; name: string }>(
  await database.db.execute(sql`select id, name from municipalities order by name`),
);
let broken = 0;
for (const m of municipalities) {
  const report = await withTenant(database, { municipalityId: m.id, userId: null }, (tx) =>
    verifyAuditChain(tx),
  );
  if (report.ok) {
    console.log(`${m.name}: ${report.checked} hændelser i ${report.chains} kæder, loggen er hel`);
  } else {
    broken++;
    const b = report.firstBreak!;
    console.log(`${m.name}: BRUD i kæde ${b.chainId} ved hændelse nr. ${b.chainSeq} (${b.id}): ${b.problem}`);
  }
}
await database.close();
process.exit(broken ? 1 : 0);
