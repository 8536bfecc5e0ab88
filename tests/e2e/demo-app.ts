import { type AddressInfo, createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { Database } from '../../src/server/db/client';
import { seedDemo } from '../../src/server/db/seed/demo';
import { DEMO_PASSWORD } from '../../src/server/db/seed/demo-logins';
import { portalRedirectUri } from '../../src/server/modules/portal/portal.login';
import { loadReference } from '../../src/server/modules/reference/reference';
import { startDemoBroker } from '../../src/server/platform/auth/mitid-demo';
import { openTestDatabase } from '../helpers';
import { launchBrowser } from './browser';

export interface DemoApp {
  database: Database;
  app: FastifyInstance;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/**
 * The real app on a fresh database seeded with the demo municipalities, listening, with a browser. With
 * `portal`, the MitID test broker runs beside it, as `npm start` runs it in demo mode.
 */
export async function startDemoApp(opts: { portal?: boolean } = {}): Promise<DemoApp> {
  const database = await openTestDatabase();
  const reference = await loadReference(database);
  const port = await freePort();
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: `http://127.0.0.1:${port}` });
  await seedDemo(database, reference, config);
  const broker = opts.portal
    ? await startDemoBroker({ port: 0, host: '127.0.0.1', redirectUri: portalRedirectUri(config) })
    : null;
  if (broker) config.mitid = broker.mitid;
  const app = await buildApp({
    database,
    config,
    logger: false,
    reference,
  });
  await app.listen({ port, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  const browser = await launchBrowser();
  return {
    database,
    app,
    browser,
    base,
    async close() {
      await browser.close();
      await app.close();
      await broker?.broker.close();
      await database.close();
    },
  };
}

/** Logs in as a demo user through the login form. */
export async function loginAs(page: Page, base: string, username: string) {
  await page.goto(base);
  await page.getByLabel('Brugernavn').fill(username);
  await page.getByLabel('Adgangskode').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log ind' }).first().click();
  await page.getByRole('button', { name: 'Log ud' }).waitFor();
}
