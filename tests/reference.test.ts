import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReference } from '../src/server/modules/reference/reference';
import { DATA_DIR } from '../src/server/modules/reference/reference.data';
import { installReferenceData } from '../src/server/modules/reference/reference.install';
import { createMunicipality, createStaff } from './factories';
import { call, createTestApp, login, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ACTIVITY_SUBTHEME = 'Færdes med transportmidler';

describe('reference data shipped in data/', () => {
  it('holds FFB 20240530: 11 themes in 3 categories, subthemes, levels 0–4, support needs, goal types', () => {
    const ref = t.app.ctx.reference;
    const ffb = ref.current('ffb');
    expect(ffb.version).toBe('20240530');
    const themes = ref.ofKind(ffb.key, 'theme');
    expect(themes).toHaveLength(11);
    expect(new Set(themes.map((x) => x.attrs.category))).toEqual(
      new Set(['function', 'activity', 'environment']),
    );
    const activity = ref.ofKind(ffb.key, 'subtheme').filter((s) => s.attrs.category === 'activity');
    expect(activity.map((s) => s.display)).toContain(ACTIVITY_SUBTHEME);
    expect(activity).toHaveLength(31);
    const levels = ref.ofKind(ffb.key, 'functioning_level').filter((c) => c.attrs.ordinal !== undefined);
    expect(levels.map((l) => l.attrs.ordinal).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(ref.ofKind(ffb.key, 'support_need')).toHaveLength(6);
    expect(
      ref
        .ofKind(ffb.key, 'goal_type')
        .map((g) => g.display)
        .sort(),
    ).toEqual(['Begrænse tab af funktionsevne', 'Fastholde funktionsevne', 'Udvikle funktionsevne']);
    const results = ref.ofKind(ffb.key, 'follow_up_result');
    expect(
      results
        .filter((r) => r.attrs.ends)
        .map((r) => r.display)
        .sort(),
    ).toEqual([
      'Træf afgørelse om afslutning af indsats',
      'Træf afgørelse om afslutning af indsats og visiter til ny',
    ]);
    expect(results.filter((r) => !r.attrs.ends).map((r) => r.display)).toEqual([
      'Træf afgørelse om fortsættelse af indsats',
    ]);
    const support = ref.ofKind(ffb.key, 'ydelse').find((y) => y.display === 'Socialpædagogisk støtte');
    expect(support?.attrs.paragraph).toBe('SEL §85');
  });

  it('holds KL informant codes and reasons for ending, the paragraphs with ladder steps, and the methods', () => {
    const ref = t.app.ctx.reference;
    const kl = ref.current('kl-caresocial');
    expect(ref.ofKind(kl.key, 'informant').map((c) => c.display)).toEqual(
      expect.arrayContaining(['Borger', 'Sagsbehandler', 'Udfører', 'Borger støttet af medarbejder']),
    );
    expect(ref.ofKind(kl.key, 'end_reason').map((c) => c.display)).toEqual(
      expect.arrayContaining(['Ikke yderligere behov (borger-vurderet)', 'Aktivt fravalg']),
    );
    const sel = ref.current('serviceloven');
    const paragraphs = ref.ofKind(sel.key, 'paragraph');
    expect(paragraphs.map((p) => p.code)).toEqual([
      'SEL §82a',
      'SEL §82b',
      'SEL §82c',
      'SEL §82d',
      'SEL §85',
      'SEL §85a',
      'SEL §99',
      'SEL §103',
      'SEL §104',
      'SEL §107',
      'SEL §108',
      'ABL §105',
    ]);
    for (const p of paragraphs) expect([1, 2, 3, 4, 5]).toContain(p.attrs.step);
    expect(ref.code(sel.key, 'SEL §82b')?.attrs.maxMonths).toBe(6);
    expect(ref.code(sel.key, 'SEL §108')?.attrs.step).toBeGreaterThan(
      ref.code(sel.key, 'SEL §85')!.attrs.step as number,
    );
    const methods = ref.ofKind(ref.current('methods').key, 'method').map((m) => m.code);
    expect(methods).toEqual(
      expect.arrayContaining(['VUM', 'FIT', 'MI', 'OPEN_DIALOGUE', 'CTI', 'KRAP', 'IMR', 'GROUP']),
    );
    expect(ref.instrument('WHO-5')?.items).toHaveLength(5);
    expect(ref.instrument('ORS')?.licence.required).toBe(true);
  });

  it('serves the current reference data to any signed-in user', async () => {
    const m = await createMunicipality(t.db);
    const u = await createStaff(t.db, m, 'analytiker');
    const s = await login(t.app, u.username, u.password);
    const res = await call(t.app, s, { method: 'GET', url: '/api/reference' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ffb.themes).toHaveLength(11);
    expect(body.serviceloven.steps).toHaveLength(5);
    expect(body.instruments.map((i: { key: string }) => i.key).sort()).toEqual([
      'GAS',
      'ORS',
      'QPR-15',
      'SRS',
      'WHO-5',
    ]);
    expect((await call(t.app, null, { method: 'GET', url: '/api/reference' })).statusCode).toBe(401);
  });
});

describe('a new code list version', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'retning-data-'));
    cpSync(DATA_DIR, dir, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads next to the old one, becomes current, and old references still resolve', async () => {
    const old = t.app.ctx.reference.current('ffb');
    const code = t.app.ctx.reference
      .ofKind(old.key, 'subtheme')
      .find((s) => s.display === ACTIVITY_SUBTHEME)!.code;
    const next = path.join(dir, 'ffb', '20990101');
    cpSync(path.join(dir, 'ffb', '20240530'), next, { recursive: true });
    const tsv = path.join(next, 'codesystem.tsv');
    writeFileSync(tsv, readFileSync(tsv, 'utf8').replace(ACTIVITY_SUBTHEME, 'Bruge transportmidler'));

    const report = await installReferenceData(t.database, dir);
    expect(report.added).toEqual(['ffb@20990101']);
    expect(report.current).toContain('ffb@20990101');
    expect(report.current).not.toContain('ffb@20240530');
    const ref = await loadReference(t.database);
    expect(ref.current('ffb').version).toBe('20990101');
    expect(ref.display('ffb@20990101', code)).toBe('Bruge transportmidler');
    expect(ref.display('ffb@20240530', code)).toBe(ACTIVITY_SUBTHEME);

    // Loading again changes nothing.
    expect((await installReferenceData(t.database, dir)).added).toEqual([]);
  });

  it('refuses a shipped version whose content changed after it was loaded', async () => {
    const file = path.join(dir, 'serviceloven', '2025-09-22.json');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('"step": 3, "visitated": true', '"step": 2, "visitated": true'),
    );
    await expect(installReferenceData(t.database, dir)).rejects.toThrow(/Ship changes as a new version/);
  });
});
