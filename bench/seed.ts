import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/server/db/client';
import {
  citizens,
  communityOffers,
  municipalities,
  orgUnits,
  roleAssignments,
  users,
} from '../src/server/db/schema';
import { asOwner } from '../src/server/db/seed/owner';
import { DEMO_OFFERS, generatePathways, insertPathways } from '../src/server/db/seed/pathways';
import { prng } from '../src/server/db/seed/random';
import type { Reference } from '../src/server/modules/reference/reference';
import { hashPassword } from '../src/server/platform/auth/passwords';
import { danishDate } from '../src/shared/domain/dates';

/**
 * One municipality of CITIZENS citizens with generated pathway histories (cases, assessments, goals,
 * services, follow-ups, measures, plans), about 50 citizens per caseworker: what bench:pathway and
 * bench:portal load. Caseworkers log in as cw0, cw1 … with the returned password.
 */
export async function seedBenchMunicipality(database: Database, ref: Reference, CITIZENS: number) {
  const CASEWORKERS = Math.max(1, Math.round(CITIZENS / 50)); // ~50 citizens each (DS guideline 45–65)
  const m = randomUUID();
  const authority = randomUUID();
  const providerKeys = ['SEL §85', 'SEL §82a', 'SEL §82b', 'SEL §104', 'SEL §107', 'SEL §108'];
  const providers = Object.fromEntries(providerKeys.map((k) => [k, randomUUID()]));
  const caseworkers = Array.from({ length: CASEWORKERS }, () => randomUUID());
  const password = 'bench-password-123';
  const today = danishDate(new Date());
  const started = Date.now();
  const seeded = await asOwner(database.db, m, async (tx) => {
    await tx.insert(municipalities).values({ id: m, code: 'b02', name: 'Benchmark Kommune' });
    await tx.insert(orgUnits).values([
      { id: authority, municipalityId: m, name: 'Myndighed', kind: 'myndighed' },
      ...providerKeys.map((k) => ({
        id: providers[k]!,
        municipalityId: m,
        name: `Tilbud ${k}`,
        kind: 'tilbud',
      })),
    ]);
    const hash = await hashPassword(password);
    await tx.insert(users).values(
      caseworkers.map((id, i) => ({
        id,
        municipalityId: m,
        username: `cw${i}`,
        displayName: `Sagsbehandler ${i}`,
        passwordHash: hash,
      })),
    );
    await tx.insert(roleAssignments).values(
      caseworkers.map((userId) => ({
        municipalityId: m,
        userId,
        unitId: authority,
        role: 'sagsbehandler',
      })),
    );
    const rnd = prng(5000);
    const list = Array.from({ length: CITIZENS }, (_, i) => ({
      id: randomUUID(),
      municipalityId: m,
      cpr: `${String((i % 28) + 1).padStart(2, '0')}${String((Math.floor(i / 28) % 12) + 1).padStart(2, '0')}7${i % 10}${String(1000 + (i % 9000)).slice(-4)}`,
      firstName: 'Borger',
      lastName: `Nr${i}`,
      responsibleUnitId: authority,
      responsibleCaseworkerId: caseworkers[i % CASEWORKERS]!,
    }));
    const unique = new Map(list.map((c) => [c.cpr, c]));
    const rows = [...unique.values()];
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(citizens).values(rows.slice(i, i + 1000));
    const offers = await tx
      .insert(communityOffers)
      .values(DEMO_OFFERS.map((o) => ({ ...o, municipalityId: m })))
      .returning({ id: communityOffers.id });
    const generated = generatePathways(ref, {
      municipalityId: m,
      today,
      rnd,
      citizens: rows.map((c) => ({ id: c.id, caseworkerId: c.responsibleCaseworkerId })),
      authorityUnitId: authority,
      caseworkers,
      providers,
      providerUserId: null,
      offers: offers.map((o) => o.id),
    });
    await insertPathways(tx, generated);
    return { citizens: rows, generated };
  });
  // Fresh statistics, as autovacuum would have them on a server that has been running.
  await database.db.execute(sql`analyze`);
  const counts = Object.entries(seeded.generated)
    .map(([k, v]) => `${k} ${v.length}`)
    .join(', ');
  console.log(
    `seeded ${seeded.citizens.length} citizens in ${((Date.now() - started) / 1000).toFixed(0)} s: ${counts}`,
  );

  return { m, authority, caseworkers, password, today, seeded };
}
