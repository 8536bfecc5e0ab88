import { sql } from 'drizzle-orm';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { verifyAuditChain } from '../platform/audit';
import { rowsOf, withTenant } from '../platform/tenancy';

/** npm run audit:verify — recomputes every municipality's audit hash chain; exit code 1 on a break. */
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
// Municipality ids from the chain itself, read as the owner; each chain is then verified in its tenant.
const ids = rowsOf<{ municipality_id: string }>(
  await database.db.execute(sql`select distinct municipality_id from audit_events`),
);
let broken = 0;
for (const { municipality_id } of ids) {
  const report = await withTenant(database, { municipalityId: municipality_id, userId: null }, (tx) =>
    verifyAuditChain(tx),
  );
  if (report.ok) console.log(`${municipality_id}: ${report.checked} hændelser, kæden er hel`);
  else {
    broken++;
    console.log(
      `${municipality_id}: BRUD ved hændelse ${report.firstBreak!.id} (nr. ${report.firstBreak!.chainSeq}): ${report.firstBreak!.problem}`,
    );
  }
}
await database.close();
process.exit(broken ? 1 : 0);
