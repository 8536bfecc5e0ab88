import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { codeLists, codes, instruments } from '../../db/schema';
import { DATA_DIR, readCodeLists, readInstruments } from './reference.data';

export interface InstallReport {
  added: string[];
  current: string[];
}

/**
 * Loads every code list and instrument version shipped in data/ that the database does not have yet, and
 * marks the newest version of each system as current. Versions already loaded are never changed or removed
 * (records keep pointing at them); a shipped file whose content changed under the same version is refused.
 */
export async function installReferenceData(database: Database, dataDir = DATA_DIR): Promise<InstallReport> {
  const lists = readCodeLists(dataDir);
  const instrumentFiles = readInstruments(dataDir);
  return database.transaction({}, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(72420002)`);
    const added: string[] = [];
    const existing = new Map(
      (await tx.select({ key: codeLists.key, checksum: codeLists.checksum }).from(codeLists)).map((r) => [
        r.key,
        r.checksum,
      ]),
    );
    for (const list of lists) {
      const known = existing.get(list.key);
      if (known !== undefined) {
        if (known !== list.checksum)
          throw new Error(
            `Code list ${list.key} in data/ differs from the loaded one. Ship changes as a new version.`,
          );
        continue;
      }
      const { codes: rows, ...head } = list;
      await tx.insert(codeLists).values(head);
      for (let i = 0; i < rows.length; i += 200)
        await tx.insert(codes).values(rows.slice(i, i + 200).map((r) => ({ ...r, listKey: list.key })));
      added.push(list.key);
    }
    const loadedInstruments = new Map(
      (
        await tx
          .select({ key: instruments.key, version: instruments.version, checksum: instruments.checksum })
          .from(instruments)
      ).map((r) => [`${r.key}@${r.version}`, r.checksum]),
    );
    for (const f of instrumentFiles) {
      const key = `${f.key}@${f.version}`;
      const known = loadedInstruments.get(key);
      if (known !== undefined) {
        if (known !== f.checksum)
          throw new Error(`Instrument ${key} in data/ differs from the loaded one. Ship a new version.`);
        continue;
      }
      await tx.insert(instruments).values(f);
      added.push(key);
    }
    // The newest version of each system is current; older ones stay for the records that use them.
    await tx.execute(sql`
      update code_lists l set is_current = (l.version = (select max(v.version) from code_lists v where v.system = l.system))`);
    await tx.execute(sql`
      update instruments i set is_current = (i.version = (select max(v.version) from instruments v where v.key = i.key))`);
    const current = await tx
      .select({ key: codeLists.key })
      .from(codeLists)
      .where(eq(codeLists.isCurrent, true));
    return { added, current: current.map((c) => c.key).sort() };
  });
}
