import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/server/db/seed/demo';
import { rowsOf } from '../src/server/platform/tenancy';
import { call, createTestApp, login, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  expect(await seedDemo(t.database, t.app.ctx.reference, t.config)).toBe(true);
});
afterAll(() => t.close());

describe('the demo municipality', () => {
  it('is seeded once, with ~240 citizens across every phase and every step of the ladder', async () => {
    expect(await seedDemo(t.database, t.app.ctx.reference, t.config)).toBe(false);
    const [m] = rowsOf<{ id: string }>(
      await t.db.execute(sql`select id from municipalities where code = '999'`),
    );
    // The test connection is the owner (a superuser on PGlite), so filter by municipality explicitly.
    const count = async (q: ReturnType<typeof sql>) =>
      rowsOf<Record<string, string | number>>(await t.db.execute(q));
    const mine = sql`municipality_id = ${m!.id}`;
    expect((await count(sql`select count(*)::int as n from citizens where ${mine}`))[0]!.n).toBe(240);
    const phases = (await count(sql`select distinct phase from cases where ${mine}`)).map((r) => r.phase);
    expect(new Set(phases)).toEqual(
      new Set(['opened', 'assessment', 'judgement', 'plan', 'ordering', 'provision', 'follow_up', 'closed']),
    );
    const paragraphs = (await count(sql`select distinct paragraph_code from services where ${mine}`)).map(
      (r) => r.paragraph_code,
    );
    expect(paragraphs).toEqual(
      expect.arrayContaining(['SEL §85', 'SEL §82b', 'SEL §104', 'SEL §107', 'SEL §108']),
    );
    for (const table of [
      'assessments',
      'goals',
      'action_plans',
      'follow_ups',
      'follow_up_ratings',
      'measurements',
      'goal_offer_links',
      'provider_plans',
    ]) {
      const [r] = await count(sql`select count(*)::int as n from ${sql.identifier(table)} where ${mine}`);
      expect(r!.n, table).toBeGreaterThan(0);
    }
    // Follow-ups record the life situation too (key figures on education, employment and admissions).
    const [life] = await count(
      sql`select count(*)::int as n from follow_ups where ${mine} and employment is not null and admissions_12m is not null`,
    );
    expect(life!.n).toBeGreaterThan(0);
  });

  it('hangs together as a caseworker expects (issue 15, item 18)', async () => {
    const rows = async (q: ReturnType<typeof sql>) => rowsOf<Record<string, number>>(await t.db.execute(q));
    const [m] = rowsOf<{ id: string }>(
      await t.db.execute(sql`select id from municipalities where code = '999'`),
    );
    const mine = sql`municipality_id = ${m!.id}`;
    // Every indsatsmål serves a citizen goal, and every delmål an indsatsmål.
    const [orphans] = await rows(sql`
      select count(*) filter (where kind = 'intervention' and citizen_goal_id is null)::int as interventions,
             count(*) filter (where kind = 'sub' and parent_goal_id is null)::int as subs
        from goals where ${mine}`);
    expect(orphans).toEqual({ interventions: 0, subs: 0 });
    // A case with the provider has a service that is not ended.
    const [stale] = await rows(sql`
      select count(*)::int as n from cases k
       where k.${sql.raw('municipality_id')} = ${m!.id} and k.phase in ('provision', 'follow_up')
         and not exists (select 1 from services s where s.case_id = k.id and s.status <> 'ended')`);
    expect(stale!.n).toBe(0);
    // Some follow-ups are outstanding, by days or weeks, not by a year; most are not.
    const [due] = await rows(sql`
      select count(*)::int as active,
             count(*) filter (where next_follow_up_on < current_date)::int as overdue,
             coalesce(max(current_date - next_follow_up_on), 0)::int as worst_days
        from services where ${mine} and status = 'active' and next_follow_up_on is not null`);
    expect(due!.overdue).toBeGreaterThan(0);
    expect(due!.overdue! / due!.active!).toBeLessThan(0.3);
    expect(due!.worst_days).toBeLessThanOrEqual(60);
  });

  it('shows the caseworker a worklist and a citizen timeline through the real API', async () => {
    const s = await login(t.app, 'sagsbehandler', 'retning-demo-2026');
    const wl = await call(t.app, s, { method: 'GET', url: '/api/worklist?scope=mine' });
    expect(wl.statusCode).toBe(200);
    expect(wl.json().items.length).toBeGreaterThan(0);
    const cases = (await call(t.app, s, { method: 'GET', url: '/api/cases?mine=true' })).json();
    // New cases continue the seeded numbering.
    const opened = await call(t.app, s, {
      method: 'POST',
      url: `/api/citizens/${cases.items[0].citizen.id}/cases`,
      payload: { reason: 'Ny henvendelse' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(cases.items.length).toBeGreaterThan(20);
    const tl = await call(t.app, s, {
      method: 'GET',
      url: `/api/citizens/${cases.items[0].citizen.id}/timeline`,
    });
    expect(tl.statusCode).toBe(200);
    expect(tl.json().items.length).toBeGreaterThan(0);
  });

  it('shows the citizen’s side at once: a relative, messages in the inbox, proposals on the worklist', async () => {
    const s = await login(t.app, 'sagsbehandler', 'retning-demo-2026');
    const inbox = await call(t.app, s, { method: 'GET', url: '/api/messages' });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.json().items.length).toBeGreaterThan(0);
    expect(inbox.json().unread).toBeGreaterThan(0);
    const proposals = await call(t.app, s, { method: 'GET', url: '/api/goal-proposals?scope=units' });
    expect(proposals.json().items.map((p: { words: string }) => p.words)).toContain(
      'Jeg vil gerne begynde at svømme igen, ligesom før jeg blev syg',
    );
    const [rep] = rowsOf<{ n: number }>(
      await t.db.execute(
        sql`select count(*)::int as n from representations r join citizens c on c.id = r.citizen_id
             where c.cpr = '1207829012' and r.representative_cpr = '1506589043' and r.revoked_at is null`,
      ),
    );
    expect(rep!.n).toBe(1);
  });

  it('has the self-assessment survey: two closed national rounds the demo municipality sees, one open', async () => {
    const leder = await login(t.app, 'leder', 'retning-demo-2026');
    const rounds = (await call(t.app, leder, { method: 'GET', url: '/api/survey/rounds' })).json().items;
    expect(rounds.map((r: { title: string }) => r.title)).toEqual([
      'Selvevaluering 2026',
      'Kortlægning 2023',
      'Kortlægning 2020',
    ]);
    const closed = rounds.find((r: { title: string }) => r.title === 'Kortlægning 2023');
    const view = (
      await call(t.app, leder, { method: 'GET', url: `/api/survey/rounds/${closed.id}/report` })
    ).json();
    // 84 municipalities answered like the 2020 mapping (~250 answers); Demo Kommune sees itself and 2020.
    expect(view.report.responses.municipalities.participating).toBe(84);
    expect(view.report.responses.answers).toBeGreaterThan(180);
    expect(view.own.name).toBe('Demo Kommune');
    expect(view.previous.title).toBe('Kortlægning 2020');
    expect(view.report.pejlemaerker).toHaveLength(13);
    const admin = await login(t.app, 'skemaadmin', 'retning-demo-2026');
    const outbox = (await call(t.app, admin, { method: 'GET', url: '/api/mail/outbox' })).json().items;
    expect(outbox[0].body).toContain('/svar/kommune#');
  });
});
