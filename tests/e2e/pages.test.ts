import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db/client';
import { rowsOf } from '../../src/server/platform/tenancy';
import { expectAccessible, newPage, RAW_KEY, watch } from './browser';
import { type DemoApp, loginAs as loginAsDemo, startDemoApp } from './demo-app';

let demo: DemoApp;
let database: Database;
let browser: Browser;
let base: string;

beforeAll(async () => {
  demo = await startDemoApp();
  ({ database, browser, base } = demo);
});
afterAll(() => demo?.close());

const loginAs = (page: Page, username: string) => loginAsDemo(page, base, username);
const one = async <T>(q: ReturnType<typeof sql>) => rowsOf<T>(await database.db.execute(q))[0]!;

describe('every pathway page, as the demo shows it, is accessible', () => {
  it('caseworker: worklist, a case in follow-up (every tab), an assessment, a service, a shared plan, community offers', async () => {
    const page = await newPage(browser);
    const seen = watch(page);
    await loginAs(page, 'sagsbehandler');
    await page.goto(`${base}/opfoelgning`);
    await page.getByRole('heading', { name: 'Opfølgning', level: 1 }).waitFor();
    await page.getByRole('table').waitFor();
    await expectAccessible(page, 'worklist');

    const c = await one<{ id: string; assessment: string; service: string; plan: string }>(sql`
      select k.id, a.id as assessment, s.id as service, p.id as plan
        from cases k
        join users u on u.id = k.caseworker_id and u.username = 'sagsbehandler'
        join assessments a on a.case_id = k.id and a.status = 'completed'
        join services s on s.case_id = k.id and s.status = 'active'
        join action_plans p on p.case_id = k.id and p.status = 'shared'
       where k.phase = 'follow_up' and exists (select 1 from follow_ups f where f.service_id = s.id)
       order by k.case_number limit 1`);
    await page.goto(`${base}/sager/${c.id}`);
    await page.getByRole('heading', { name: /^Sag / }).waitFor();
    await expectAccessible(page, 'case: goals');
    for (const tab of ['Udredning', 'Ydelser', 'Handleplan (§ 141)']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForLoadState('networkidle');
      await expectAccessible(page, `case: ${tab}`);
    }
    // The plan tab reads the plan in force, not only its versions.
    await page.getByRole('heading', { name: /Den gældende plan/ }).waitFor();
    await page.goto(`${base}/udredninger/${c.assessment}`);
    await page.getByText(/Udredningen kan ikke ændres/).waitFor();
    await expectAccessible(page, 'completed assessment');
    await page.goto(`${base}/ydelser/${c.service}`);
    await page.getByRole('heading', { name: 'Opfølgninger' }).waitFor();
    await expectAccessible(page, 'service with follow-ups');
    await page.goto(`${base}/handleplaner/${c.plan}`);
    await page.getByRole('heading', { name: 'Handleplan efter servicelovens § 141' }).waitFor();
    await expectAccessible(page, 'plan print page');
    // Issue 15, item 1: the shared plan says so once, lists its goals and services, and its table has headers.
    const planText = await page.evaluate(() => document.body.innerText);
    expect(planText).not.toMatch(/Delt · Delt/);
    await page.getByRole('columnheader', { name: 'Gør hvad' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Ydelser' }).count()).toBeGreaterThan(0);
    await page.goto(`${base}/faellesskaber`);
    await page.getByRole('heading', { name: 'Fællesskaber og civilsamfund' }).waitFor();
    await page.getByRole('table').waitFor();
    await expectAccessible(page, 'community offers');
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });

  it('caseworker: the unit inbox and a thread, a citizen’s consents and relatives, proposals on the case', async () => {
    const page = await newPage(browser);
    const seen = watch(page);
    await loginAs(page, 'sagsbehandler');
    await page.goto(`${base}/beskeder`);
    await page.getByRole('heading', { name: 'Beskeder fra borgere' }).waitFor();
    await page.getByRole('table').waitFor();
    await expectAccessible(page, 'inbox');
    await page.getByRole('link', { name: 'Mødet i næste uge' }).click();
    await page.getByRole('heading', { name: 'Mødet i næste uge' }).waitFor();
    await page.getByLabel('Svar', { exact: true }).fill('Vi ses torsdag kl. 13.30.');
    await page.getByRole('button', { name: 'Send svar' }).click();
    await page.getByText(/Sendt\. Borgeren/).waitFor();
    await expectAccessible(page, 'inbox thread');
    const line = await one<{ id: string; case: string }>(sql`
      select c.id, (select k.id from cases k where k.citizen_id = c.id and k.phase <> 'closed'
                     order by k.opened_on desc limit 1) as case
        from citizens c where c.cpr = '1207829012'`);
    await page.goto(`${base}/borgere/${line.id}`);
    await page.getByRole('heading', { name: /Pårørende og fuldmagter/ }).waitFor();
    await page.getByText('Hanne Kjær Madsen (min mor)').waitFor();
    await page.getByText('Jobcenter Demo Kommune').first().waitFor();
    await expectAccessible(page, 'citizen page with consents and relatives');
    await page.getByRole('button', { name: 'Registrér en digital fuldmagt' }).click();
    await page.getByRole('dialog').getByLabel('Navn').waitFor();
    await expectAccessible(page, 'record a power of attorney');
    await page.keyboard.press('Escape');
    await page.goto(`${base}/sager/${line.case}`);
    await page.getByText(/Borgerens forslag til mål/).waitFor();
    await page.getByText(/begynde at svømme igen/).waitFor();
    await expectAccessible(page, 'case with proposals');
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });

  it('manager: the audit log reads as sentences, names the citizen and filters by citizen and person', async () => {
    const page = await newPage(browser);
    const seen = watch(page);
    await loginAs(page, 'leder');
    const line = await one<{ id: string }>(sql`select id from citizens where cpr = '1207829012'`);
    await page.goto(`${base}/borgere/${line.id}`);
    await page.getByRole('heading', { name: 'Line Kjær Madsen' }).waitFor();
    await page.goto(`${base}/logning`);
    await page.getByRole('heading', { name: 'Log over opslag og ændringer' }).waitFor();
    await page.getByLabel('Borger (navn eller CPR-nummer)').fill('Line Kjær Madsen');
    await page.getByRole('button', { name: 'Søg' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Så borgerens stamoplysninger' }).first();
    await row.getByRole('cell', { name: 'Line Kjær Madsen' }).waitFor();
    await row.getByRole('cell', { name: 'Lars Mikkelsen (Leder)' }).waitFor();
    // Only Line's events, and the "#" column is gone: the table reads by time.
    const subjects = await page.locator('tbody tr td:nth-child(4) p:first-child').allInnerTexts();
    expect(new Set(subjects)).toEqual(new Set(['Line Kjær Madsen']));
    expect(await page.getByRole('columnheader', { name: '#' }).count()).toBe(0);
    await expectAccessible(page, 'audit log by citizen');
    await page.getByRole('textbox', { name: 'Medarbejder' }).click();
    await page.getByRole('option', { name: 'Lars Mikkelsen' }).click();
    await page.getByRole('textbox', { name: 'Rækkefølge' }).click();
    await page.getByRole('option', { name: 'Ældste først' }).click();
    await page.getByRole('button', { name: 'Søg' }).click();
    await page.getByRole('status').filter({ hasText: /vist/ }).waitFor();
    const times = await page.locator('tbody tr td:first-child').allInnerTexts();
    expect(times.length).toBeGreaterThan(0);
    const actors = await page.locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(new Set(actors)).toEqual(new Set(['Lars Mikkelsen (Leder)']));
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });

  it('provider staff see their unit’s worklist; the administrator manages the catalogue', async () => {
    const page = await newPage(browser);
    const seen = watch(page);
    await loginAs(page, 'udfoerer');
    // Provider staff land on their unit's follow-ups (issue 15, item 13), not on an empty citizen list.
    await page.getByRole('heading', { name: 'Opfølgning', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/opfoelgning');
    await page
      .getByText(/overskredet/)
      .first()
      .waitFor();
    await expectAccessible(page, 'provider worklist');
    await page.getByRole('button', { name: 'Log ud' }).click();
    await loginAs(page, 'admin');
    await page.goto(`${base}/admin/katalog`);
    await page.getByRole('heading', { name: 'Kommunens katalog' }).waitFor();
    await page.getByRole('switch', { name: /ORS/ }).waitFor();
    await expectAccessible(page, 'catalogue');
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });
});

describe('every page fits a 390 px phone (issue 15, item 16)', () => {
  it('walks each role’s pages at phone width: no sideways scroll, no raw translation key', async () => {
    const ids = await one<Record<string, string>>(sql`
      select c.id as citizen, k.id as case, a.id as assessment, s.id as service, p.id as plan,
             (select t.id from message_threads t join org_units u on u.id = t.unit_id
               where t.citizen_id = c.id and u.kind = 'myndighed' limit 1) as thread,
             (select r.id from survey_rounds r where r.status = 'closed' order by r.opens_on desc limit 1) as closed,
             (select r.id from survey_rounds r where r.status = 'open' limit 1) as open,
             (select q.id from survey_questionnaires q order by q.created_at limit 1) as questionnaire
        from citizens c
        join cases k on k.citizen_id = c.id
        join assessments a on a.case_id = k.id
        join services s on s.case_id = k.id
        join action_plans p on p.case_id = k.id and p.status = 'shared'
       where c.cpr = '1207829012' limit 1`);
    const walk: Record<string, string[]> = {
      sagsbehandler: [
        '/opfoelgning',
        '/borgere',
        `/borgere/${ids.citizen}`,
        `/borgere/${ids.citizen}/forloeb`,
        `/sager/${ids.case}`,
        `/udredninger/${ids.assessment}`,
        `/ydelser/${ids.service}`,
        `/handleplaner/${ids.plan}`,
        '/beskeder',
        `/beskeder/${ids.thread}`,
        '/faellesskaber',
      ],
      udfoerer: ['/opfoelgning', '/borgere', `/ydelser/${ids.service}`],
      leder: [
        '/noegletal',
        '/noegletal/trappe',
        '/noegletal/citizens',
        '/logning',
        '/selvevaluering',
        `/selvevaluering/runder/${ids.closed}/rapport`,
      ],
      admin: ['/admin/brugere', '/admin/enheder', '/admin/katalog', '/noegletal/grupper', '/udbakke'],
      skemaadmin: [
        '/selvevaluering',
        `/selvevaluering/runder/${ids.open}`,
        `/selvevaluering/skemaer/${ids.questionnaire}`,
      ],
      jobcenter: ['/partner', `/partner/${ids.citizen}`],
    };
    const wide: string[] = [];
    for (const [user, paths] of Object.entries(walk)) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      await page.goto(base);
      await page.getByRole('heading', { name: 'Log ind i Retning' }).waitFor();
      const loginOver = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (loginOver > 0) wide.push(`login page: ${loginOver} px too wide`);
      await loginAs(page, user);
      for (const path of paths) {
        await page.goto(`${base}${path}`);
        await page.waitForLoadState('networkidle');
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (over > 0) wide.push(`${user} ${path}: ${over} px too wide`);
        const text = (await page.evaluate(() => document.body.textContent)) ?? '';
        expect(RAW_KEY.exec(text)?.[0] ?? null, `a raw translation key on ${path}`).toBeNull();
      }
      await context.close();
    }
    expect(wide).toEqual([]);
  }, 600_000);
});
