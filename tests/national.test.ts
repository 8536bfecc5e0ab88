import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipalities, orgUnits } from '../src/server/db/schema';
import {
  municipalityRecords,
  municipalitySizes,
  nationalMunicipalities,
} from '../src/server/db/seed/national';
import { asOwner } from '../src/server/db/seed/owner';
import { createUser } from './factories';
import { call, createTestApp, login, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the fictional national data set (npm run generate:national)', () => {
  it('spreads 100,000 citizens over 98 municipalities of realistic, varying size', () => {
    const sizes = municipalitySizes(100_000);
    expect(sizes).toHaveLength(98);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 100_000)).toBeLessThan(500);
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeGreaterThan(15);
  });

  it('writes files the importer takes whole, and a second import changes nothing', async () => {
    const ref = t.app.ctx.reference;
    const [m] = nationalMunicipalities({ citizens: 150, count: 2 });
    const records = [...municipalityRecords(ref, m!, { today: '2026-11-24' })];
    const of = (type: string) => records.filter((r) => r.type === type).length;
    const ratings = records.flatMap((r) => (r.type === 'follow_up' ? (r.ratings ?? []) : []));
    // Every follow-up carries the citizen's GAS rating of the indsatsmål, some the professional's too.
    expect(ratings.filter((r) => r.rater === 'citizen')).toHaveLength(of('follow_up'));
    expect(ratings.length).toBeGreaterThan(of('follow_up'));
    expect(of('service') / of('citizen')).toBeGreaterThan(2.5);
    expect(of('measure') / of('citizen')).toBeGreaterThan(15);
    // A municipality with the units the manifest names, and its administrator.
    const id = randomUUID();
    const units: Record<string, string> = {};
    await asOwner(t.db, id, async (tx) => {
      await tx.insert(municipalities).values({ id, code: m!.code, name: m!.name });
      for (const u of m!.units) {
        const [row] = await tx
          .insert(orgUnits)
          .values({ municipalityId: id, name: u.name, kind: u.kind })
          .returning();
        units[u.name] = row!.id;
      }
    });
    const admin = await createUser(
      t.db,
      {
        id,
        name: m!.name,
        units: { authority: units.Myndighed!, provider: units.Bostøtte!, otherProvider: units.Værested! },
      },
      [['administrator', units.Myndighed!]],
    );
    const s = await login(t.app, admin.username, admin.password);
    const ndjson = records.map((r) => JSON.stringify(r)).join('\n');
    const first = await call(t.app, s, { method: 'POST', url: '/api/admin/import', payload: { ndjson } });
    expect(first.statusCode, first.body.slice(0, 500)).toBe(200);
    expect(first.json()).toMatchObject({
      citizens: { created: of('citizen') },
      cases: { created: of('case') },
      services: { created: of('service') },
      followUps: { created: of('follow_up'), ratings: ratings.length },
      measures: { created: of('measure') },
    });
    const again = await call(t.app, s, { method: 'POST', url: '/api/admin/import', payload: { ndjson } });
    expect(again.json()).toMatchObject({
      citizens: { created: 0 },
      cases: { created: 0 },
      services: { created: 0 },
      followUps: { created: 0, unchanged: of('follow_up') },
      measures: { created: 0, unchanged: of('measure') },
    });
  });
});
