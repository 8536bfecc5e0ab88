import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { danishDate } from '../../shared/domain/dates';
import { IMPORT_TYPES } from '../../shared/import';
import { openDatabase } from '../db/client';
import { municipalityRecords, nationalMunicipalities } from '../db/seed/national';
import { loadReference } from '../modules/reference/reference';
import { installReferenceData } from '../modules/reference/reference.install';

/**
 * npm run generate:national: writes a fictional national data set in the import format
 * (docs/import-format.md) to var/national/ (NATIONAL_DIR): manifest.json (municipalities and the units to
 * create) and one NDJSON file per municipality. NATIONAL_CITIZENS (default 100,000) sets the size.
 */
const dir = path.resolve(process.env.NATIONAL_DIR ?? 'var/national');
const citizens = Number(process.env.NATIONAL_CITIZENS ?? 100_000);
const today = danishDate(new Date());
mkdirSync(dir, { recursive: true });

// The code lists come from data/, through the same loader the app uses (an in-memory database).
const database = await openDatabase({ pgliteDir: 'memory://' });
await database.migrate();
await installReferenceData(database);
const ref = await loadReference(database);
await database.close();

const municipalities = nationalMunicipalities({ citizens });
const totals = Object.fromEntries(IMPORT_TYPES.map((t) => [t, 0])) as Record<
  (typeof IMPORT_TYPES)[number],
  number
>;
const started = Date.now();
for (const m of municipalities) {
  const out = createWriteStream(path.join(dir, `${m.code}.ndjson`));
  for (const r of municipalityRecords(ref, m, { today })) {
    totals[r.type]++;
    if (!out.write(`${JSON.stringify(r)}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
}
writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ today, municipalities, totals }, null, 1));
console.log(
  `Skrev ${municipalities.length} kommuner til ${dir} på ${((Date.now() - started) / 1000).toFixed(0)} s: ` +
    `${totals.citizen} borgere, ${totals.case} sager, ${totals.service} ydelser, ` +
    `${totals.follow_up} opfølgninger, ${totals.measure} målinger`,
);
