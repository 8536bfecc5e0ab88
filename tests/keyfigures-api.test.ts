import { desc, eq, sql } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, services } from '../src/server/db/schema';
import { nationalMunicipalities } from '../src/server/db/seed/national';
import {
  type ImportedMunicipality,
  importGeneratedMunicipality,
} from '../src/server/db/seed/national-import';
import { asOwner } from '../src/server/db/seed/owner';
import { currentFigures, dueThrough } from '../src/server/modules/keyfigures/keyfigures.refresh';
import { rowsOf, withTenant } from '../src/server/platform/tenancy';
import { addMonths, danishDate } from '../src/shared/domain/dates';
import { isSensitive } from '../src/shared/domain/disclosure';
import { INDICATORS } from '../src/shared/indicators';
import { exchangeFile } from '../src/shared/keyfigures';
import { createUser, TEST_PASSWORD, type TestMunicipality } from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

/**
 * The key-figure dashboard API (issue 5) over six generated municipalities loaded through the importer:
 * own figures, breakdowns only for the municipality itself, comparison groups of at least five, group and
 * country figures from published figures only, exports, the exchange file, and a change reaching the
 * figures through the refresh sweep.
 */
let t: TestApp;
let own: ImportedMunicipality;
let others: ImportedMunicipality[];
let leder: Session;
let lederName: string;
let admin: Session;
let adminName: string;
/** Where the six municipalities' key figures start (today is in 2026 on the test clock). */
const START = '2025-01-01';

/** A municipality's raw figures as the refresh computes them (they are never stored). */
const computedFigures = (municipalityId: string) =>
  withTenant(t.database, { municipalityId, userId: null }, (tx) =>
    currentFigures(tx, t.app.ctx.reference, danishDate(t.clock.now())),
  );

beforeAll(async () => {
  t = await createTestApp();
  const ref = t.app.ctx.reference;
  const today = danishDate(t.clock.now());
  const list = nationalMunicipalities({ citizens: 180, count: 6 });
  const imported: ImportedMunicipality[] = [];
  for (const m of list) {
    const r = await importGeneratedMunicipality({ db: t.db, database: t.database }, ref, m, {
      today,
      years: 2,
    });
    // Their data are complete from the first of January a year back (go-live): one year and its months and
    // quarters published, not the thin first year of the generated data.
    await asOwner(t.db, r.id, (tx) =>
      tx.execute(sql`update municipalities set key_figures_from = ${START} where id = ${r.id}`),
    );
    imported.push(r);
  }
  [own, ...others] = imported as [ImportedMunicipality, ...ImportedMunicipality[]];
  await t.app.ctx.keyFigures.sweep();
  const tm: TestMunicipality = {
    id: own.id,
    name: list[0]!.name,
    units: {
      authority: own.units.Myndighed!,
      provider: own.units.Bostøtte!,
      otherProvider: own.units.Værested!,
    },
  };
  lederName = (await createUser(t.db, tm, [['leder', own.units.Myndighed!]])).username;
  leder = await login(t.app, lederName, TEST_PASSWORD);
  adminName = (await createUser(t.db, tm, [['administrator', own.units.Myndighed!]])).username;
  admin = await login(t.app, adminName, TEST_PASSWORD);
  // Six municipalities, two years each, published and audited: about three minutes on two quiet cores.
}, 900_000);

afterAll(async () => {
  await t?.close();
});

const get = (s: Session, url: string) => call(t.app, s, { method: 'GET', url });

describe('the dashboard API', () => {
  it('gives every indicator of the municipality, numbers only where shown', async () => {
    const r = await get(leder, '/api/keyfigures/overview?period=quarter');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json();
    expect(body.indicators.map((i: { key: string }) => i.key)).toEqual(INDICATORS.map((i) => i.key));
    // Where the figures start, so the page can say why the series begin there.
    expect(body.from).toBe(START);
    const citizens = body.indicators.find((i: { key: string }) => i.key === 'citizens').points;
    expect(citizens.length).toBeGreaterThan(4);
    for (const i of body.indicators)
      for (const p of i.points) {
        if (p.status !== 'shown') expect([p.numerator, p.denominator, p.figure]).toEqual([null, null, null]);
        else if (INDICATORS.find((x) => x.key === i.key)!.kind === 'count')
          expect(isSensitive(p.numerator)).toBe(false);
      }
    // The shown figures are the computed ones.
    const computed = await computedFigures(own.id);
    for (const p of citizens.filter((x: { status: string }) => x.status === 'shown'))
      expect(
        computed.find(
          (f) =>
            f.indicator === 'citizens' &&
            f.periodKind === 'quarter' &&
            f.breakdown === '' &&
            f.periodStart === p.start,
        )!.numerator,
      ).toBe(p.numerator);
  });

  it('breaks down by the municipality’s own units only; other municipalities see its totals, never its breakdowns', async () => {
    const r = await get(leder, '/api/keyfigures/indicators/citizens?period=year&breakdown=unit');
    expect(r.statusCode).toBe(200);
    const values = r.json().breakdown.values as { value: string; label: string }[];
    expect(values.length).toBeGreaterThan(1);
    for (const v of values) expect(Object.values(own.units)).toContain(v.value);
    expect(values.map((v) => v.label)).toContain('Bostøtte');
    const other = others[0]!;
    const seen = await withTenant(t.database, { municipalityId: other.id, userId: null }, async (tx) =>
      rowsOf<{ breakdowns: number; totals: number }>(
        await tx.execute(sql`select count(*) filter (where breakdown <> '')::int as breakdowns,
                                    count(*) filter (where breakdown = '')::int as totals
                               from key_figures_published where municipality_id = ${own.id}`),
      ),
    );
    expect(seen[0]).toMatchObject({ breakdowns: 0 });
    expect(seen[0]!.totals).toBeGreaterThan(0);
    // A breakdown the indicator does not have is a clear 422.
    const bad = await get(leder, '/api/keyfigures/indicators/spend_per_goal_achieved?breakdown=unit');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('breakdown_not_available');
    expect((await get(leder, '/api/keyfigures/indicators/nope')).statusCode).toBe(404);
  });

  it('compares with a comparison group of at least five, from the members’ published figures only', async () => {
    const members = [own, ...others].map((m) => m.id);
    const tooFew = await call(t.app, admin, {
      method: 'POST',
      url: '/api/keyfigures/groups',
      payload: { name: 'For lille', members: members.slice(0, 4) },
    });
    expect(tooFew.statusCode).toBe(400);
    const unknown = await call(t.app, admin, {
      method: 'POST',
      url: '/api/keyfigures/groups',
      payload: { name: 'Ukendt', members: [...members.slice(0, 4), crypto.randomUUID()] },
    });
    expect(unknown.statusCode).toBe(422);
    const byLeder = await call(t.app, leder, {
      method: 'POST',
      url: '/api/keyfigures/groups',
      payload: { name: 'Leder', members },
    });
    expect(byLeder.statusCode).toBe(403);
    const created = await call(t.app, admin, {
      method: 'POST',
      url: '/api/keyfigures/groups',
      payload: { name: 'Naboer', members },
    });
    expect(created.statusCode).toBe(201);
    const groupId = created.json().id;
    const r = await get(leder, `/api/keyfigures/indicators/citizens?period=year&group=${groupId}`);
    expect(r.statusCode).toBe(200);
    const view = r.json();
    expect(view.group.name).toBe('Naboer');
    expect(view.group.members).toHaveLength(6);
    expect(view.group.members.filter((m: { own: boolean }) => m.own)).toHaveLength(1);
    // The group's figure is the average of the members' shown totals, and says how many counted.
    const totals = await withTenant(t.database, { municipalityId: own.id, userId: null }, async (tx) =>
      rowsOf<{ period_start: string; n: string; k: number }>(
        await tx.execute(sql`select period_start::text, sum(numerator) as n, count(*)::int as k
          from key_figures_published where indicator = 'citizens' and period_kind = 'year' and breakdown = ''
           and status = 'shown' and municipality_id = any(${`{${members.join(',')}}`}::uuid[]) group by 1`),
      ),
    );
    for (const p of view.group.points) {
      const tt = totals.find((x) => x.period_start === p.start);
      if (tt) expect(p.figure).toBeCloseTo(Number(tt.n) / tt.k, 6);
      else expect(p.figure).toBeNull();
      expect(p.contributing).toBe(tt?.k ?? 0);
      expect(p.of).toBe(6);
    }
    expect(view.country.points.length).toBeGreaterThan(0);
    // An unknown group is a 404, not someone else's group.
    expect(
      (await get(leder, `/api/keyfigures/indicators/citizens?group=${crypto.randomUUID()}`)).statusCode,
    ).toBe(404);
    const list = await get(admin, '/api/keyfigures/municipalities');
    expect(list.json().items.filter((m: { own: boolean }) => m.own)).toHaveLength(1);
    const del = await call(t.app, admin, { method: 'DELETE', url: `/api/keyfigures/groups/${groupId}` });
    expect(del.statusCode).toBe(204);
  });

  it('shows the ladder a year ago and now with the flows, protected', async () => {
    const r = await get(leder, '/api/keyfigures/ladder');
    expect(r.statusCode).toBe(200);
    const { ladder, stepNames } = r.json();
    expect(ladder.steps[0]).toBeNull();
    expect(Object.keys(stepNames)).toContain('3');
    const shown = [...ladder.table.cells.flat(), ...ladder.table.rowTotals, ...ladder.table.colTotals];
    expect(shown.some((v: number | null) => v !== null && v > 0)).toBe(true);
    expect(shown.every((v: number | null) => v === null || !isSensitive(v))).toBe(true);
  });

  it('exports the published figures as XLSX and CSV, and audits the export', async () => {
    const x = await get(leder, '/api/keyfigures/export?format=xlsx&period=year');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const files = unzipSync(new Uint8Array(x.rawPayload));
    const sheet = new TextDecoder().decode(files['xl/worksheets/sheet1.xml']!);
    expect(sheet).toContain('Borgere med indsats');
    const c = await get(leder, '/api/keyfigures/export?format=csv');
    expect(c.body.startsWith('\uFEFFindikator;navn;periodetype')).toBe(true);
    // Withheld figures are exported as withheld, with no numbers.
    for (const line of c.body.split('\r\n').slice(1).filter(Boolean)) {
      const f = line.split(';');
      if (f[6] !== 'vist') expect(f.slice(7)).toEqual(['', '', '']);
    }
    const events = await asOwner(t.db, own.id, (tx) =>
      tx.select().from(auditEvents).where(eq(auditEvents.resourceType, 'key_figures')),
    );
    expect(events.filter((e) => e.action === 'export')).toHaveLength(2);
  });

  it('writes the exchange file: totals only, protected', async () => {
    const r = await get(leder, '/api/keyfigures/exchange');
    expect(r.statusCode).toBe(200);
    const file = exchangeFile.parse(r.json());
    expect(file.municipality.code).toBe('601');
    expect(file.figures.length).toBeGreaterThan(100);
    for (const f of file.figures) if (f.status !== 'shown') expect(f.figure).toBeNull();
  });

  it('loads another deployment’s exchange file after checking that it is protected', async () => {
    const file = exchangeFile.parse((await get(leder, '/api/keyfigures/exchange')).json());
    const send = (body: object) =>
      call(t.app, admin, { method: 'POST', url: '/api/keyfigures/exchange', payload: body });
    // The municipality's own figures are computed here: a file never replaces them.
    const own = await send(file);
    expect(own.statusCode, JSON.stringify(own.json()).slice(0, 600)).toBe(409);
    const other = { ...file, municipality: { code: '777', name: 'Fjern Kommune' } };
    // A withheld figure with its number in it is refused, and nothing is loaded.
    const leaky = structuredClone(other);
    const withheld = leaky.figures.findIndex((f) => f.status !== 'shown');
    if (withheld >= 0) {
      leaky.figures[withheld]!.numerator = 1;
      const r = await send(leaky);
      expect(r.statusCode).toBe(422);
      expect(r.json().code).toBe('exchange_unprotected');
    }
    // A month withheld while its quarter and the other two months are shown can be computed, and here it
    // is 1 (the quarter says 7, the other months 3 and 3): refused.
    const derivable = structuredClone(other);
    const quarter = derivable.figures.find(
      (f) => f.indicator === 'new_citizens' && f.periodKind === 'quarter',
    )!;
    const monthsOf = [0, 1, 2].map((k) =>
      derivable.figures.find(
        (f) =>
          f.indicator === 'new_citizens' &&
          f.periodKind === 'month' &&
          f.periodStart ===
            `${quarter.periodStart.slice(0, 5)}${String(Number(quarter.periodStart.slice(5, 7)) + k).padStart(2, '0')}-01`,
      ),
    );
    expect(monthsOf.every(Boolean)).toBe(true);
    Object.assign(quarter, { status: 'shown', numerator: 7, denominator: null, figure: 7 });
    Object.assign(monthsOf[0]!, { status: 'withheld', numerator: null, denominator: null, figure: null });
    for (const m of monthsOf.slice(1))
      Object.assign(m!, { status: 'shown', numerator: 3, denominator: null, figure: 3 });
    const refused = await send(derivable);
    expect(refused.statusCode).toBe(422);
    expect(JSON.stringify(refused.json().errors)).toContain('regnes ud');
    const loaded = await send(other);
    expect(loaded.statusCode).toBe(201);
    // Loading again replaces it (idempotent), and it takes part in the country.
    expect((await send(other)).statusCode).toBe(201);
    const list = (await get(admin, '/api/keyfigures/municipalities')).json().items as { code: string }[];
    expect(list.map((m) => m.code)).toContain('777');
    const view = (await get(leder, '/api/keyfigures/indicators/citizens?period=year')).json();
    expect(Math.max(...view.country.points.map((p: { of: number }) => p.of))).toBe(7);
  });

  it('a change to one service leaves published periods as they were and reaches the next period', async () => {
    const latest = async () => {
      const r = await get(leder, '/api/keyfigures/overview?period=month');
      return r
        .json()
        .indicators.find((i: { key: string }) => i.key === 'spend')
        .points.at(-1);
    };
    const before = await latest();
    // The last published month is the last one that ended SETTLE_DAYS ago.
    expect(before.start).toBe(`${dueThrough(danishDate(t.clock.now())).slice(0, 7)}-01`);
    // Double the price of one running service.
    await asOwner(t.db, own.id, async (tx) => {
      const [s] = rowsOf<{ id: string }>(
        await tx.execute(sql`select id from services where municipality_id = ${own.id} and status = 'active'
          and price_unit = 'month' order by id limit 1`),
      );
      await tx
        .update(services)
        .set({ priceAmount: sql`${services.priceAmount} * 2` })
        .where(eq(services.id, s!.id));
    });
    await t.app.ctx.keyFigures.sweep();
    expect(await latest()).toEqual(before);
    // Nothing is waiting to be published: the change belongs to a period that has not ended.
    expect((await get(leder, '/api/keyfigures/overview?period=month')).json().pending).toBe(false);
    // A month on, the next month is published from the data as they are then.
    t.clock.advance(31 * 86_400_000);
    leder = await login(t.app, lederName, TEST_PASSWORD);
    const swept = await t.app.ctx.keyFigures.sweep();
    expect(swept.map((s) => s.municipalityId)).toContain(own.id);
    const after = await latest();
    expect(after.start > before.start).toBe(true);
    const raw = (await computedFigures(own.id)).find(
      (f) =>
        f.indicator === 'spend' &&
        f.periodKind === 'month' &&
        f.breakdown === '' &&
        f.periodStart === after.start,
    );
    if (after.status === 'shown') expect(after.numerator).toBe(raw!.numerator);
    // Two sweeps of six municipalities, the second auditing a new month with every ladder (40–60 s on two cores).
  }, 300_000);
});

describe('where the key figures start (the data are complete from go-live)', () => {
  it('the administrator sets it; it cannot move past a published period; a move earlier makes the municipality due', async () => {
    // The clock moved a month in the test before: a fresh session.
    admin = await login(t.app, adminName, TEST_PASSWORD);
    const put = (s: Session, from: string | null) =>
      call(t.app, s, { method: 'PUT', url: '/api/keyfigures/settings', payload: { from } });
    const now = (await get(admin, '/api/keyfigures/settings')).json();
    expect(now).toEqual({ from: START, publishedFrom: START });
    // Only the first day of a month from 2000, checked before anything is written.
    for (const bad of ['2025-01-15', '1999-12-01', '2025-02-30', 'i går'])
      expect((await put(admin, bad)).statusCode, bad).toBe(400);
    // Later than the first published period: refused, the published periods are frozen.
    const later = await put(admin, addMonths(now.publishedFrom, 3));
    expect(later.statusCode).toBe(409);
    expect(later.json().code).toBe('key_figures_published_earlier');
    expect((await get(admin, '/api/keyfigures/settings')).json().from).toBe(START);
    // A manager reads the figures but does not decide where they start.
    expect((await put(leder, now.publishedFrom)).statusCode).toBe(403);
    // Earlier: accepted and audited; the municipality is due again, and the sweep publishes the months,
    // quarters and year it lets in, audited with everything published before.
    const earlier = addMonths(START, -12);
    const ok = await put(admin, earlier);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ from: earlier, publishedFrom: START });
    const [event] = await asOwner(t.db, own.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.resourceType, 'key_figure_settings'))
        .orderBy(desc(auditEvents.occurredAt))
        .limit(1),
    );
    expect(event).toMatchObject({ action: 'update', actorRole: 'administrator' });
    const count = async () =>
      (
        await withTenant(t.database, { municipalityId: own.id, userId: null }, async (tx) =>
          rowsOf<{ n: number }>(
            await tx.execute(
              sql`select count(*)::int as n from key_figures_published where municipality_id = ${own.id}`,
            ),
          ),
        )
      )[0]!.n;
    const before = await count();
    expect((await t.app.ctx.keyFigures.sweep()).map((r) => r.municipalityId)).toContain(own.id);
    expect(await count()).toBeGreaterThan(before);
    expect((await get(admin, '/api/keyfigures/settings')).json()).toEqual({
      from: earlier,
      publishedFrom: earlier,
    });
    // Now the published year 2024 stands in the way of a later start.
    expect((await put(admin, START)).statusCode).toBe(409);
    // Back to "as far back as the data go": earlier still, allowed.
    expect((await put(admin, null)).json().from).toBeNull();
  }, 300_000);
});
