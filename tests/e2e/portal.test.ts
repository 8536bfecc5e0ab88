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

/** The portal's pages are a menu at phone size: open it when it is there, then follow the link. */
async function navTo(page: Page, name: string) {
  const menu = page.getByRole('button', { name: /^(Menu)$/ });
  if (await menu.isVisible()) {
    await menu.click();
    await page.getByRole('dialog').getByRole('link', { name, exact: true }).click();
  } else await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
}

const fitsTheScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= 390);

describe('a first visit to the portal', () => {
  it('logs nothing in the browser console: no 401 from asking for a session that does not exist', async () => {
    const page = await newPage(demo.browser);
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${demo.base}/portal`);
    await page.getByRole('link', { name: 'Log ind med MitID' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    await page.close();
  });
});

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

    await navTo(page, 'Mine ord');
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
    await navTo(page, 'Før opfølgningen');
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
    await navTo(page, 'Sådan går det');
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
    await navTo(page, 'Samtykke');
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
    await navTo(page, 'Min log');
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

  it('a mother acts for her daughter with her own MitID: writes to the provider, proposes a goal; the caseworker answers in the inbox and takes the goal in', async () => {
    const page = await phone();
    const seen = watch(page);
    await logInAs(page, 'Hanne Kjær Madsen');
    await page.getByRole('heading', { name: 'Min plan', level: 1 }).waitFor();
    await page.getByText(/Du er logget ind som Hanne Kjær Madsen og handler for Line Kjær Madsen/).waitFor();
    // What only Line may do is not offered to her mother.
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(page.getByRole('dialog').getByRole('link', { name: 'Samtykke' }).count()).resolves.toBe(0);
    await page.getByRole('dialog').getByRole('link', { name: 'Beskeder' }).click();
    await page.getByRole('heading', { name: 'Beskeder', level: 1 }).waitFor();
    await expectAccessible(page, 'Beskeder');
    expect(await fitsTheScreen(page)).toBe(true);
    await page.getByRole('button', { name: 'Skriv en besked' }).click();
    await page.getByLabel('Emne').fill('Lægetid torsdag');
    await page
      .getByLabel('Besked', { exact: true })
      .fill('Line skal til lægen torsdag kl. 10. Kan mødet flyttes?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('heading', { name: 'Lægetid torsdag' }).waitFor();
    await page.getByText('Sendt. Du får en e-mail, når der er svar.').waitFor();
    await page.getByText('Hanne Kjær Madsen (pårørende)').first().waitFor();
    await expectAccessible(page, 'a thread');
    expect(await fitsTheScreen(page)).toBe(true);

    await navTo(page, 'Mine mål');
    await page.getByRole('heading', { name: 'Mine mål', level: 1 }).waitFor();
    await page.getByLabel('Hvad vil du gerne?').fill('Line vil gerne cykle til arbejde om sommeren');
    await page.getByRole('button', { name: 'Send forslaget' }).click();
    await page.getByText(/Sendt. Din sagsbehandler har fået dit forslag/).waitFor();
    await expectAccessible(page, 'Mine mål');
    expect(await fitsTheScreen(page)).toBe(true);
    await navTo(page, 'Pårørende');
    await page.getByRole('heading', { name: 'Pårørende', level: 1 }).waitFor();
    await page.getByText('Hanne Kjær Madsen (min mor)').waitFor();
    await expectAccessible(page, 'Pårørende');
    expect(seen.consoleErrors).toEqual([]);

    // The caseworker: the message in the unit inbox, the proposal on the worklist.
    const cw = await newPage(demo.browser);
    await loginAs(cw, demo.base, 'sagsbehandler');
    await cw.getByRole('link', { name: 'Beskeder' }).first().click();
    await cw.getByRole('heading', { name: 'Beskeder fra borgere' }).waitFor();
    await expectAccessible(cw, 'inbox');
    await cw.goto(`${demo.base}/opfoelgning`);
    await cw.getByText('Mine enheder').click();
    const card = cw.locator('.mantine-Card-root', {
      hasText: 'Line vil gerne cykle til arbejde om sommeren',
    });
    await card.waitFor();
    await card.getByRole('button', { name: 'Tag med som borgerens mål' }).click();
    await card.getByRole('button', { name: 'Tag med', exact: true }).click();
    await cw.getByText(/Målet står nu i borgerens plan med borgerens ord/).waitFor();
    await expectAccessible(cw, 'worklist with proposals');

    // Back in Min Retning: the proposal is part of the plan.
    await navTo(page, 'Mine mål');
    await page.getByText('Taget med i din plan').first().waitFor();
    await page
      .getByText('Det er nu et af dine mål: "Line vil gerne cykle til arbejde om sommeren"')
      .waitFor();
  });

  it('refuses a login below the required assurance level and says why', async () => {
    const page = await phone();
    await logInAs(page, 'Testperson med lavt sikringsniveau');
    await page.getByText('Du blev ikke logget ind').waitFor();
    await expect(page.getByText(/sikringsniveau, der kræves/).isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'portal login refused');
  });
});
