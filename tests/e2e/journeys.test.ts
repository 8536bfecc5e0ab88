import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db/client';
import { DEMO_PASSWORD } from '../../src/server/db/seed/demo-logins';
import { CPR_PATTERN } from '../../src/server/platform/http';
import { rowsOf } from '../../src/server/platform/tenancy';
import { expectAccessible, newPage, storageDump, watch } from './browser';
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

async function aCitizenOf(username: string): Promise<{ id: string; cpr: string; name: string }> {
  const [row] = rowsOf<{ id: string; cpr: string; first_name: string; last_name: string }>(
    await database.db.execute(sql`select c.id, c.cpr, c.first_name, c.last_name from citizens c
      join users u on u.id = c.responsible_caseworker_id where u.username = ${username} order by c.last_name, c.first_name limit 1`),
  );
  return { id: row!.id, cpr: row!.cpr, name: `${row!.first_name} ${row!.last_name}` };
}

describe('caseworker journey', () => {
  it('logs in with the keyboard, searches by CPR, writes hopes in the citizen’s words, all accessibly', async () => {
    const page = await newPage(browser);
    const seen = watch(page);
    await page.goto(base);
    await page.getByRole('heading', { name: 'Demo-logins' }).waitFor();
    await expectAccessible(page, 'login');
    // Keyboard only: Tab into the form, type, Enter.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.getByLabel('Brugernavn').focus();
    await page.keyboard.type('sagsbehandler');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Borgere' }).waitFor();
    await page.getByRole('table').waitFor();
    await expectAccessible(page, 'citizen list');

    const target = await aCitizenOf('sagsbehandler');
    await page.getByLabel('CPR-nummer').fill(`${target.cpr.slice(0, 6)}-${target.cpr.slice(6)}`);
    await page.getByLabel('Kun mine borgere').uncheck();
    await page.getByRole('button', { name: 'Søg' }).click();
    await page.getByRole('link', { name: target.name }).click();
    await page.getByRole('heading', { name: target.name }).waitFor();
    await expectAccessible(page, 'citizen page');

    const hopes = page.getByRole('region', { name: 'Håb, ønsker og drømme' });
    await hopes.getByRole('button', { name: /Ret/ }).click();
    await hopes.getByLabel('Håb, ønsker og drømme').fill('Jeg vil gerne have min egen lejlighed og en kat.');
    await hopes.getByLabel('Skrevet af borgeren').check();
    await hopes.getByRole('button', { name: 'Gem' }).click();
    await hopes.getByText('Jeg vil gerne have min egen lejlighed og en kat.').waitFor();
    await expect.poll(() => hopes.getByText(/version 2/).count()).toBe(1);
    await hopes.getByRole('button', { name: 'Tidligere versioner' }).click();
    await page
      .getByRole('dialog')
      .getByText(/version 1/)
      .waitFor();
    await expectAccessible(page, 'history dialog', '[role="dialog"]');
    await page.keyboard.press('Escape');

    // The CPR never travelled in a URL and never landed in browser storage.
    for (const url of seen.urls) expect(url).not.toMatch(CPR_PATTERN);
    expect(await storageDump(page)).not.toMatch(CPR_PATTERN);
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows both versions on a conflicting save and loses nothing', async () => {
    const target = await aCitizenOf('sagsbehandler2');
    const ctxA = await browser.newContext({ reducedMotion: 'reduce' });
    const ctxB = await browser.newContext({ reducedMotion: 'reduce' });
    const a = await ctxA.newPage();
    const b = await ctxB.newPage();
    await loginAs(a, 'sagsbehandler');
    await loginAs(b, 'sagsbehandler2');
    for (const p of [a, b]) {
      await p.goto(`${base}/borgere/${target.id}`);
      await p.getByRole('region', { name: 'Ressourcer' }).getByRole('button', { name: /Ret/ }).click();
    }
    const ra = a.getByRole('region', { name: 'Ressourcer' });
    await ra.getByLabel('Ressourcer').fill('Version fra Mette');
    await ra.getByRole('button', { name: 'Gem' }).click();
    await ra.getByText('Version fra Mette').waitFor();

    const rb = b.getByRole('region', { name: 'Ressourcer' });
    await rb.getByLabel('Ressourcer').fill('Version fra Jonas');
    await rb.getByRole('button', { name: 'Gem' }).click();
    const dialog = b.getByRole('dialog', { name: 'Nogen har gemt i mellemtiden' });
    await dialog.waitFor();
    await expect
      .poll(() => dialog.getByTestId('conflict-mine').getByText('Version fra Jonas').count())
      .toBe(1);
    await expect
      .poll(() => dialog.getByTestId('conflict-theirs').getByText('Version fra Mette').count())
      .toBe(1);
    await expectAccessible(b, 'conflict dialog', '[role="dialog"]');
    await dialog.getByRole('button', { name: 'Gem min version oven på den nye' }).click();
    await rb.getByText('Version fra Jonas').waitFor();
    const history = await (
      await b.request.get(`${base}/api/citizens/${target.id}/narratives/resources/history`)
    ).json();
    const bodies = history.items.map((v: { body: string }) => v.body);
    expect(bodies.slice(0, 2)).toEqual(['Version fra Jonas', 'Version fra Mette']);
    await ctxA.close();
    await ctxB.close();
  });

  it('switches the whole interface to English', async () => {
    const page = await newPage(browser);
    await loginAs(page, 'leder');
    // A manager lands on the units' follow-ups (issue 15, item 13).
    await page.getByRole('heading', { name: 'Opfølgning', level: 1 }).waitFor();
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Follow-up', level: 1 }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Log out' }).count()).toBe(1);
    await page.getByText('DA', { exact: true }).click();
    await page.getByRole('heading', { name: 'Opfølgning', level: 1 }).waitFor();
    await page.close();
  });
});

describe('a first visit', () => {
  it('logs nothing in the browser console: no 401 from asking for a session that does not exist', async () => {
    const page = await newPage(browser);
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    await page.getByRole('heading', { name: 'Log ind i Retning' }).waitFor();
    await page.waitForLoadState('networkidle');
    // The portal's first visit is checked in portal.test.ts, where the MitID broker runs.
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('analyst', () => {
  it('lands on the key figures, reaches the self-assessment results, with no way to citizens', async () => {
    const page = await newPage(browser);
    await loginAs(page, 'analytiker');
    await page.getByRole('heading', { name: 'Nøgletal', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Borgere', exact: true }).count()).toBe(0);
    await expectAccessible(page, 'analyst home');
    await page.getByRole('link', { name: 'Selvevaluering' }).click();
    await page.getByRole('heading', { name: 'Selvevaluering af socialpsykiatrien' }).waitFor();
    await page.getByRole('cell', { name: /Kortlægning 2023/ }).waitFor();
    await page.close();
  });
});

describe('on a phone', () => {
  it('fits a 390 px screen: the menu opens from the burger by keyboard, pages stay accessible', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await loginAs(page, 'leder');
    await page.getByRole('heading', { name: 'Opfølgning', level: 1 }).waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await page.goto(`${base}/borgere`);
    await page.getByRole('heading', { name: 'Borgere' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'citizen list on a phone');
    await page.getByRole('button', { name: 'Hovedmenu' }).focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('navigation', { name: 'Hovedmenu' })
      .getByRole('link', { name: 'Log over opslag' })
      .click();
    await page.getByRole('heading', { name: 'Log over opslag og ændringer' }).waitFor();
    await expectAccessible(page, 'audit log on a phone');
    await context.close();
  });
});

describe('administrator journey', () => {
  it('manages users, units and roles, and verifies the audit chain, accessibly', async () => {
    const page = await newPage(browser);
    const seen = watch(page);
    await loginAs(page, 'admin');
    await page.getByRole('heading', { name: 'Brugere og roller' }).waitFor();
    await page.getByRole('table').getByText('Mette Lund').waitFor();
    await expectAccessible(page, 'users');

    await page.getByRole('button', { name: 'Opret bruger' }).click();
    const dialog = page.getByRole('dialog', { name: 'Opret bruger' });
    await dialog.getByLabel('Brugernavn').fill('ny.kollega');
    await dialog.getByRole('textbox', { name: /^Navn/ }).fill('Ny Kollega');
    await dialog.getByLabel('Adgangskode').fill('kort');
    await dialog.getByRole('button', { name: 'Opret' }).click();
    await dialog.getByText('Adgangskoden skal være mindst 12 tegn').waitFor();
    await dialog.getByLabel('Adgangskode').fill('en-lang-og-god-adgangskode');
    await dialog.getByRole('button', { name: 'Opret' }).click();
    await page.getByRole('table').getByText('Ny Kollega').waitFor();

    await page.getByRole('button', { name: 'Ret: Ny Kollega' }).click();
    const edit = page.getByRole('dialog', { name: 'Ny Kollega' });
    await edit.getByRole('textbox', { name: 'Rolle' }).click();
    await page.getByRole('option', { name: 'Udfører' }).click();
    await edit.getByRole('textbox', { name: 'Enhed' }).click();
    await page.getByRole('option', { name: 'Bostøtte Nord' }).click();
    await edit.getByRole('button', { name: 'Tildel rolle' }).click();
    await edit.getByText('Udfører · Bostøtte Nord').waitFor();
    await expectAccessible(page, 'user dialog', '[role="dialog"]');
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Enheder' }).click();
    await page.getByRole('heading', { name: 'Enheder' }).waitFor();
    await page.getByRole('cell', { name: 'Team Nord', exact: true }).waitFor();
    await expectAccessible(page, 'units');

    await page.getByRole('link', { name: 'Log over opslag' }).click();
    await page.getByRole('heading', { name: 'Log over opslag og ændringer' }).waitFor();
    await page.getByRole('button', { name: 'Efterprøv loggens hashkæde' }).click();
    await page.getByText(/Loggen er hel/).waitFor();
    await expectAccessible(page, 'audit');
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });
});
