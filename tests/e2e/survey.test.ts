import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, danishDate } from '../../src/shared/domain/dates';
import { expectAccessible, newPage, watch } from './browser';
import { type DemoApp, loginAs as loginAsDemo, startDemoApp } from './demo-app';

let demo: DemoApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  demo = await startDemoApp();
  ({ browser, base } = demo);
});
afterAll(() => demo?.close());

/** Links in mails and pages name the configured public address; the test app listens elsewhere. */
const here = (url: string, path: string) => `${base}${path}#${url.split('#')[1]}`;

async function answer(
  page: Page,
  url: string,
  choice: string,
  opts: { draftFirst?: boolean; check?: () => Promise<void> } = {},
) {
  await page.goto(here(url, '/svar'));
  const question = page.getByRole('radiogroup', { name: /Den økonomiske ramme/ });
  await question.waitFor();
  await question.getByRole('radio', { name: choice, exact: true }).check();
  await opts.check?.();
  if (opts.draftFirst) {
    await page.getByRole('button', { name: 'Gem kladde' }).click();
    await page.getByText('Kladden er gemt').waitFor();
    await expectAccessible(page, 'respondent page with a saved draft');
    // Resume from the same link: the draft is there.
    await page.reload();
    await expect
      .poll(() =>
        page
          .getByRole('radiogroup', { name: /Den økonomiske ramme/ })
          .getByRole('radio', { name: choice, exact: true })
          .isChecked(),
      )
      .toBe(true);
  }
  await page.getByRole('button', { name: 'Send svar' }).click();
  await page.getByText('Tak for dine svar').waitFor();
}

describe('the self-assessment survey in the browser', () => {
  it('open a round → the director hands out links → five answer (one drafts first) → a reminder → the report', async () => {
    const admin = await newPage(browser);
    const seen = watch(admin);
    await loginAsDemo(admin, base, 'skemaadmin');
    await admin.goto(`${base}/selvevaluering`);
    await admin.getByRole('heading', { name: 'Selvevaluering af socialpsykiatrien' }).waitFor();
    await admin.getByRole('cell', { name: /Kortlægning 2020/ }).waitFor();
    await expectAccessible(admin, 'survey home');
    // The questionnaire editor (the 2020 questionnaire is locked: it was used by a round).
    await admin.getByRole('link', { name: 'Åbn' }).first().click();
    await admin.getByRole('heading', { name: 'Ret spørgeskema' }).waitFor();
    await admin.getByText(/er låst/).waitFor();
    await expectAccessible(admin, 'questionnaire editor');
    await admin.goBack();
    await admin.getByRole('heading', { name: 'Selvevaluering af socialpsykiatrien' }).waitFor();

    // Open a round for Demo Kommune (its director has an address) and Prøve Kommune.
    await admin.getByRole('textbox', { name: 'Spørgeskema' }).click();
    await admin.getByRole('option', { name: /Kortlægning af socialpsykiatrien 2020/ }).click();
    await admin.getByRole('textbox', { name: 'Rundens titel' }).fill('Rejsen 2026');
    const today = danishDate(new Date());
    await admin.getByLabel('Åbner').fill(addDays(today, -1));
    await admin.getByLabel('Svarfrist').fill(addDays(today, 14));
    await admin
      .getByRole('textbox', { name: 'Deltagende kommuner' })
      .fill('999;Demo Kommune;direktoer@demo-kommune.dk\n998;Prøve Kommune');
    await admin.getByRole('button', { name: 'Åbn runde' }).click();
    await admin.getByRole('heading', { name: 'Rejsen 2026' }).waitFor();
    const directorUrl = await admin.getByTestId('director-link').first().textContent();
    expect(directorUrl).toContain('/svar/kommune#');
    await expectAccessible(admin, 'round page with director links');

    // The director needs no account: five roles, and two more heads of authority.
    const director = await newPage(browser);
    await director.goto(here(directorUrl!, '/svar/kommune'));
    await director.getByRole('heading', { name: 'Send spørgeskemaet videre' }).waitFor();
    await expectAccessible(director, 'director page');
    const roles = [
      'Udvalgsformand',
      'Direktør',
      'Centerchef',
      'Myndighedschef',
      'Myndighedschef',
      'Myndighedschef',
      'Driftschef',
    ];
    for (const [i, role] of roles.entries()) {
      await director.getByRole('textbox', { name: 'Rolle' }).click();
      await director.getByRole('option', { name: role, exact: true }).click();
      if (i === 0) await director.getByLabel(/^E-mail/).fill('formand@demo-kommune.dk');
      await director.getByRole('button', { name: 'Opret link' }).click();
      await expect.poll(() => director.getByTestId('role-link').count()).toBe(i + 1);
    }
    const links = await director.getByTestId('role-link').allTextContents();
    const rolesShown = await director.locator('tbody tr td:first-child').allTextContents();
    const linkFor = (role: string, nth = 0) => links.filter((_, k) => rolesShown[k]!.startsWith(role))[nth]!;

    // Five answer: three heads of authority (the first saves a draft first), the director, the head of operations.
    // On a phone: the first answers on a 390 px wide screen, with nothing to scroll sideways.
    const phone = await (
      await browser.newContext({ viewport: { width: 390, height: 844 }, reducedMotion: 'reduce' })
    ).newPage();
    await answer(phone, linkFor('Myndighedschef', 0), 'Enig', {
      draftFirst: true,
      check: async () =>
        expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
          true,
        ),
    });
    await phone.close();
    const respondent = await newPage(browser);
    await answer(respondent, linkFor('Myndighedschef', 1), 'Helt enig');
    await answer(respondent, linkFor('Myndighedschef', 2), 'Uenig');
    await answer(respondent, linkFor('Direktør'), 'Enig');
    await answer(respondent, linkFor('Driftschef'), 'Hverken enig eller uenig');
    // A link answers once.
    await respondent.goto(here(linkFor('Direktør'), '/svar'));
    await respondent.getByText('Linket er ugyldigt eller er allerede brugt').waitFor();

    // Live counts, then a reminder to the committee chair (the one non-responder with an address).
    await admin.reload();
    await admin
      .getByRole('row', { name: /Demo Kommune/ })
      .getByRole('cell', { name: '5/7' })
      .waitFor();
    await admin.getByRole('button', { name: 'Send påmindelser' }).click();
    await admin.getByText('Påmindelser sendt: 1 respondenter').waitFor();
    await admin.getByRole('link', { name: 'Udbakke (demo)' }).click();
    await admin.getByRole('article', { name: /Påmindelse: Spørgeskema: Rejsen 2026/ }).waitFor();
    await expectAccessible(admin, 'demo outbox');

    // Close and read the report: the heads of authority (3) are shown, the single roles are not.
    await admin.goBack();
    await admin.getByRole('button', { name: 'Luk runden og beregn resultater' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Luk runden og beregn resultater' }).click();
    await admin.getByRole('link', { name: 'Resultater' }).click();
    await admin.getByRole('heading', { name: 'Resultater: Rejsen 2026' }).waitFor();
    const block = admin.locator('.avoid-break', {
      has: admin.getByRole('heading', { name: 'Rammevilkår', level: 3 }),
    });
    const row = (name: string) => block.getByRole('row', { name: new RegExp(`^${name}`) });
    await expect.poll(() => row('Myndighedschef').textContent()).toMatch(/Myndighedschef\d,\d+3/);
    await expect.poll(() => row('Direktør').textContent()).toContain('Under 3 svar');
    await expect.poll(() => row('Udvalgsformand').textContent()).toContain('–');
    await expectAccessible(admin, 'report');
    expect(seen.consoleErrors).toEqual([]);
    await Promise.all([admin.close(), director.close(), respondent.close()]);
  });

  it('a municipal manager sees its own results next to the national picture and the change since last round', async () => {
    const page = await newPage(browser);
    await loginAsDemo(page, base, 'leder');
    await page.getByRole('link', { name: 'Selvevaluering' }).click();
    await page
      .getByRole('row', { name: /Kortlægning 2023/ })
      .getByRole('link', { name: 'Resultater' })
      .click();
    await page.getByRole('heading', { name: 'Demo Kommune sammenlignet med landsplan' }).waitFor();
    await page.getByRole('heading', { name: /Udvikling siden forrige runde \(Kortlægning 2020\)/ }).waitFor();
    await expectAccessible(page, 'report for a participant');
    await page.close();
  });
});
