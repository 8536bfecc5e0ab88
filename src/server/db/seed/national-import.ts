import { randomUUID } from 'node:crypto';
import type { IsoDate } from '../../../shared/domain/dates';
import { IMPORT_TYPES } from '../../../shared/import';
import { importFile } from '../../modules/dataimport/import.service';
import type { Reference } from '../../modules/reference/reference';
import type { Actor } from '../../platform/policy';
import { type Tx, withTenant } from '../../platform/tenancy';
import type { Database, Db } from '../client';
import { municipalities, orgUnits, roleAssignments, users } from '../schema';
import { type GeneratedMunicipality, municipalityRecords } from './national';
import { asOwner } from './owner';

export interface ImportedMunicipality {
  id: string;
  /** Unit ids by unit name. */
  units: Record<string, string>;
  records: Record<'citizen' | 'case' | 'service' | 'goal' | 'follow_up' | 'measure', number>;
  importMs: number;
}

/**
 * Creates a generated municipality (its units and an import account that cannot log in) and loads its
 * records through the real importer, as a municipality moving from another system would: for the national
 * benchmark, the demo's neighbour municipalities and tests.
 */
export async function importGeneratedMunicipality(
  target: { db: Db; database?: Database },
  ref: Reference,
  m: GeneratedMunicipality,
  opts: { today: IsoDate; years?: number; seed?: number },
): Promise<ImportedMunicipality> {
  const { db, database } = target;
  const id = randomUUID();
  const userId = randomUUID();
  const unitIds: Record<string, string> = {};
  await asOwner(db, id, async (tx) => {
    await tx.insert(municipalities).values({ id, code: m.code, name: m.name });
    for (const u of m.units) {
      const [row] = await tx
        .insert(orgUnits)
        .values({ municipalityId: id, name: u.name, kind: u.kind })
        .returning();
      unitIds[u.name] = row!.id;
    }
    // The password hash '-' matches no password: the account exists only to be the importer's actor.
    await tx.insert(users).values({
      id: userId,
      municipalityId: id,
      username: `import-${m.code}`,
      displayName: 'Import',
      passwordHash: '-',
    });
    await tx
      .insert(roleAssignments)
      .values({ municipalityId: id, userId, unitId: unitIds.Myndighed!, role: 'administrator' });
  });
  const records = [...municipalityRecords(ref, m, opts)];
  const counts = Object.fromEntries(IMPORT_TYPES.map((t) => [t, 0])) as Record<
    (typeof IMPORT_TYPES)[number],
    number
  >;
  for (const r of records) counts[r.type]++;
  const actor: Actor = {
    kind: 'staff',
    userId,
    municipalityId: id,
    municipalityName: m.name,
    username: `import-${m.code}`,
    displayName: 'Import',
    roles: [{ role: 'administrator', unitId: unitIds.Myndighed! }],
    sessionId: 'import',
    csrfToken: 'import',
  };
  const t0 = performance.now();
  const ndjson = records.map((r) => JSON.stringify(r)).join('\n');
  const load = (tx: Tx) => importFile(tx, { actor, requestId: `import-${m.code}` }, ref, opts.today, ndjson);
  // As the app role under RLS when a Database is given (benchmarks, tests); as the owner when seeding.
  if (database) await withTenant(database, { municipalityId: id, userId }, load);
  else await asOwner(db, id, load);
  return { id, units: unitIds, records: counts, importMs: performance.now() - t0 };
}
