import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { CPR_PATTERN } from '../src/server/platform/http';
import {
  createCitizen,
  createMunicipality,
  createStaff,
  fictionalCpr,
  type TestMunicipality,
} from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

let t: TestApp;
let m: TestMunicipality;
let s: Session;

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  const u = await createStaff(t.db, m, 'sagsbehandler');
  s = await login(t.app, u.username, u.password);
});
afterAll(() => t.close());

function expectSecurityHeaders(h: Record<string, unknown>) {
  const csp = String(h['content-security-policy']);
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('no-referrer');
  expect(h['x-request-id']).toBeTruthy();
}

describe('security headers', () => {
  it('are on every kind of response: API, 401, 404, health, pages', async () => {
    const responses = await Promise.all([
      call(t.app, s, { method: 'GET', url: '/api/auth/session' }),
      t.app.inject({ method: 'GET', url: '/api/auth/session' }),
      t.app.inject({ method: 'GET', url: '/api/findes-ikke' }),
      t.app.inject({ method: 'GET', url: '/healthz' }),
      t.app.inject({ method: 'GET', url: '/borgere' }),
      t.app.inject({ method: 'GET', url: '/assets/x.js' }),
    ]);
    for (const r of responses) expectSecurityHeaders(r.headers);
    expect(responses[0]!.headers['cache-control']).toBe('no-store');
    expect(responses[2]!.json()).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('adds HSTS when served over TLS behind a trusted proxy', async () => {
    const tls = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const res = await tls.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const plain = await tls.app.inject({ method: 'GET', url: '/healthz' });
      expect(plain.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await tls.close();
    }
  });
});

describe('operations', () => {
  it('reports health including the database', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('describes every API route in /api/openapi.json', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const r of t.app.routeInventory.filter(
      (x) => x.url.startsWith('/api/') && x.method !== 'HEAD' && x.url !== '/api/openapi.json',
    )) {
      const p = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[p]?.[r.method.toLowerCase()], `${r.method} ${p}`).toBeTruthy();
    }
    expect(doc.paths['/api/citizens']?.post?.requestBody).toBeTruthy();
  });

  it('exposes Prometheus metrics', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('retning_http_request_duration_seconds');
  });

  it('writes structured logs with request ids and no CPR numbers', async () => {
    const c = await createCitizen(t.db, m);
    const cpr = c.cpr;
    t.logs.length = 0;
    await call(t.app, s, { method: 'POST', url: '/api/citizens/search', payload: { cpr } });
    await call(t.app, s, {
      method: 'POST',
      url: '/api/citizens',
      payload: { cpr, firstName: 'A', lastName: 'B' },
    });
    await call(t.app, s, {
      method: 'POST',
      url: '/api/citizens',
      payload: { cpr: `${cpr.slice(0, 6)}x${cpr.slice(6)}`, firstName: 'A' },
    });
    await call(t.app, s, { method: 'GET', url: `/api/citizens/${cpr}` });
    expect(t.logs.length).toBeGreaterThan(4);
    const lines = t.logs.map((l) => JSON.parse(l));
    expect(lines.some((l) => typeof l.reqId === 'string')).toBe(true);
    // Even the mistaken GET with a CPR in its URL is masked by the last line of defence.
    expect(t.logs.some((l) => l.includes('/api/citizens/[cpr]'))).toBe(true);
    for (const line of t.logs) expect(line.match(CPR_PATTERN)).toBeNull();
  });

  it('never puts a CPR number in an error body', async () => {
    const cpr = fictionalCpr();
    const bodies = await Promise.all([
      call(t.app, s, {
        method: 'POST',
        url: '/api/citizens',
        payload: { cpr: `${cpr}9`, firstName: 'A', lastName: 'B' },
      }),
      call(t.app, s, { method: 'GET', url: `/api/citizens/${cpr}` }),
    ]);
    for (const b of bodies) {
      expect(b.statusCode).toBeGreaterThanOrEqual(400);
      expect(b.body).not.toContain(cpr);
    }
  });
});

describe('configuration', () => {
  it('refuses to start in production without a session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'kort' })).toThrow();
  });

  it('refuses a half-configured citizen portal (MitID), and a key that is not an EC P-256 private JWK', async () => {
    const prod = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) };
    expect(loadConfig(prod).mitid).toBeNull();
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const key = JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'k1' });
    const full = {
      ...prod,
      MITID_ISSUER: 'https://broker.example.dk',
      MITID_CLIENT_ID: 'retning-demo-kommune',
      MITID_CLIENT_KEY: key,
    };
    expect(loadConfig(full).mitid).toMatchObject({
      issuer: 'https://broker.example.dk',
      clientId: 'retning-demo-kommune',
      clientKey: { kty: 'EC', crv: 'P-256', kid: 'k1', alg: 'ES256' },
    });
    for (const missing of ['MITID_ISSUER', 'MITID_CLIENT_ID', 'MITID_CLIENT_KEY'] as const) {
      const env: Record<string, string> = { ...full };
      delete env[missing];
      expect(() => loadConfig(env)).toThrow(/halvt sat op/);
    }
    expect(() => loadConfig({ ...full, MITID_ISSUER: 'http://broker.example.dk' })).toThrow(/https/);
    // A public key only, a key of another kind, and not JSON.
    const { d: _d, ...publicOnly } = JSON.parse(key);
    for (const bad of [JSON.stringify(publicOnly), JSON.stringify({ kty: 'oct', k: 'abc' }), 'nøgle'])
      expect(() => loadConfig({ ...full, MITID_CLIENT_KEY: bad })).toThrow(/MITID_CLIENT_KEY/);
  });

  it('never runs demo mode in production', async () => {
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    expect(config.demoMode).toBe(false);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DEMO_MODE: 'true' }),
    ).toThrow();
    const prod = await createTestApp({ env: { NODE_ENV: 'production', SESSION_SECRET: 'y'.repeat(40) } });
    try {
      expect((await prod.app.inject({ method: 'GET', url: '/api/auth/demo-logins' })).statusCode).toBe(404);
      expect((await prod.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await prod.close();
    }
  });
});

describe('static files', () => {
  it('serves hashed assets for a year, immutable, and the favicon for a day', async () => {
    const web = mkdtempSync(path.join(tmpdir(), 'retning-web-'));
    mkdirSync(path.join(web, 'assets'));
    writeFileSync(path.join(web, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(web, 'favicon.svg'), '<svg/>');
    writeFileSync(path.join(web, 'index.html'), '<!doctype html>');
    const app = await buildApp({
      database: t.app.ctx.database,
      config: { ...loadConfig({ NODE_ENV: 'test' }), webDir: web },
      logger: false,
      reference: t.app.ctx.reference,
    });
    try {
      const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
      expect(icon.headers['cache-control']).toBe('public, max-age=86400');
      const page = await app.inject({ method: 'GET', url: '/borgere' });
      expect(page.headers['cache-control']).toBe('no-cache');
    } finally {
      await app.close();
      rmSync(web, { recursive: true, force: true });
    }
  });
});
