import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { citizens, goalProposals, goals, representations } from '../src/server/db/schema';
import { asOwner } from '../src/server/db/seed/owner';
import { startDemoBroker } from '../src/server/platform/auth/mitid-demo';
import type { TestBroker } from '../src/server/platform/auth/mitid-test-broker';
import { PORTAL_COOKIE } from '../src/server/platform/auth/portal-sessions';
import { CITIZEN_ROLE } from '../src/server/platform/tenancy';
import {
  auditRows,
  createCitizen,
  createMunicipality,
  createServiceFor,
  createStaff,
  fictionalCpr,
  type TestMunicipality,
} from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';
import { cookieOf, startPortalLogin } from './portal-login';
import { startSmtp } from './smtp';

/**
 * Issue 14, items 4 (Mine mål), 9 (relatives and representatives) and 10 (secure messages): the citizen's
 * words reach the caseworker and come back answered; a relative logs in with their own MitID and acts within
 * the access the citizen gave, marked as theirs, until it is revoked; messages go between the citizen and the
 * unit's inbox, and the e-mail that tells of one carries nothing of it.
 */

let t: TestApp;
let broker: TestBroker;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let m: TestMunicipality & { code: string };
const cprAnna = fictionalCpr();
const cprBo = fictionalCpr();
const cprRita = fictionalCpr();
const cprOld = fictionalCpr();
let anna: { id: string };
let bo: { id: string };
let annasCase: { caseId: string; serviceId: string };
let bosCase: { caseId: string; serviceId: string };
let caseworker: Session;
let provider: Session;
let annaGoal: string;
let annaIntervention: string;

const identities = [
  { cpr: cprAnna, name: 'Anna Andersen', level: 'Substantial' as const },
  { cpr: cprBo, name: 'Bo Bertelsen', level: 'Substantial' as const },
  { cpr: cprRita, name: 'Rita Andersen', level: 'High' as const },
  { cpr: cprOld, name: 'Ole Gammel', level: 'Substantial' as const },
];

/** A portal session as the browser holds it: the cookie, and the CSRF token the session page answers. */
async function portalSession(cookie: string): Promise<Session> {
  const s = await t.app.inject({ method: 'GET', url: '/api/portal/session', headers: { cookie } });
  expect(s.statusCode, s.body).toBe(200);
  return { cookie, csrf: s.json().csrfToken };
}

/** A whole MitID login through the broker, ending in a session (no choice to make). */
async function portalLogin(cpr: string): Promise<Session> {
  const a = await startPortalLogin(t, cpr, m.code);
  const res = await t.app.inject({ method: 'GET', url: a.callback, headers: { cookie: a.cookie } });
  expect(res.statusCode, res.body).toBe(303);
  expect(res.headers.location).toBe('/portal');
  return portalSession(cookieOf(res, PORTAL_COOKIE)!);
}

const mailsTo = (to: string) => smtp.received.filter((x) => x.to === to);

beforeAll(async () => {
  smtp = await startSmtp();
  const started = await startDemoBroker({
    port: 0,
    host: '127.0.0.1',
    redirectUri: 'http://localhost:3000/api/portal/callback',
    identities,
  });
  broker = started.broker;
  t = await createTestApp({
    env: {
      MITID_ISSUER: started.mitid.issuer,
      MITID_CLIENT_ID: started.mitid.clientId,
      MITID_CLIENT_KEY: JSON.stringify(started.mitid.clientKey),
      SMTP_URL: smtp.url,
    },
  });
  m = await createMunicipality(t.db, { code: '811' });
  anna = await createCitizen(t.db, m, {
    cpr: cprAnna,
    firstName: 'Anna',
    lastName: 'Andersen',
    email: 'anna@borger.test',
  });
  bo = await createCitizen(t.db, m, { cpr: cprBo, firstName: 'Bo', lastName: 'Bertelsen' });
  annasCase = await createServiceFor(t.db, m, anna.id, m.units.provider);
  bosCase = await createServiceFor(t.db, m, bo.id, m.units.provider);
  const cw = await createStaff(t.db, m, 'sagsbehandler');
  caseworker = await login(t.app, cw.username, cw.password);
  const pr = await createStaff(t.db, m, 'udfoerer');
  provider = await login(t.app, pr.username, pr.password);
  const g = await call(t.app, caseworker, {
    method: 'POST',
    url: `/api/cases/${annasCase.caseId}/goals`,
    payload: { kind: 'citizen_goal', title: 'At få det bedre', wordsOf: 'citizen', status: 'active' },
  });
  expect(g.statusCode, g.body).toBe(201);
  annaGoal = g.json().goals.find((x: { title: string }) => x.title === 'At få det bedre').id;
  annaIntervention = randomUUID();
  await asOwner(t.db, m.id, (tx) =>
    tx.insert(goals).values({
      id: annaIntervention,
      municipalityId: m.id,
      citizenId: anna.id,
      caseId: annasCase.caseId,
      kind: 'purpose',
      wordsOf: 'caseworker',
      title: 'Formål',
    }),
  );
}, 60_000);

afterAll(async () => {
  await t?.close();
  await broker?.close();
  await smtp?.close();
});

describe('Mine mål: the citizen proposes, the caseworker accepts or answers', () => {
  let annaS: Session;
  let newProposal: string;
  let changeProposal: string;

  beforeAll(async () => {
    annaS = await portalLogin(cprAnna);
  });

  it('takes a new goal and a change to one of my goals, in my words', async () => {
    const mine = await call(t.app, annaS, { method: 'GET', url: '/api/portal/goals' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().cases[0].goals.map((g: { title: string }) => g.title)).toEqual(['At få det bedre']);
    const n = await call(t.app, annaS, {
      method: 'POST',
      url: '/api/portal/goals/proposals',
      payload: { caseId: annasCase.caseId, goalId: null, words: 'Jeg vil gerne have et fritidsjob' },
    });
    expect(n.statusCode, n.body).toBe(201);
    newProposal = n.json().id;
    const c = await call(t.app, annaS, {
      method: 'POST',
      url: '/api/portal/goals/proposals',
      payload: { caseId: annasCase.caseId, goalId: annaGoal, words: 'At sove bedre om natten' },
    });
    expect(c.statusCode, c.body).toBe(201);
    changeProposal = c.json().id;
  });

  it('refuses another citizen’s case (404) and a goal that is not one of my own goals (422)', async () => {
    const other = await call(t.app, annaS, {
      method: 'POST',
      url: '/api/portal/goals/proposals',
      payload: { caseId: bosCase.caseId, goalId: null, words: 'Snyd' },
    });
    expect(other.statusCode).toBe(404);
    const purpose = await call(t.app, annaS, {
      method: 'POST',
      url: '/api/portal/goals/proposals',
      payload: { caseId: annasCase.caseId, goalId: annaIntervention, words: 'Noget andet' },
    });
    expect(purpose.statusCode).toBe(422);
    expect(purpose.json().code).toBe('goal_invalid');
  });

  it('cannot write an answer or an acceptance itself, not even in SQL as the citizen role', async () => {
    await expect(
      t.database.requestDatabase.transaction(
        { role: CITIZEN_ROLE, 'app.municipality_id': m.id, 'app.citizen_id': anna.id },
        (tx) =>
          tx.insert(goalProposals).values({
            municipalityId: m.id,
            citizenId: anna.id,
            caseId: annasCase.caseId,
            words: 'Godkendt af mig selv',
            status: 'answered',
            answer: 'Ja',
            answeredAt: new Date(),
          }),
      ),
    ).rejects.toThrow();
  });

  it('puts the proposals on the caseworker’s worklist, oldest first, with the citizen’s name', async () => {
    const w = await call(t.app, caseworker, { method: 'GET', url: '/api/goal-proposals?scope=units' });
    expect(w.statusCode).toBe(200);
    const mine = w.json().items.filter((i: { citizen: { id: string } }) => i.citizen.id === anna.id);
    expect(mine.map((i: { words: string }) => i.words)).toEqual([
      'Jeg vil gerne have et fritidsjob',
      'At sove bedre om natten',
    ]);
    expect(mine[1].goal.title).toBe('At få det bedre');
    expect(mine[0].citizen.name).toBe('Anna Andersen');
    // Provider staff do not answer the authority's proposals.
    const p = await call(t.app, provider, {
      method: 'POST',
      url: `/api/goal-proposals/${newProposal}/accept`,
      payload: {},
    });
    expect(p.statusCode).toBe(403);
  });

  it('accepting makes a citizen goal in my words that points back to my proposal, and tells me by e-mail', async () => {
    const before = mailsTo('anna@borger.test').length;
    const r = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/goal-proposals/${newProposal}/accept`,
      payload: { answer: 'Godt mål. Vi taler om det på mødet den 3. december.' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const [g] = await asOwner(t.db, m.id, (tx) =>
      tx.select().from(goals).where(eq(goals.id, r.json().goalId)),
    );
    expect(g).toMatchObject({
      kind: 'citizen_goal',
      title: 'Jeg vil gerne have et fritidsjob',
      wordsOf: 'citizen',
      caseId: annasCase.caseId,
    });
    const mine = await call(t.app, annaS, { method: 'GET', url: '/api/portal/goals' });
    const p = mine.json().proposals.find((x: { id: string }) => x.id === newProposal);
    expect(p).toMatchObject({
      status: 'accepted',
      answer: 'Godt mål. Vi taler om det på mødet den 3. december.',
      resultingGoal: { id: r.json().goalId, title: 'Jeg vil gerne have et fritidsjob' },
    });
    await vi.waitFor(() => expect(mailsTo('anna@borger.test').length).toBe(before + 1), { timeout: 5000 });
    const mail = mailsTo('anna@borger.test').at(-1)!;
    expect(mail.subject).toBe('Du har en ny besked i Retning');
    expect(mail.text).not.toMatch(/fritidsjob|Anna|mødet/);
  });

  it('a change accepted changes my goal’s title to my words; an answered proposal cannot be answered again', async () => {
    const r = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/goal-proposals/${changeProposal}/accept`,
      payload: {},
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().goalId).toBe(annaGoal);
    const [g] = await asOwner(t.db, m.id, (tx) => tx.select().from(goals).where(eq(goals.id, annaGoal)));
    expect(g!.title).toBe('At sove bedre om natten');
    const again = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/goal-proposals/${changeProposal}/answer`,
      payload: { answer: 'Nej' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('proposal_answered');
  });

  it('an answer without accepting reaches me in Mine mål', async () => {
    const n = await call(t.app, annaS, {
      method: 'POST',
      url: '/api/portal/goals/proposals',
      payload: { caseId: annasCase.caseId, goalId: null, words: 'Flytte til Spanien' },
    });
    const r = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/goal-proposals/${n.json().id}/answer`,
      payload: { answer: 'Lad os tale om, hvad Spanien betyder for dig.' },
    });
    expect(r.statusCode).toBe(200);
    const mine = await call(t.app, annaS, { method: 'GET', url: '/api/portal/goals' });
    expect(mine.json().proposals.find((x: { id: string }) => x.id === n.json().id)).toMatchObject({
      status: 'answered',
      answer: 'Lad os tale om, hvad Spanien betyder for dig.',
      resultingGoal: null,
    });
  });
});

describe('secure messages between the citizen and the unit inbox', () => {
  let annaS: Session;
  let boS: Session;
  let thread: string;

  beforeAll(async () => {
    annaS = await portalLogin(cprAnna);
    boS = await portalLogin(cprBo);
  });

  it('offers the caseworker’s unit and the provider of my case, and nobody else', async () => {
    const r = await call(t.app, annaS, { method: 'GET', url: '/api/portal/messages' });
    expect(r.statusCode).toBe(200);
    expect(r.json().recipients.map((x: { unitId: string; kind: string }) => [x.unitId, x.kind])).toEqual([
      [m.units.authority, 'caseworker'],
      [m.units.provider, 'provider'],
    ]);
    const wrong = await call(t.app, annaS, {
      method: 'POST',
      url: '/api/portal/messages',
      payload: { caseId: annasCase.caseId, unitId: m.units.otherProvider, subject: 'Hej', body: 'Hej' },
    });
    expect(wrong.statusCode).toBe(422);
    const bosOwn = await call(t.app, annaS, {
      method: 'POST',
      url: '/api/portal/messages',
      payload: { caseId: bosCase.caseId, unitId: m.units.authority, subject: 'Hej', body: 'Hej' },
    });
    expect(bosOwn.statusCode).toBe(422);
  });

  it('lands in the unit’s inbox, unread, and only there', async () => {
    const r = await call(t.app, annaS, {
      method: 'POST',
      url: '/api/portal/messages',
      payload: {
        caseId: annasCase.caseId,
        unitId: m.units.authority,
        subject: 'Mødet på torsdag',
        body: 'Kan vi flytte mødet til om eftermiddagen?',
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    thread = r.json().id;
    const box = await call(t.app, caseworker, { method: 'GET', url: '/api/messages' });
    expect(box.statusCode).toBe(200);
    expect(box.json().unread).toBe(1);
    expect(box.json().items[0]).toMatchObject({
      id: thread,
      subject: 'Mødet på torsdag',
      unread: 1,
      citizen: { id: anna.id, name: 'Anna Andersen' },
    });
    const other = await call(t.app, provider, { method: 'GET', url: '/api/messages' });
    expect(other.json().items).toEqual([]);
    expect((await call(t.app, provider, { method: 'GET', url: `/api/messages/${thread}` })).statusCode).toBe(
      404,
    );
    // Another unit's inbox by name: refused.
    const named = await call(t.app, caseworker, {
      method: 'GET',
      url: `/api/messages?unitId=${m.units.provider}`,
    });
    expect(named.statusCode).toBe(403);
  });

  it('is read by staff (audited on the citizen), answered, and the citizen is told with no content', async () => {
    const open = await call(t.app, caseworker, { method: 'GET', url: `/api/messages/${thread}` });
    expect(open.statusCode).toBe(200);
    expect(open.json().messages).toHaveLength(1);
    expect(open.json().messages[0]).toMatchObject({
      from: 'citizen',
      body: 'Kan vi flytte mødet til om eftermiddagen?',
    });
    expect((await call(t.app, caseworker, { method: 'GET', url: '/api/messages' })).json().unread).toBe(0);
    const audits = await auditRows(t.db, m);
    expect(
      audits.some(
        (a) => a.resource_type === 'message_thread' && a.action === 'read' && a.citizen_id === anna.id,
      ),
    ).toBe(true);
    const before = mailsTo('anna@borger.test').length;
    const reply = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/messages/${thread}`,
      payload: { body: 'Ja, kl. 14 passer fint.' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json().notified).toBe(true);
    await vi.waitFor(() => expect(mailsTo('anna@borger.test').length).toBe(before + 1), { timeout: 5000 });
    const mail = mailsTo('anna@borger.test').at(-1)!;
    expect(mail.subject).toBe('Du har en ny besked i Retning');
    expect(mail.text).toContain('/portal/beskeder');
    expect(mail.text).not.toMatch(/14|torsdag|Mødet|Anna/);
  });

  it('shows the citizen the answer, unread until opened', async () => {
    const list = await call(t.app, annaS, { method: 'GET', url: '/api/portal/messages' });
    expect(list.json().threads[0]).toMatchObject({ id: thread, unread: 1, lastFrom: 'staff' });
    const open = await call(t.app, annaS, { method: 'GET', url: `/api/portal/messages/${thread}` });
    expect(open.json().messages.map((x: { from: string }) => x.from)).toEqual(['citizen', 'staff']);
    expect(open.json().messages[0].readAt).not.toBeNull();
    const after = await call(t.app, annaS, { method: 'GET', url: '/api/portal/messages' });
    expect(after.json().threads[0].unread).toBe(0);
    const answer = await call(t.app, annaS, {
      method: 'POST',
      url: `/api/portal/messages/${thread}`,
      payload: { body: 'Tak!' },
    });
    expect(answer.statusCode).toBe(201);
  });

  it('shows the staff member’s name as the municipality chose (an administrator’s setting)', async () => {
    const named = await call(t.app, annaS, { method: 'GET', url: `/api/portal/messages/${thread}` });
    expect(named.json().messages.find((x: { from: string }) => x.from === 'staff').name).toBeTruthy();
    const a = await createStaff(t.db, m, 'administrator');
    const admin = await login(t.app, a.username, a.password);
    const off = await call(t.app, admin, {
      method: 'PUT',
      url: '/api/admin/portal-settings',
      payload: { showStaffNames: false },
    });
    expect(off.json()).toEqual({ showStaffNames: false });
    const anonymous = await call(t.app, annaS, { method: 'GET', url: `/api/portal/messages/${thread}` });
    expect(anonymous.json().messages.find((x: { from: string }) => x.from === 'staff').name).toBeNull();
    const log = await call(t.app, annaS, { method: 'GET', url: '/api/portal/log' });
    expect(log.json().showsStaffNames).toBe(false);
    expect(
      log
        .json()
        .items.filter((i: { who: string; name: string | null }) => i.who === 'municipality' && i.name),
    ).toEqual([]);
    await call(t.app, admin, {
      method: 'PUT',
      url: '/api/admin/portal-settings',
      payload: { showStaffNames: true },
    });
  });

  it('staff may write first, from their own unit on the case; the citizen finds it among their threads', async () => {
    const r = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/citizens/${anna.id}/messages`,
      payload: {
        caseId: annasCase.caseId,
        subject: 'Husk tandlægen',
        body: 'Husk tandlægen på mandag kl. 9.',
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const mine = await call(t.app, annaS, { method: 'GET', url: '/api/portal/messages' });
    expect(mine.json().threads.find((x: { id: string }) => x.id === r.json().id)).toMatchObject({
      subject: 'Husk tandlægen',
      unread: 1,
      unit: { id: m.units.authority },
    });
    // Not on another citizen's case, and not as provider staff of a unit that does not work on it.
    const wrong = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/citizens/${anna.id}/messages`,
      payload: { caseId: bosCase.caseId, subject: 'x', body: 'x' },
    });
    expect(wrong.statusCode).toBe(404);
  });

  it('is 404 to another citizen, reading or writing', async () => {
    expect(
      (await call(t.app, boS, { method: 'GET', url: `/api/portal/messages/${thread}` })).statusCode,
    ).toBe(404);
    const w = await call(t.app, boS, {
      method: 'POST',
      url: `/api/portal/messages/${thread}`,
      payload: { body: 'Snyd' },
    });
    expect(w.statusCode).toBe(404);
    expect((await call(t.app, boS, { method: 'GET', url: '/api/portal/messages' })).json().threads).toEqual(
      [],
    );
  });
});

describe('a relative acts for the citizen with their own MitID', () => {
  let annaS: Session;
  let rita: Session;
  let access: string;

  beforeAll(async () => {
    annaS = await portalLogin(cprAnna);
  });

  it('refuses a person nobody gave access', async () => {
    const a = await startPortalLogin(t, cprRita, m.code);
    const res = await t.app.inject({ method: 'GET', url: a.callback, headers: { cookie: a.cookie } });
    expect(res.headers.location).toBe('/portal/logind?fejl=no_citizen');
  });

  it('the citizen gives access: read is always part of it', async () => {
    const r = await call(t.app, annaS, {
      method: 'POST',
      url: '/api/portal/representatives',
      payload: {
        name: 'Rita Andersen',
        cpr: cprRita,
        relation: 'min mor',
        scopes: ['write'],
        validUntil: '2027-05-31',
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    access = r.json().id;
    const list = await call(t.app, annaS, { method: 'GET', url: '/api/portal/representatives' });
    expect(list.json().items[0]).toMatchObject({
      name: 'Rita Andersen',
      relation: 'min mor',
      scopes: ['read', 'write'],
      status: 'active',
      givenHow: 'portal',
    });
    // The relative's CPR number is never read back in the portal.
    expect(JSON.stringify(list.json())).not.toContain(cprRita);
  });

  it('the relative logs in to the citizen’s Retning, reads the plan and writes, marked as theirs', async () => {
    rita = await portalLogin(cprRita);
    const s = await call(t.app, rita, { method: 'GET', url: '/api/portal/session' });
    expect(s.json()).toMatchObject({
      citizen: { firstName: 'Anna', lastName: 'Andersen' },
      representative: { name: 'Rita Andersen', scopes: ['read', 'write'] },
    });
    expect((await call(t.app, rita, { method: 'GET', url: '/api/portal/plan' })).statusCode).toBe(200);
    const w = await call(t.app, rita, {
      method: 'PUT',
      url: '/api/portal/words/hopes',
      payload: { body: 'Anna drømmer om at male igen.', baseVersion: 0 },
    });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().writtenBy).toBe('representative');
    const p = await call(t.app, rita, {
      method: 'POST',
      url: '/api/portal/goals/proposals',
      payload: { caseId: annasCase.caseId, goalId: null, words: 'Male et billede om ugen' },
    });
    expect(p.statusCode).toBe(201);
    const mine = await call(t.app, annaS, { method: 'GET', url: '/api/portal/goals' });
    expect(mine.json().proposals.find((x: { id: string }) => x.id === p.json().id).byRepresentative).toBe(
      true,
    );
    const staff = await call(t.app, caseworker, { method: 'GET', url: '/api/goal-proposals?scope=units' });
    expect(staff.json().items.find((x: { id: string }) => x.id === p.json().id).representative).toBe(
      'Rita Andersen',
    );
  });

  it('what only the citizen may do refuses the relative (consent, questionnaires, access, my data, messages)', async () => {
    const refused = [
      {
        method: 'POST',
        url: '/api/portal/consents',
        payload: { partnerUnitId: randomUUID(), scopes: ['goals'], purpose: 'x', validUntil: '2027-01-01' },
      },
      { method: 'POST', url: '/api/portal/measurements', payload: { instrumentKey: 'WHO-5', answers: {} } },
      {
        method: 'PUT',
        url: '/api/portal/before-follow-up',
        payload: { topics: 'x', ratings: {}, baseVersion: 0 },
      },
      {
        method: 'POST',
        url: '/api/portal/representatives',
        payload: { name: 'X', cpr: fictionalCpr(), scopes: ['read'], validUntil: '2027-01-01' },
      },
      { method: 'POST', url: `/api/portal/representatives/${access}/revoke` },
      { method: 'GET', url: '/api/portal/my-data.json' },
      { method: 'GET', url: '/api/portal/consents' },
      // Rita was not given messages.
      {
        method: 'POST',
        url: '/api/portal/messages',
        payload: { caseId: annasCase.caseId, unitId: m.units.authority, subject: 'Hej', body: 'Hej' },
      },
    ] as const;
    for (const r of refused) {
      const res = await call(t.app, rita, r as never);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json().code).toBe('representative_not_allowed');
    }
  });

  it('the database refuses the relative what only the citizen may write, whatever the route says', async () => {
    await expect(
      t.database.requestDatabase.transaction(
        {
          role: CITIZEN_ROLE,
          'app.municipality_id': m.id,
          'app.citizen_id': anna.id,
          'app.representation_id': access,
        },
        (tx) =>
          tx.insert(representations).values({
            municipalityId: m.id,
            citizenId: anna.id,
            representativeCpr: fictionalCpr(),
            representativeName: 'Snyd',
            scopes: ['read'],
            validFrom: '2026-11-24',
            validUntil: '2027-01-01',
            givenHow: 'portal',
          }),
      ),
    ).rejects.toThrow();
  });

  it('everything the relative did is audited as theirs and shown in the citizen’s Min log with their name', async () => {
    const audits = (await auditRows(t.db, m)).filter((a) => a.actor_role === 'repraesentant');
    expect(audits.length).toBeGreaterThan(3);
    expect(
      audits.every((a) => (a.criteria as { representationId?: string }).representationId === access),
    ).toBe(true);
    expect(audits.every((a) => a.citizen_id === anna.id && a.actor_user_id === null)).toBe(true);
    const log = await call(t.app, annaS, { method: 'GET', url: '/api/portal/log' });
    const hers = log.json().items.filter((i: { who: string }) => i.who === 'representative');
    expect(hers.length).toBe(audits.length);
    expect(hers.every((i: { name: string }) => i.name === 'Rita Andersen')).toBe(true);
  });

  it('the relative sees only their own access, not the citizen’s other relatives', async () => {
    await call(t.app, annaS, {
      method: 'POST',
      url: '/api/portal/representatives',
      payload: { name: 'Bo Bertelsen', cpr: cprBo, scopes: ['messages'], validUntil: '2027-01-31' },
    });
    const list = await call(t.app, rita, { method: 'GET', url: '/api/portal/representatives' });
    expect(list.json().items.map((i: { name: string }) => i.name)).toEqual(['Rita Andersen']);
  });

  it('a person who is a citizen and a representative chooses whom to act for; no session until then', async () => {
    const a = await startPortalLogin(t, cprBo, m.code);
    const res = await t.app.inject({ method: 'GET', url: a.callback, headers: { cookie: a.cookie } });
    expect(res.headers.location).toBe('/portal/vaelg');
    expect(cookieOf(res, PORTAL_COOKIE)).toBeNull();
    const choice = cookieOf(res, '__Host-retning_valg')!;
    const options = await t.app.inject({
      method: 'GET',
      url: '/api/portal/choices',
      headers: { cookie: choice },
    });
    expect(options.json().options).toEqual([
      { id: 'self', as: 'self', name: null },
      { id: expect.any(String), as: 'representative', name: 'Anna Andersen' },
    ]);
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/portal/choose',
      headers: { cookie: choice, 'x-csrf-token': '1' },
      payload: { option: access },
    });
    expect(forged.statusCode).toBe(404);
    const chosen = await t.app.inject({
      method: 'POST',
      url: '/api/portal/choose',
      headers: { cookie: choice, 'x-csrf-token': '1' },
      payload: { option: options.json().options[1].id },
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    const bo = await portalSession(cookieOf(chosen, PORTAL_COOKIE)!);
    const s = await call(t.app, bo, { method: 'GET', url: '/api/portal/session' });
    expect(s.json()).toMatchObject({
      citizen: { firstName: 'Anna' },
      representative: { name: 'Bo Bertelsen' },
    });
    // Bo may write messages for Anna, but not her words.
    const msg = await call(t.app, bo, {
      method: 'POST',
      url: '/api/portal/messages',
      payload: {
        caseId: annasCase.caseId,
        unitId: m.units.authority,
        subject: 'Fra Bo',
        body: 'Anna er syg i dag.',
      },
    });
    expect(msg.statusCode, msg.body).toBe(201);
    const open = await call(t.app, caseworker, { method: 'GET', url: `/api/messages/${msg.json().id}` });
    expect(open.json().messages[0]).toMatchObject({ from: 'representative', name: 'Bo Bertelsen' });
    const words = await call(t.app, bo, {
      method: 'PUT',
      url: '/api/portal/words/hopes',
      payload: { body: 'x', baseVersion: 1 },
    });
    expect(words.statusCode).toBe(403);
    // Without the sealed proof of the login there is nothing to choose.
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/portal/choose',
      headers: { 'x-csrf-token': '1' },
      payload: { option: 'self' },
    });
    expect(none.statusCode).toBe(404);
  });

  it('revoking takes effect at the relative’s next request', async () => {
    expect((await call(t.app, rita, { method: 'GET', url: '/api/portal/plan' })).statusCode).toBe(200);
    const r = await call(t.app, annaS, {
      method: 'POST',
      url: `/api/portal/representatives/${access}/revoke`,
    });
    expect(r.statusCode).toBe(204);
    expect((await call(t.app, rita, { method: 'GET', url: '/api/portal/plan' })).statusCode).toBe(401);
    const list = await call(t.app, annaS, { method: 'GET', url: '/api/portal/representatives' });
    expect(list.json().items.find((i: { id: string }) => i.id === access).status).toBe('revoked');
    // And the next login finds no access.
    const a = await startPortalLogin(t, cprRita, m.code);
    const res = await t.app.inject({ method: 'GET', url: a.callback, headers: { cookie: a.cookie } });
    expect(res.headers.location).toBe('/portal/logind?fejl=no_citizen');
  });

  it('an expired access opens nothing', async () => {
    await asOwner(t.db, m.id, (tx) =>
      tx.insert(representations).values({
        municipalityId: m.id,
        citizenId: anna.id,
        representativeCpr: cprOld,
        representativeName: 'Ole Gammel',
        scopes: ['read'],
        validFrom: '2025-01-01',
        validUntil: '2026-11-23',
        givenHow: 'power_of_attorney',
      }),
    );
    const a = await startPortalLogin(t, cprOld, m.code);
    const res = await t.app.inject({ method: 'GET', url: a.callback, headers: { cookie: a.cookie } });
    expect(res.headers.location).toBe('/portal/logind?fejl=no_citizen');
  });

  it('staff record a digital power of attorney, see every access, and end one', async () => {
    const bad = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/citizens/${bo.id}/representatives`,
      payload: {
        name: 'Bo selv',
        cpr: cprBo,
        scopes: ['read'],
        validUntil: '2027-06-01',
        givenOn: '2026-11-20',
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('representative_is_citizen');
    const r = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/citizens/${bo.id}/representatives`,
      payload: {
        name: 'Rita Andersen',
        cpr: cprRita,
        relation: 'værge',
        scopes: ['read', 'messages'],
        validUntil: '2027-06-01',
        givenOn: '2026-11-20',
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const list = await call(t.app, caseworker, {
      method: 'GET',
      url: `/api/citizens/${bo.id}/representatives`,
    });
    expect(list.json().items[0]).toMatchObject({
      givenHow: 'power_of_attorney',
      validFrom: '2026-11-20',
      status: 'active',
    });
    rita = await portalLogin(cprRita);
    expect(
      (await call(t.app, rita, { method: 'GET', url: '/api/portal/session' })).json().citizen.firstName,
    ).toBe('Bo');
    const end = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/citizens/${bo.id}/representatives/${r.json().id}/revoke`,
    });
    expect(end.statusCode).toBe(204);
    expect((await call(t.app, rita, { method: 'GET', url: '/api/portal/plan' })).statusCode).toBe(401);
    const [row] = await asOwner(t.db, m.id, (tx) => tx.select().from(citizens).where(eq(citizens.id, bo.id)));
    expect(row).toBeTruthy();
  });
});
