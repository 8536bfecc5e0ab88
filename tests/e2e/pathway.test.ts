import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db/client';
import { rowsOf } from '../../src/server/platform/tenancy';
import { expectAccessible, newPage, watch } from './browser';
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

/** Picks an option in a Mantine select by its label (typing first when the list is long). */
async function choose(page: Page, label: string | RegExp, option: string | RegExp, type?: string) {
  const input = page.getByRole('textbox', { name: label }).or(page.getByLabel(label)).first();
  await input.click();
  if (type) await input.fill(type);
  await page.getByRole('option', { name: option }).first().click();
}

describe('the citizen’s pathway, end to end', () => {
  it('open a case → assess → the citizen’s goals → plan → grant a service → provider delmål → follow-up with GAS → chart and timeline', async () => {
    const [citizen] = rowsOf<{ id: string; name: string }>(
      await database.db.execute(sql`select c.id, c.first_name || ' ' || c.last_name as name from citizens c
        join users u on u.id = c.responsible_caseworker_id where u.username = 'sagsbehandler'
        order by c.last_name desc, c.first_name desc limit 1`),
    );
    const page = await newPage(browser);
    page.on('dialog', (d) => void d.accept());
    const seen = watch(page);
    await loginAs(page, 'sagsbehandler');

    // 1. Open a case from the citizen.
    await page.goto(`${base}/borgere/${citizen!.id}`);
    await page.getByRole('heading', { name: 'Sager og forløb' }).waitFor();
    await page.getByRole('button', { name: 'Opret sag' }).click();
    await page
      .getByLabel('Årsag til sagsåbning')
      .fill('Borgeren henvender sig selv og ønsker støtte til at komme ud.');
    await page.getByRole('dialog').getByRole('button', { name: 'Opret', exact: true }).click();
    await page.getByRole('heading', { name: /^Sag \d{4}-\d{5}/ }).waitFor();
    const caseUrl = page.url();
    await expectAccessible(page, 'case page');

    // 2. Assess: a functioning level on an Aktivitet og deltagelse subtheme, the citizen's own account.
    await page.getByRole('tab', { name: 'Udredning' }).click();
    await page.getByRole('button', { name: 'Start udredning' }).click();
    await page.getByRole('heading', { name: /^Udredning · sag/ }).waitFor();
    await choose(page, 'Støttebehov', /Moderat støttebehov/);
    await page.getByRole('button', { name: 'Mobilitet' }).click();
    await page.getByLabel('Vurdér Færdes med transportmidler').check();
    await choose(page, 'Funktionsevneniveau: Færdes med transportmidler', /^2 · /);
    await page.getByLabel('Borgerens egne ord').first().fill('Jeg bliver bange, når bussen er fyldt.');
    await expectAccessible(page, 'assessment');
    await page.getByRole('button', { name: 'Afslut udredningen' }).click();
    await page.getByText(/Udredningen kan ikke ændres/).waitFor();

    // 3. Goals: the citizen's own words first, then an indsatsmål that builds on them.
    await page.goto(caseUrl);
    await page.getByRole('button', { name: 'Tilføj borgerens mål og ønsker' }).click();
    await page.getByLabel('Målet med borgerens egne ord').fill('Jeg vil kunne tage bussen til min søster');
    await page.getByRole('dialog').getByRole('button', { name: 'Gem' }).click();
    await page
      .getByRole('article', { name: 'Borgerens mål og ønsker: Jeg vil kunne tage bussen til min søster' })
      .waitFor();
    await page.getByRole('button', { name: 'Tilføj indsatsmål' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Målet/ }).fill('Borgeren tager bussen alene på kendte ruter');
    await choose(page, 'Hvilket af borgerens mål bygger det på?', 'Jeg vil kunne tage bussen til min søster');
    await choose(page, 'Primært undertema (Aktivitet og deltagelse)', 'Færdes med transportmidler', 'Færdes');
    await choose(page, 'Forventet funktionsevneniveau', /^1 · /);
    await choose(page, 'Måltype', 'Udvikle funktionsevne');
    // The GAS scale, written with the citizen: what −1, 0 and +1 look like for this goal.
    await dialog.getByLabel('−1: mindre end forventet').fill('Tager bussen med følge');
    await dialog.getByLabel('0: det forventede resultat').fill('Tager bussen alene på én kendt rute');
    await dialog.getByLabel('+1: mere end forventet').fill('Tager bussen alene på flere ruter');
    await dialog.getByRole('button', { name: 'Gem' }).click();
    const goal = page.getByRole('article', {
      name: 'Indsatsmål: Borgeren tager bussen alene på kendte ruter',
    });
    await goal.getByText('Bygger på borgerens ord').waitFor();
    await expectAccessible(page, 'goals');

    // 4. The §141 plan: written, then shared (which locks the version).
    await page.getByRole('tab', { name: 'Handleplan (§ 141)' }).click();
    await page.getByRole('button', { name: 'Skriv handleplan' }).click();
    await page.getByLabel('Formålet med indsatsen').fill('At borgeren kan færdes selv og se sin familie');
    await page.getByRole('button', { name: 'Gem' }).click();
    await page.getByRole('button', { name: 'Del med borgeren' }).click();
    await page.getByText('Delt', { exact: true }).waitFor();

    // 5. Grant a service at the provider.
    await page.getByRole('tab', { name: 'Ydelser' }).click();
    await page.getByRole('button', { name: 'Indstil eller bevilg ydelse' }).click();
    await choose(page, 'Ydelse (FFB)', 'Støtte til transport', 'Støtte til transport');
    await choose(page, 'Leverandør (tilbud)', 'Bostøtte Nord');
    await choose(page, 'Primær målgruppe', 'Angst', 'Angst');
    await choose(page, 'Støttebehov', /Moderat/);
    await page.getByLabel(/^Start( \*)?$/).fill('2026-10-01');
    await page.getByLabel('Timer pr. uge').fill('3');
    await page.getByRole('dialog').getByRole('button', { name: 'Gem' }).click();
    await page.getByRole('heading', { name: /Støtte til transport · SEL §85/ }).waitFor();
    await page.getByRole('button', { name: 'Start ydelsen' }).click();
    await page.getByText('I gang').first().waitFor();
    const serviceUrl = page.url();
    await page.getByRole('button', { name: 'Log ud' }).click();

    // 6. The provider writes its plan and a delmål, then follows up with GAS.
    await loginAs(page, 'udfoerer');
    await page.goto(serviceUrl);
    await page.getByRole('heading', { name: 'Leverandørens indsatsplan' }).waitFor();
    await page
      .getByRole('region', { name: 'Leverandørens indsatsplan' })
      .getByRole('button', { name: 'Ret' })
      .click();
    await page.getByLabel('Sådan arbejder vi').fill('Vi øver busturen sammen hver tirsdag og bruger FIT.');
    await choose(page, 'Metoder', /Feedback Informed Treatment/);
    await page.getByRole('button', { name: 'Gem ny version af planen' }).click();
    await page.getByText('Vi øver busturen sammen hver tirsdag og bruger FIT.').waitFor();
    await page.getByRole('button', { name: 'Tilføj delmål' }).click();
    await page
      .getByRole('dialog')
      .getByRole('textbox', { name: /^Målet/ })
      .fill('Tage bus 12 sammen med bostøtten');
    await page.getByRole('dialog').getByLabel('−1: mindre end forventet').fill('Aflyser turen');
    await page
      .getByRole('dialog')
      .getByLabel('0: det forventede resultat')
      .fill('Tager bus 12 sammen hver uge');
    await page.getByRole('dialog').getByLabel('+1: mere end forventet').fill('Tager bus 12 alene én gang');
    await page.getByRole('dialog').getByRole('button', { name: 'Gem' }).click();
    await page.getByText(/Tage bus 12 sammen med bostøtten/).waitFor();
    await page.getByRole('button', { name: 'Registrér opfølgning' }).click();
    await choose(page, 'Resultat', 'Træf afgørelse om fortsættelse af indsats');
    const fieldset = page.getByRole('group', { name: /Indsatsmål: Borgeren tager bussen/ });
    await fieldset.getByLabel('Borgerens vurdering').click();
    await page.getByRole('option', { name: /^0 · Tager bussen alene på én kendt rute/ }).click();
    await fieldset.getByLabel('Medarbejderens vurdering').click();
    await page.getByRole('option', { name: /^\+1 · / }).click();
    await page.getByLabel('Notat', { exact: true }).fill('Første tur alene gik godt.');
    await expectAccessible(page, 'follow-up dialog', '[role="dialog"]');
    await page.getByRole('dialog').getByRole('button', { name: 'Gem' }).click();
    await page.getByRole('img', { name: /Målopfyldelse over tid/ }).waitFor();
    const row = page.getByRole('row', { name: /Træf afgørelse om fortsættelse af indsats/ });
    await expect.poll(() => row.textContent()).toMatch(/50.*60/);
    await expectAccessible(page, 'service page');
    await page.getByRole('button', { name: 'Log ud' }).click();

    // 7. Together with the citizen: the timeline shows the ladder, the GAS chart and everything dated.
    await loginAs(page, 'sagsbehandler');
    await page.goto(`${base}/borgere/${citizen!.id}/forloeb`);
    await page.getByRole('heading', { name: /Forløb for/ }).waitFor();
    await page.getByText(/Nu: trin 3/).waitFor();
    await page
      .getByRole('link', { name: /Opfølgning: Træf afgørelse om fortsættelse/ })
      .first()
      .waitFor();
    await page
      .getByRole('link', { name: /Nyt mål: Jeg vil kunne tage bussen til min søster/ })
      .first()
      .waitFor();
    await expectAccessible(page, 'timeline');
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });
});
