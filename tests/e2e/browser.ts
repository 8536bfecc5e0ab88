import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A translation key shown instead of its text (i18next shows the key when a text is missing). */
export const RAW_KEY =
  /\b(?:app|nav|common|errors|citizen|citizens|admin|pathway|portal|survey|keyfigures|partner|messages|representatives|staffConsents|staffRepresentatives|writtenBy|roles|audit)\.[A-Za-z_]+(?:\.[A-Za-z0-9_-]+)*\b/;

/**
 * No serious or critical axe violations on the page as it stands, and no raw translation key anywhere in it:
 * every page checked for accessibility is checked for missing texts too.
 */
export async function expectAccessible(page: Page, label: string, scope?: string) {
  const text = await page.evaluate(() => document.body.innerText);
  expect(RAW_KEY.exec(text)?.[0] ?? null, `a raw translation key on ${label}`).toBeNull();
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  // With a modal open, the page behind sits under an overlay; check the dialog itself.
  if (scope) builder = builder.include(scope);
  const result = await builder.analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(' | ')}`,
  );
  expect(report, `axe on ${label}`).toEqual([]);
}

/** A page in a fresh browser context (axe needs one). */
export async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ reducedMotion: 'reduce' })).newPage();
}

/** Collects what the browser would leak: request URLs and console errors. */
export function watch(page: Page) {
  const urls: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('console', (m) => {
    // Expected API answers (401 before login, 409 on a conflict) are logged by Chromium as resource errors.
    if (
      m.type() === 'error' &&
      !/Failed to load resource: the server responded with a status of (401|404|409)/.test(m.text())
    ) {
      consoleErrors.push(m.text());
    }
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  return { urls, consoleErrors };
}

export async function storageDump(page: Page): Promise<string> {
  return page.evaluate(() =>
    JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }),
  );
}
