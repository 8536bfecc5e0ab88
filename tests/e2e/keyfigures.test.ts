import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, newPage, watch } from './browser';
import { type DemoApp, loginAs, startDemoApp } from './demo-app';

let demo: DemoApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  demo = await startDemoApp();
  ({ browser, base } = demo);
  // The refresh job (every 10 s in production) computes the seeded municipalities' figures: the seven first
  // publications of the demo, each audited (about 7 minutes on two quiet cores; decision 010).
  await demo.app.ctx.keyFigures.sweep();
}, 1_500_000);
afterAll(() => demo?.close());

describe('steering in the browser', () => {
  it('a manager opens the dashboard, compares with the group, drills into a unit, sees the ladder and exports XLSX', async () => {
    const page = await newPage(browser);
    const seen = watch(page);
    await loginAs(page, base, 'leder');
    await page.getByRole('link', { name: 'Nøgletal' }).click();
    await page.getByRole('heading', { name: 'Nøgletal', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Tidligere indsats' }).waitFor();
    await expectAccessible(page, 'key-figure dashboard');

    // One indicator against the comparison group and the country.
    await page.getByRole('link', { name: 'Åbn Borgere med indsats' }).click();
    await page.getByRole('heading', { name: 'Borgere med indsats', level: 1 }).waitFor();
    await page.getByRole('columnheader', { name: 'Naboer af vores størrelse' }).waitFor();
    await page.getByRole('columnheader', { name: 'Landet' }).waitFor();
    await page.getByRole('heading', { name: 'Gruppens kommuner, seneste afsluttede periode' }).waitFor();
    await page.getByRole('cell', { name: 'Fiktiv Kommune 601' }).waitFor();
    // Issue 15, item 7: every bar of the group chart carries its municipality's name and value, and the own
    // municipality is marked in words.
    const bars = page.locator('figure li');
    const labels = await bars.allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(5);
    for (const n of ['Fiktiv Kommune 601', 'Fiktiv Kommune 602', 'Demo Kommune (din kommune)'])
      expect(labels.some((l) => l.startsWith(n))).toBe(true);
    await expectAccessible(page, 'indicator with comparison');

    // Drill into the units: the municipality's own units only.
    await page.getByRole('textbox', { name: 'Opdel kommunen' }).click();
    await page.getByRole('option', { name: 'Enhed' }).click();
    await page.getByRole('heading', { name: 'Kommunen opdelt: enhed' }).waitFor();
    await page.getByRole('rowheader', { name: 'Bostøtte Nord' }).waitFor();
    expect(await page.getByRole('rowheader', { name: 'Bostøtten' }).count()).toBe(0);
    await expectAccessible(page, 'indicator by unit');

    // Item 8: by month, the month in progress is never shown as if complete (unit rule: periodInProgress).
    await page.goto(`${base}/noegletal/citizens?periode=month`);
    await page.getByRole('columnheader', { name: 'Periode' }).first().waitFor();
    const MONTHS = [
      'jan.',
      'feb.',
      'mar.',
      'apr.',
      'maj',
      'jun.',
      'jul.',
      'aug.',
      'sep.',
      'okt.',
      'nov.',
      'dec.',
    ];
    const now = new Date();
    const thisMonth = `${MONTHS[now.getMonth()]} ${now.getFullYear()}`;
    for (const cell of await page.getByRole('cell', { name: new RegExp(`^${thisMonth}`) }).allTextContents())
      expect(cell).toContain('(i gang)');

    // Few events per quarter: broken down by year only, said in words, one press away (decision 010).
    await page.goto(`${base}/noegletal/new_citizens?periode=quarter&opdeling=unit`);
    await page.getByText(/opdeles kun pr\. år/).waitFor();
    await expectAccessible(page, 'breakdown by year only');
    await page.getByRole('button', { name: 'Vis opdelingen pr. år' }).click();
    await page.getByRole('heading', { name: 'Kommunen opdelt: enhed' }).waitFor();
    await page.getByRole('rowheader', { name: 'Bostøtte Nord' }).waitFor();
    expect(new URL(page.url()).searchParams.get('periode')).toBe('year');

    // The ladder: a year ago and today, with the flows.
    await page.goto(`${base}/noegletal/trappe`);
    await page.getByRole('heading', { name: 'Indsatstrappen', level: 1 }).waitFor();
    // Which flows can be shown depends on the protection of the demo's data: the diagram when any is, else
    // the page says so in words.
    const published = await (await page.request.get(`${base}/api/keyfigures/ladder`)).json();
    const anyFlow = (published.ladder.table.cells as (number | null)[][])
      .flat()
      .some((n) => n !== null && n > 0);
    if (anyFlow) {
      await page.getByRole('img', { name: /Bevægelser mellem trin/ }).waitFor();
      // Item 12: the legend names only the flows drawn, with their swatch, not colour words.
      await page
        .getByText(/^(Nye borgere|Ned ad trappen eller ud|Op ad trappen|Samme trin)$/)
        .first()
        .waitFor();
    } else await page.getByText(/Ingen bevægelse kan vises denne gang/).waitFor();
    expect(await page.getByText(/Grøn:|Blå:/).count()).toBe(0);
    await expectAccessible(page, 'ladder');

    // Export XLSX from the dashboard.
    await page.goto(`${base}/noegletal?periode=year`);
    await page.getByRole('heading', { name: 'Nøgletal', level: 1 }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'XLSX' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('noegletal-year.xlsx');
    const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
    const sheet = new TextDecoder().decode(files['xl/worksheets/sheet1.xml']!);
    expect(sheet).toContain('Borgere med indsats');
    expect(sheet).toContain('Bostøtte Nord');
    expect(seen.consoleErrors).toEqual([]);
  });

  it('an administrator defines a comparison group of at least five by size', async () => {
    const page = await newPage(browser);
    await loginAs(page, base, 'admin');
    await page.getByRole('link', { name: 'Sammenligningsgrupper' }).click();
    await page.getByRole('heading', { name: 'Sammenligningsgrupper', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'Naboer af vores størrelse' }).waitFor();
    // Where the key figures start: the demo went live with its running cases, and published from then.
    await page.getByRole('heading', { name: 'Nøgletal fra' }).waitFor();
    await page.getByText(/Nøgletal er offentliggjort fra/).waitFor();
    const start = page.getByLabel('Data er fuldstændige fra');
    expect(await start.inputValue()).toMatch(/^\d{4}-(01|04|07|10)-01$/);
    await start.fill('2026-11-15');
    await page.getByRole('button', { name: 'Gem dato' }).click();
    await page.getByText('Vælg den første dag i en måned, fra år 2000 eller senere').waitFor();
    await page.getByRole('button', { name: 'Opret gruppe' }).click();
    await page.getByRole('textbox', { name: 'Navn' }).fill('Samme størrelse');
    await page.getByRole('button', { name: 'Foreslå 10 kommuner af vores størrelse' }).click();
    await page.getByText(/7 valgt/).waitFor();
    await expectAccessible(page, 'comparison groups');
    await page.getByRole('button', { name: 'Gem', exact: true }).click();
    await page.getByText('Gruppen er gemt.').waitFor();
    await page.getByRole('cell', { name: 'Samme størrelse' }).waitFor();

    // Another installation's exchange file: a file that is not JSON is refused, a real one is loaded.
    const file = await (await page.request.get(`${base}/api/keyfigures/exchange`)).json();
    const upload = page.locator('input[type=file]');
    await upload.setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('nej') });
    await page.getByRole('button', { name: 'Indlæs' }).click();
    await page.getByText('Filen er ikke en JSON-fil.').waitFor();
    const other = { ...file, municipality: { code: '777', name: 'Fjern Kommune' } };
    await upload.setInputFiles({
      name: 'noegletal-777.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(other)),
    });
    await page.getByRole('button', { name: 'Indlæs' }).click();
    await page.getByText(/tal er indlæst/).waitFor();
    await expectAccessible(page, 'exchange file loaded');
    await page.getByRole('button', { name: 'Opret gruppe' }).click();
    await page.getByRole('checkbox', { name: 'Fjern Kommune (777)' }).waitFor();
  });
});
