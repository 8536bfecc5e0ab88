import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZENS } from '../../src/server/db/seed/demo-logins';
import { rowsOf } from '../../src/server/platform/tenancy';
import { expectAccessible, newPage, watch } from './browser';
import { type DemoApp, loginAs, startDemoApp } from './demo-app';

/**
 * Issue 14, item 12 (the part built so far): a citizen at phone size logs in through the MitID test broker
 * (a real OpenID Connect provider), reads the plan and writes their hopes. Axe on every portal page.
 */
let demo: DemoApp;
beforeAll(async () => {
  demo = await startDemoApp({ portal: true });
});
afterAll(() => demo?.close());

const line = DEMO_CITIZENS[0];

async function phone(): Promise<Page> {
  const ctx = await demo.browser.newContext({
    viewport: { width: 390, height: 844 },
    reducedMotion: 'reduce',
  });
  return ctx.newPage();
}

async function logInAs(page: Page, name: string) {
  await page.goto(`${demo.base}/portal`);
  await page.getByRole('heading', { name: 'Log ind på Min Retning' }).waitFor();
  await page.getByRole('link', { name: 'Log ind med MitID' }).click();
  await page.getByRole('heading', { name: 'Log ind med MitID (test)' }).waitFor();
  await page.getByRole('button', { name: new RegExp(name) }).click();
}

const fitsTheScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= 390);

describe('the citizen’s own Retning at phone size', () => {
  it('logs in with MitID, reads the plan, writes hopes in their own words', async () => {
    const page = await phone();
    const seen = watch(page);
    await page.goto(`${demo.base}/portal`);
    await page.getByRole('heading', { name: 'Log ind på Min Retning' }).waitFor();
    await expectAccessible(page, 'portal login');
    expect(await fitsTheScreen(page)).toBe(true);

    await logInAs(page, `${line.firstName} ${line.lastName}`);
    await page.getByRole('heading', { name: 'Min plan', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Mine mål' }).first().waitFor();
    await expect(page.getByText('Med dine ord').first().isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'Min plan');
    expect(await fitsTheScreen(page)).toBe(true);

    await page.getByRole('link', { name: 'Mine ord' }).click();
    await page.getByRole('heading', { name: 'Mine ord', level: 1 }).waitFor();
    const hopes = page.getByRole('form', { name: 'Mine håb, ønsker og drømme' });
    const words = 'Jeg vil gerne male igen og have en udstilling på biblioteket.';
    await hopes.getByRole('textbox').fill(words);
    await hopes.getByRole('button', { name: 'Gem' }).click();
    await hopes.getByText('Gemt. Din sagsbehandler kan nu læse det, du skrev.').waitFor();
    await expect(hopes.getByText('Skrevet af dig').isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'Mine ord');
    expect(await fitsTheScreen(page)).toBe(true);
    const [saved] = rowsOf<{ body: string; written_by: string; author_user_id: string | null }>(
      await demo.database.db.execute(sql`select n.body, n.written_by, n.author_user_id from citizen_narratives n
        join citizens c on c.id = n.citizen_id where c.cpr = ${line.cpr} and n.kind = 'hopes'
        order by n.version desc limit 1`),
    );
    expect(saved).toEqual({ body: words, written_by: 'citizen', author_user_id: null });

    // Before the follow-up: what I want to talk about, my own level for a goal, WHO-5 on my own device.
    await page.getByRole('link', { name: 'Før opfølgningen' }).click();
    await page.getByRole('heading', { name: 'Før opfølgningen', level: 1 }).waitFor();
    const prepare = page.getByRole('form', { name: 'Det vil jeg gerne tale om' });
    await prepare.getByRole('textbox').fill('Jeg vil gerne tale om at komme ud at male.');
    await prepare.getByRole('radio').nth(2).check();
    await prepare.getByRole('button', { name: 'Gem' }).click();
    await prepare.getByText('Gemt. Din kontaktperson ser det ved opfølgningen.').waitFor();
    const who5 = page.getByRole('form', { name: /WHO-5/ });
    const questions = who5.getByRole('combobox');
    for (let i = 0; i < (await questions.count()); i++) await questions.nth(i).selectOption({ index: 4 });
    await who5.getByRole('button', { name: 'Send besvarelsen' }).click();
    await who5.getByText(/Tak\. Din score er/).waitFor();
    await expectAccessible(page, 'Før opfølgningen');
    expect(await fitsTheScreen(page)).toBe(true);
    await page.getByRole('link', { name: 'Sådan går det' }).click();
    await page.getByRole('heading', { name: 'Sådan går det', level: 1 }).waitFor();
    await page.getByText('udfyldt af dig').first().waitFor();
    await expectAccessible(page, 'Sådan går det');
    expect(await fitsTheScreen(page)).toBe(true);

    // English is one switch away.
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'How it is going', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to My Retning' }).waitFor();
    expect(seen.consoleErrors).toEqual([]);
  });

  it('gives the jobcenter consent to goals about work, the consultant sees them, the citizen withdraws and sees the lookups in Min log', async () => {
    const jonas = DEMO_CITIZENS[1];
    const page = await phone();
    const seen = watch(page);
    await logInAs(page, `${jonas.firstName} ${jonas.lastName}`);
    await page.getByRole('heading', { name: 'Min plan', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Samtykke' }).click();
    await page.getByRole('heading', { name: 'Samtykke', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Giv et nyt samtykke' });
    await form.getByLabel('Hvem må se det').selectOption({ label: 'Jobcenter Demo Kommune' });
    await expect(form.getByLabel('Mine mål', { exact: true }).isChecked()).resolves.toBe(true);
    await form.getByLabel('Samfundsliv', { exact: true }).check();
    await form.getByLabel(/Hvorfor/).fill('Afklaring af job med støtte');
    await form.getByRole('button', { name: 'Giv samtykke' }).click();
    await page.getByText('Samtykket er givet. Jobcenter Demo Kommune kan se det fra nu af.').waitFor();
    await expectAccessible(page, 'Samtykke');
    expect(await fitsTheScreen(page)).toBe(true);

    // The jobcenter consultant sees Jonas, with the consent it relies on.
    const consultant = await newPage(demo.browser);
    await loginAs(consultant, demo.base, 'jobcenter');
    await consultant.getByRole('heading', { name: 'Borgere med samtykke' }).waitFor();
    await consultant.getByRole('link', { name: `${jonas.firstName} ${jonas.lastName}` }).click();
    await consultant.getByRole('heading', { name: `${jonas.firstName} ${jonas.lastName}` }).waitFor();
    await consultant.getByText(/Samtykke: Afklaring af job med støtte/).waitFor();
    await expectAccessible(consultant, 'partner view');

    // Jonas withdraws; the consultant's next request is refused.
    await page.getByRole('button', { name: 'Træk tilbage: Jobcenter Demo Kommune' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Træk tilbage' }).click();
    await page.getByText('Samtykket er trukket tilbage.').waitFor();
    await consultant.reload();
    await consultant
      .getByText('Borgeren findes ikke, eller samtykket er trukket tilbage eller udløbet.')
      .waitFor();

    // Min log shows the consultant's lookups and the consent they relied on.
    await page.getByRole('link', { name: 'Min log' }).click();
    await page.getByRole('heading', { name: 'Min log', level: 1 }).waitFor();
    await page.getByText('Med dit samtykke: Afklaring af job med støtte').first().waitFor();
    await expect(
      page
        .getByText(/Samarbejdspartner/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await expectAccessible(page, 'Min log');
    expect(await fitsTheScreen(page)).toBe(true);
    // "Det her forstår jeg ikke": a question to the municipality about one lookup.
    await page.getByRole('button', { name: 'Det her forstår jeg ikke' }).first().click();
    await page.getByLabel(/Hvad forstår du ikke/).fill('Hvad er et ressourceforløb?');
    await page.getByRole('button', { name: 'Send spørgsmålet' }).click();
    await page.getByText('Du har spurgt kommunen om dette opslag. Du får svar her.').waitFor();
    await expectAccessible(page, 'Min log with a question');

    // Mine data: everything Retning holds, as a PDF made on the server.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Hent som PDF (til at læse)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('mine-data-retning.pdf');
    expect(seen.consoleErrors).toEqual([]);
  });

  it('refuses a login below the required assurance level and says why', async () => {
    const page = await phone();
    await logInAs(page, 'Testperson med lavt sikringsniveau');
    await page.getByText('Du blev ikke logget ind').waitFor();
    await expect(page.getByText(/sikringsniveau, der kræves/).isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'portal login refused');
  });
});
