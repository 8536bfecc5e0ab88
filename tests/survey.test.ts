import { sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { templates } from '../src/server/modules/survey/survey.service';
import { itemsOf, SURVEY_ROLES } from '../src/shared/survey';
import type { SurveyReport } from '../src/shared/survey-report';
import { createMunicipality, createStaff, type TestMunicipality } from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';
import { startSmtp, tokenIn } from './smtp';

const pub = (t: TestApp, method: 'POST' | 'PUT', url: string, payload: object) =>
  call(t.app, null, {
    method,
    url,
    payload: payload as Record<string, unknown>,
    headers: { 'x-csrf-token': '1' },
  });

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let owner: TestMunicipality;
let participant: TestMunicipality & { code: string };
let stranger: TestMunicipality;
let admin: Session;
let contact: Session;
let manager: Session;
let strangerManager: Session;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://retning.test' } });
  owner = await createMunicipality(t.db, { code: '900', kind: 'national_agency' });
  participant = await createMunicipality(t.db, { code: '901' });
  stranger = await createMunicipality(t.db, { code: '902' });
  const a = await createStaff(t.db, owner, 'skemaadministrator');
  admin = await login(t.app, a.username, a.password);
  const c = await createStaff(t.db, participant, 'kontaktperson');
  contact = await login(t.app, c.username, c.password);
  const l = await createStaff(t.db, participant, 'leder');
  manager = await login(t.app, l.username, l.password);
  const s = await createStaff(t.db, stranger, 'leder');
  strangerManager = await login(t.app, s.username, s.password);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('the shipped templates', () => {
  it('reconstruct the 2020 mapping: four themes, thirteen pejlemærker, and its role rules', () => {
    const t2020 = templates().find((x) => x.key === 'kortlaegning-2020')!.definition;
    expect(t2020.themes.map((x) => x.code)).toEqual([
      'rammevilkaar',
      'strategisk_ramme',
      'faglig_retning',
      'faglig_praksis',
    ]);
    expect(t2020.themes.flatMap((x) => x.pejlemaerker)).toHaveLength(13);
    const items = itemsOf(t2020);
    const inTheme = (code: string) => items.filter((i) => i.theme.code === code).map((i) => i.item);
    // No faglig retning for the committee chair; faglig praksis only for myndigheds- and driftschef.
    expect(inTheme('faglig_retning').some((i) => i.roles.includes('udvalgsformand'))).toBe(false);
    for (const i of inTheme('faglig_praksis'))
      expect(i.roles.every((r) => r === 'myndighedschef' || r === 'driftschef')).toBe(true);
    // Items only one role got: the strategy's year (director), the provider collaboration (myndighedschef).
    expect(items.find((i) => i.item.code === 'sm_aarstal')!.item.roles).toEqual(['direktoer']);
    expect(items.find((i) => i.item.code === 'os_bostoette')!.item.roles).toEqual(['myndighedschef']);
    // Every item kind is used.
    expect(new Set(items.map((i) => i.item.kind))).toEqual(
      new Set(['degree', 'agreement', 'choice', 'number', 'text']),
    );
  });

  it('ask about the 2023 concept’s eight principles', () => {
    const t2023 = templates().find((x) => x.key === 'principper-2023')!.definition;
    expect(t2023.themes[0]!.pejlemaerker).toHaveLength(8);
  });
});

describe('a round from template to report', () => {
  let questionnaireId: string;
  let roundId: string;
  let directorToken: string;
  const respondentTokens: string[] = [];

  it('copies a template to a draft, edits it, and freezes it when a round opens', async () => {
    const created = await call(t.app, admin, {
      method: 'POST',
      url: '/api/survey/questionnaires',
      payload: { template: 'kortlaegning-2020' },
    });
    expect(created.statusCode).toBe(201);
    const q = created.json();
    questionnaireId = q.id;
    const definition = { ...q.definition, title: 'Kortlægning 2026' };
    const edited = await call(t.app, admin, {
      method: 'PUT',
      url: `/api/survey/questionnaires/${q.id}`,
      payload: { definition, version: q.rowVersion },
    });
    expect(edited.statusCode).toBe(200);
    const stale = await call(t.app, admin, {
      method: 'PUT',
      url: `/api/survey/questionnaires/${q.id}`,
      payload: { definition, version: q.rowVersion },
    });
    expect(stale.statusCode).toBe(409);
    // A duplicated code is a 400 naming the field.
    const bad = structuredClone(definition);
    bad.themes[0].pejlemaerker[0].items[1].code = bad.themes[0].pejlemaerker[0].items[0].code;
    const dup = await call(t.app, admin, {
      method: 'PUT',
      url: `/api/survey/questionnaires/${q.id}`,
      payload: { definition: bad, version: q.rowVersion + 1 },
    });
    expect(dup.statusCode).toBe(400);

    const round = await call(t.app, admin, {
      method: 'POST',
      url: '/api/survey/rounds',
      payload: {
        questionnaireId,
        title: 'Selvevaluering 2026',
        opensOn: '2026-11-01',
        closesOn: '2026-12-15',
        participants: [
          { code: participant.code, name: participant.name, contactEmail: 'direktoer@kommune.test' },
          { code: '903', name: 'Uden Retning Kommune' },
        ],
      },
    });
    expect(round.statusCode, round.body).toBe(201);
    roundId = round.json().round.id;
    expect(round.json().directorLinks[1].mailed).toBe(false);
    const frozen = await call(t.app, admin, {
      method: 'PUT',
      url: `/api/survey/questionnaires/${q.id}`,
      payload: { definition, version: q.rowVersion + 1 },
    });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().code).toBe('questionnaire_frozen');
    // The trigger holds even for the database owner's tools: a frozen questionnaire never changes.
    await expect(
      t.database.transaction({ role: 'retning_app', 'app.municipality_id': owner.id }, (tx) =>
        tx.execute(sql`update survey_questionnaires set title = 'x' where id = ${q.id}`),
      ),
    ).rejects.toThrow();
  });

  it('mails the director a link (real SMTP), from which role links are handed out without an account', async () => {
    await vi.waitFor(() => expect(smtp.received.some((m) => m.to === 'direktoer@kommune.test')).toBe(true), {
      timeout: 10_000,
    });
    const mail = smtp.received.find((m) => m.to === 'direktoer@kommune.test')!;
    expect(mail.text).toContain('https://retning.test/svar/kommune#');
    directorToken = tokenIn(mail.text);
    const page = await pub(t, 'POST', '/api/survey/director/open', { token: directorToken });
    expect(page.statusCode).toBe(200);
    expect(page.json().municipality).toBe(participant.name);
    for (const [i, role] of SURVEY_ROLES.entries()) {
      const l = await pub(t, 'POST', '/api/survey/director/links', {
        token: directorToken,
        role,
        ...(i < 2 ? { email: `${role}@kommune.test` } : {}),
      });
      expect(l.statusCode).toBe(201);
      respondentTokens.push(tokenIn(l.json().url));
    }
    await vi.waitFor(
      () => expect(smtp.received.filter((m) => m.subject.startsWith('Spørgeskema')).length).toBe(3),
      {
        timeout: 10_000,
      },
    );
    // The director sees the links again (to copy them) on a later visit.
    const again = await pub(t, 'POST', '/api/survey/director/open', { token: directorToken });
    expect(again.json().links).toHaveLength(5);
    expect((await pub(t, 'POST', '/api/survey/director/open', { token: 'x'.repeat(43) })).statusCode).toBe(
      404,
    );
  });

  it('lets a respondent save a draft, resume it, and submit once; the answers keep no tie to the link', async () => {
    const token = respondentTokens[3]!; // myndighedschef
    const opened = await pub(t, 'POST', '/api/survey/respond/open', { token });
    expect(opened.statusCode).toBe(200);
    expect(opened.json().role).toBe('myndighedschef');
    // The role sees only its items: no strategy year (director only).
    const codes = itemsOf(opened.json().questionnaire).map((i) => i.item.code);
    expect(codes).toContain('os_bostoette');
    expect(codes).not.toContain('sm_aarstal');
    const refused = await pub(t, 'PUT', '/api/survey/respond/draft', {
      token,
      answers: { sm_aarstal: 2019 },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].field).toBe('sm_aarstal');
    const draft = await pub(t, 'PUT', '/api/survey/respond/draft', {
      token,
      answers: { rv_udgifter: 'hoej', os_bostoette: 'helt_enig' },
    });
    expect(draft.statusCode).toBe(200);
    // A second head of authority in the municipality (who has not answered).
    const second = await pub(t, 'POST', '/api/survey/director/links', {
      token: directorToken,
      role: 'myndighedschef',
    });
    expect(second.statusCode).toBe(201);
    const resumed = await pub(t, 'POST', '/api/survey/respond/open', { token });
    expect(resumed.json().answers).toEqual({ rv_udgifter: 'hoej', os_bostoette: 'helt_enig' });
    const submitted = await pub(t, 'POST', '/api/survey/respond/submit', {
      token,
      answers: {
        ...resumed.json().answers,
        sb_vum: 'ved_ikke',
        fp_metoder: { selected: ['fit', 'andet'], other: 'IPS' },
      },
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect((await pub(t, 'POST', '/api/survey/respond/submit', { token, answers: {} })).statusCode).toBe(404);
    expect((await pub(t, 'POST', '/api/survey/respond/open', { token })).statusCode).toBe(404);
    // What is stored: the link is closed and emptied; the answer row has no link, time or person.
    const cols = await t.database.transaction({}, (tx) =>
      tx.execute(
        sql`select column_name from information_schema.columns where table_name = 'survey_responses'`,
      ),
    );
    const names = ((cols as { rows?: { column_name: string }[] }).rows ?? [])
      .map((r) => r.column_name)
      .sort();
    expect(names).toEqual([
      'answers',
      'id',
      'municipality_id',
      'participant_code',
      'role',
      'round_id',
      'source',
    ]);
    const links = await t.database.transaction(
      { role: 'retning_app', 'app.municipality_id': owner.id },
      (tx) =>
        tx.execute(
          sql`select status, email, draft, token_sealed from survey_links where status = 'submitted'`,
        ),
    );
    expect((links as { rows: unknown[] }).rows).toEqual([
      { status: 'submitted', email: null, draft: null, token_sealed: null },
    ]);
    // Not even the transaction id ties them: the answer's xmin is shared by every link of its municipality
    // and role (here the two heads of authority's links), not only by the one that answered.
    const xmins = await t.database.transaction({}, (tx) =>
      tx.execute(sql`select
          (select array_agg(distinct xmin::text) from survey_links where role = 'myndighedschef') as links,
          (select array_agg(xmin::text) from survey_responses where role = 'myndighedschef') as answers`),
    );
    const x = (xmins as { rows: { links: string[]; answers: string[] }[] }).rows[0]!;
    expect(x.links).toEqual(x.answers);
  });

  it('shows live response counts (never answers) to the owner and to the municipality’s contact', async () => {
    for (const i of [0, 1]) {
      const r = await pub(t, 'POST', '/api/survey/respond/submit', {
        token: respondentTokens[i]!,
        answers: { rv_udgifter: 'meget_hoej' },
      });
      expect(r.statusCode).toBe(200);
    }
    const own = await call(t.app, admin, { method: 'GET', url: `/api/survey/rounds/${roundId}` });
    expect(own.statusCode).toBe(200);
    expect(own.json().progress.map((p: { submitted: number }) => p.submitted)).toEqual([3, 0]);
    const theirs = await call(t.app, contact, { method: 'GET', url: `/api/survey/rounds/${roundId}` });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().progress).toHaveLength(1);
    expect(theirs.json().progress[0]).toMatchObject({ code: participant.code, links: 6, submitted: 3 });
    expect(JSON.stringify(theirs.json())).not.toContain('meget_hoej');
    expect(
      (await call(t.app, strangerManager, { method: 'GET', url: `/api/survey/rounds/${roundId}` }))
        .statusCode,
    ).toBe(403);
    const stranger2 = await createStaff(t.db, stranger, 'kontaktperson');
    const s2 = await login(t.app, stranger2.username, stranger2.password);
    expect((await call(t.app, s2, { method: 'GET', url: `/api/survey/rounds/${roundId}` })).statusCode).toBe(
      404,
    );
  });

  it('reminds the non-responders who have an address, over SMTP', async () => {
    const before = smtp.received.length;
    // The second respondent with an address (direktoer) has answered; nobody else has an address.
    const r = await call(t.app, admin, { method: 'POST', url: `/api/survey/rounds/${roundId}/reminders` });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ respondents: 0, directors: 0 });
    // A new link with an address that has not answered gets a reminder with the same link.
    const l = await pub(t, 'POST', '/api/survey/director/links', {
      token: directorToken,
      role: 'driftschef',
      email: 'drift2@kommune.test',
    });
    const linkToken = tokenIn(l.json().url);
    const r2 = await call(t.app, admin, { method: 'POST', url: `/api/survey/rounds/${roundId}/reminders` });
    expect(r2.json()).toEqual({ respondents: 1, directors: 0 });
    await vi.waitFor(() => expect(smtp.received.some((m) => m.subject.startsWith('Påmindelse'))).toBe(true), {
      timeout: 10_000,
    });
    const reminder = smtp.received.slice(before).find((m) => m.subject.startsWith('Påmindelse'))!;
    expect(reminder.to).toBe('drift2@kommune.test');
    expect(tokenIn(reminder.text)).toBe(linkToken);
  });

  it('imports earlier answers all-or-nothing with a per-row error report', async () => {
    const bad = [
      'kommunekode;rolle;rv_udgifter;sm_aarstal;fp_metoder',
      `${participant.code};Direktør;I høj grad;2019;`,
      `${participant.code};udvalgsformand;måske;;`,
      `777;driftschef;Ved ikke;;fit|mi`,
      `${participant.code};Driftschef;Slet ikke;2019;fit`,
    ].join('\n');
    const r = await call(t.app, admin, {
      method: 'POST',
      url: `/api/survey/rounds/${roundId}/import`,
      payload: { csv: bad },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('import_invalid');
    expect(r.json().rows.map((e: { line: number; column: string }) => `${e.line}:${e.column}`)).toEqual([
      '3:rv_udgifter',
      '4:kommunekode',
      '5:sm_aarstal',
    ]);
    const good = [
      'kommunekode,rolle,rv_udgifter,os_bostoette,fp_metoder,fp_metoder_andet',
      `${participant.code},myndighedschef,I høj grad,Helt enig,fit|andet,"IPS, individuelt job"`,
      `${participant.code},myndighedschef,I nogen grad,Enig,mi,`,
      `903,driftschef,Slet ikke,,fit,`,
    ].join('\r\n');
    const ok = await call(t.app, admin, {
      method: 'POST',
      url: `/api/survey/rounds/${roundId}/import`,
      payload: { csv: good },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ imported: 3 });
  });

  it('publishes only protected aggregates once closed, to the owner and the participant', async () => {
    expect(
      (await call(t.app, manager, { method: 'GET', url: `/api/survey/rounds/${roundId}/report` })).statusCode,
    ).toBe(409);
    const detail = await call(t.app, admin, { method: 'GET', url: `/api/survey/rounds/${roundId}` });
    const closed = await call(t.app, admin, {
      method: 'PUT',
      url: `/api/survey/rounds/${roundId}`,
      payload: { status: 'closed', version: detail.json().version },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    // Closed is final.
    expect(
      (await pub(t, 'POST', '/api/survey/respond/open', { token: respondentTokens[4]! })).statusCode,
    ).toBe(409);
    const quote = await call(t.app, admin, {
      method: 'POST',
      url: `/api/survey/rounds/${roundId}/quotes`,
      payload: {
        pejlemaerke: 'motivation',
        role: 'Udførende medarbejder',
        text: 'Borgerens egne håb er udgangspunktet.',
      },
    });
    expect(quote.statusCode).toBe(201);

    const mine = await call(t.app, manager, { method: 'GET', url: `/api/survey/rounds/${roundId}/report` });
    expect(mine.statusCode).toBe(200);
    const view = mine.json();
    const report = view.report as SurveyReport;
    expect(report.municipalities.map((m) => m.code)).toEqual([participant.code]);
    expect(view.quotes[0].roleLabel).toBe('Udførende medarbejder');
    // Rammevilkår: participant has 3 web answers (udvalgsformand, direktør, myndighedschef) + 2 imported
    // myndighedschefer; 903 one driftschef. Nationally: myndighedschef n=3 is shown, the others are too few.
    const rv = report.pejlemaerker.find((p) => p.code === 'rammevilkaar')!;
    expect(rv.byRole.myndighedschef).toMatchObject({ n: 3 });
    expect(rv.byRole.udvalgsformand).toEqual({ n: null, mean: null, suppressed: 'too_few' });
    expect(rv.byRole.driftschef!.mean).toBeNull();
    // 6 answers in total, but the total would expose the small groups' sum (three singles): withheld.
    expect(rv.total.mean === null || rv.total.n! >= 3).toBe(true);
    // Multiple choice is counted once per municipality, and counts of 1–2 are withheld.
    const metoder = report.items.find((i) => i.code === 'fp_metoder')!;
    expect(metoder.options!.find((o) => o.code === 'fit')!.count).toBeNull();

    expect(
      (await call(t.app, strangerManager, { method: 'GET', url: `/api/survey/rounds/${roundId}/report` }))
        .statusCode,
    ).toBe(404);

    const csv = await call(t.app, manager, {
      method: 'GET',
      url: `/api/survey/rounds/${roundId}/export?format=csv`,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('\uFEFFafsnit;kode;tekst;gruppe;antal;gennemsnit;andel;note');
    const xlsx = await call(t.app, manager, {
      method: 'GET',
      url: `/api/survey/rounds/${roundId}/export?format=xlsx`,
    });
    expect(xlsx.statusCode).toBe(200);
    const files = unzipSync(new Uint8Array(xlsx.rawPayload));
    expect(Object.keys(files)).toContain('xl/worksheets/sheet1.xml');
    expect(strFromU8(files['xl/workbook.xml']!)).toContain('Pejlemærker');
  });
});
