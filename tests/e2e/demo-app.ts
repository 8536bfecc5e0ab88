import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { Database } from '../../src/server/db/client';
import { seedDemo } from '../../src/server/db/seed/demo';
import { DEMO_PASSWORD } from '../../src/server/db/seed/demo-logins';
import { loadReference } from '../../src/server/modules/reference/reference';
import { openTestDatabase } from '../helpers';
import { launchBrowser } from './browser';

export interface DemoApp {
  database: Database;
  app: FastifyInstance;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

/** The real app on a fresh database seeded with the demo municipalities, listening, with a browser. */
export async function startDemoApp(): Promise<DemoApp> {
  const database = await openTestDatabase();
  const reference = await loadReference(database);
  const config = loadConfig({ NODE_ENV: 'test' });
  await seedDemo(database, reference, config);
  const app = await buildApp({
    database,
    config,
    logger: false,
    reference,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  return {
    database,
    app,
    browser,
    base,
    async close() {
      await browser.close();
      await app.close();
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
