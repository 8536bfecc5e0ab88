import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { orgUnits } from '../src/server/db/schema';
import { asOwner } from '../src/server/db/seed/owner';
import { GRANTABLE_ROLES, STAFF_ROLES, type StaffRole, TENANT_KINDS } from '../src/shared/enums';
import {
  createCitizen,
  createMunicipality,
  createPortalSession,
  createServiceFor,
  createStaff,
  fictionalCpr,
  type TestMunicipality,
} from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

let t: TestApp;
let m: TestMunicipality;
let citizenId: string;
let caseId: string;
let endReason: string;
const sessions: Partial<Record<StaffRole, Session>> = {};
/** A citizen's portal session (issue 14): the matrix's eighth role. */
let borger: Session;
const WEB_BUILT = existsSync('dist/web/favicon.svg');
const ROLES: StaffRole[] = [
  'sagsbehandler',
  'udfoerer',
  'leder',
  'analytiker',
  'administrator',
  'skemaadministrator',
  'kontaktperson',
  'partner',
];
let questionnaireId: string;
let roundId: string;
const TOKEN = 'x'.repeat(43);

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db, { code: '123' });
  citizenId = (await createCitizen(t.db, m, { responsibleUnitId: m.units.provider })).id;
  // Provider staff reach the citizen through a service their unit delivers (on another case than caseId).
  await createServiceFor(t.db, m, citizenId, m.units.provider);
  for (const role of ROLES) {
    const u = await createStaff(t.db, m, role);
    sessions[role] = await login(t.app, u.username, u.password);
  }
  const opened = await call(t.app, sessions.sagsbehandler!, {
    method: 'POST',
    url: `/api/citizens/${citizenId}/cases`,
    payload: { reason: 'Matrix' },
  });
  caseId = opened.json().id;
  borger = await createPortalSession(t.app, t.db, m, citizenId);
  const q = await call(t.app, sessions.skemaadministrator!, {
    method: 'POST',
    url: '/api/survey/questionnaires',
    payload: { template: 'kortlaegning-2020' },
  });
  questionnaireId = q.json().id;
  const round = await call(t.app, sessions.skemaadministrator!, {
    method: 'POST',
    url: '/api/survey/rounds',
    payload: {
      questionnaireId,
      title: 'Matrix',
      opensOn: '2026-11-01',
      closesOn: '2026-12-01',
      participants: [{ code: '123', name: 'Matrix Kommune' }],
    },
  });
  roundId = round.json().round.id;
  endReason = t.app.ctx.reference.ofKind(t.app.ctx.reference.current('kl-caresocial').key, 'end_reason')[0]!
    .code;
});
afterAll(() => t.close());

/** A service body that passes the schema; its codes are not FFB codes, so the service refuses it (422). */
const anyService = () => ({
  ydelseCode: randomUUID(),
  paragraphCode: 'SEL §85',
  providerUnitId: m.units.provider,
  primaryTargetGroupCode: randomUUID(),
});

/** A consent body that passes the schema; the unit is no partner organisation, so the rule refuses it. */
const consentBody = () => ({
  partnerUnitId: m.units.provider,
  scopes: ['goals'],
  purpose: 'Afklaring',
  validUntil: '2027-03-01',
});

type Expect = Record<StaffRole | 'anonymous' | 'borger', number>;
/** Staff routes and public routes: a citizen's session is no staff session, so it gets what anonymous gets. */
const all = (code: number, anonymous = 401): Expect => ({
  sagsbehandler: code,
  udfoerer: code,
  leder: code,
  analytiker: code,
  administrator: code,
  skemaadministrator: code,
  kontaktperson: code,
  partner: code,
  anonymous,
  borger: anonymous,
});
const only = (allowed: Partial<Record<StaffRole, number>>): Expect => ({ ...all(403), ...allowed });
/** Portal routes: only a citizen's session opens them; every staff session is unauthenticated there. */
const citizenOnly = (code: number): Expect => ({ ...all(401), borger: code });

/** Every registered route, with a request that reaches it and what each role must get. */
const MATRIX: Record<string, { request: () => { url: string; payload?: unknown }; expect: Expect }> = {
  'GET /healthz': { request: () => ({ url: '/healthz' }), expect: all(200, 200) },
  'GET /metrics': { request: () => ({ url: '/metrics' }), expect: all(200, 200) },
  'GET /api/openapi.json': { request: () => ({ url: '/api/openapi.json' }), expect: all(200, 200) },
  'GET /assets/*': { request: () => ({ url: '/assets/findes-ikke.js' }), expect: all(404, 404) },
  // Public either way: 200 once the web app is built, 404 before.
  'GET /favicon.svg': {
    request: () => ({ url: '/favicon.svg' }),
    expect: all(WEB_BUILT ? 200 : 404, WEB_BUILT ? 200 : 404),
  },
  'POST /api/auth/login': {
    request: () => ({ url: '/api/auth/login', payload: { username: `x${randomUUID()}`, password: 'y' } }),
    expect: all(401, 401),
  },
  'POST /api/auth/logout': { request: () => ({ url: '/api/auth/logout' }), expect: all(-1) },
  'GET /api/auth/session': { request: () => ({ url: '/api/auth/session' }), expect: all(200) },
  'GET /api/auth/demo-logins': { request: () => ({ url: '/api/auth/demo-logins' }), expect: all(200, 200) },
  'GET /api/org/options': { request: () => ({ url: '/api/org/options' }), expect: all(200) },
  'POST /api/citizens/search': {
    request: () => ({ url: '/api/citizens/search', payload: { name: 'Testa' } }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'POST /api/citizens': {
    request: () => ({
      url: '/api/citizens',
      payload: { cpr: fictionalCpr(), firstName: 'A', lastName: 'B' },
    }),
    expect: only({ sagsbehandler: 201 }),
  },
  'GET /api/citizens/:id': {
    request: () => ({ url: `/api/citizens/${citizenId}` }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'PUT /api/citizens/:id': {
    request: () => ({
      url: `/api/citizens/${citizenId}`,
      payload: { cpr: fictionalCpr(), firstName: 'A', lastName: 'B', version: 999 },
    }),
    expect: only({ sagsbehandler: 409 }),
  },
  'DELETE /api/citizens/:id': {
    request: () => ({ url: `/api/citizens/${citizenId}?version=999` }),
    expect: only({ sagsbehandler: 409 }),
  },
  'PUT /api/citizens/:id/narratives/:kind': {
    request: () => ({
      url: `/api/citizens/${citizenId}/narratives/hopes`,
      payload: { body: 'x', writtenBy: 'citizen', baseVersion: 999 },
    }),
    expect: only({ sagsbehandler: 409, udfoerer: 409 }),
  },
  'GET /api/citizens/:id/narratives/:kind/history': {
    request: () => ({ url: `/api/citizens/${citizenId}/narratives/resources/history` }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'POST /api/citizens/:id/network': {
    request: () => ({
      url: `/api/citizens/${citizenId}/network`,
      payload: { name: 'N', relation: 'Ven', contactConsent: 'yes', writtenBy: 'citizen' },
    }),
    expect: only({ sagsbehandler: 201, udfoerer: 201 }),
  },
  'PUT /api/citizens/:id/network/:memberId': {
    request: () => ({
      url: `/api/citizens/${citizenId}/network/${randomUUID()}`,
      payload: { name: 'N', relation: 'Ven', contactConsent: 'yes', writtenBy: 'citizen', baseRevision: 1 },
    }),
    expect: only({ sagsbehandler: 404, udfoerer: 404 }),
  },
  'GET /api/citizens/:id/network/:memberId/history': {
    request: () => ({ url: `/api/citizens/${citizenId}/network/${randomUUID()}/history` }),
    expect: only({ sagsbehandler: 404, udfoerer: 404, leder: 404 }),
  },
  'GET /api/admin/units': {
    request: () => ({ url: '/api/admin/units' }),
    expect: only({ administrator: 200 }),
  },
  'POST /api/admin/units': {
    request: () => ({ url: '/api/admin/units', payload: { name: `Enhed ${randomUUID()}`, kind: 'team' } }),
    expect: only({ administrator: 201 }),
  },
  'PUT /api/admin/units/:id': {
    request: () => ({
      url: `/api/admin/units/${m.units.otherProvider}`,
      payload: { name: 'Botilbud', kind: 'tilbud', active: true, version: 999 },
    }),
    expect: only({ administrator: 409 }),
  },
  'GET /api/admin/users': {
    request: () => ({ url: '/api/admin/users' }),
    expect: only({ administrator: 200 }),
  },
  'POST /api/admin/users': {
    request: () => ({
      url: '/api/admin/users',
      payload: {
        username: `ny.${randomUUID().slice(0, 8)}`,
        displayName: 'Ny',
        password: 'en-lang-adgangskode',
        roles: [],
      },
    }),
    expect: only({ administrator: 201 }),
  },
  'PUT /api/admin/users/:id': {
    request: () => ({
      url: `/api/admin/users/${randomUUID()}`,
      payload: { displayName: 'X', active: true, version: 1 },
    }),
    expect: only({ administrator: 404 }),
  },
  'POST /api/admin/users/:id/password': {
    request: () => ({
      url: `/api/admin/users/${randomUUID()}/password`,
      payload: { password: 'en-lang-adgangskode' },
    }),
    expect: only({ administrator: 404 }),
  },
  'POST /api/admin/users/:id/roles': {
    request: () => ({
      url: `/api/admin/users/${randomUUID()}/roles`,
      payload: { role: 'leder', unitId: m.units.authority },
    }),
    expect: only({ administrator: 422 }),
  },
  'DELETE /api/admin/users/:id/roles/:assignmentId': {
    request: () => ({ url: `/api/admin/users/${randomUUID()}/roles/${randomUUID()}` }),
    expect: only({ administrator: 404 }),
  },
  'GET /api/reference': { request: () => ({ url: '/api/reference' }), expect: all(200) },
  'GET /api/cases': {
    request: () => ({ url: '/api/cases?mine=true' }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'GET /api/citizens/:id/cases': {
    request: () => ({ url: `/api/citizens/${citizenId}/cases` }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'POST /api/citizens/:id/cases': {
    request: () => ({ url: `/api/citizens/${citizenId}/cases`, payload: { reason: 'Ny sag' } }),
    expect: only({ sagsbehandler: 201 }),
  },
  // Provider staff reach cases only through a service at their unit: without one the case does not exist.
  'GET /api/cases/:id': {
    request: () => ({ url: `/api/cases/${caseId}` }),
    expect: only({ sagsbehandler: 200, udfoerer: 404, leder: 200 }),
  },
  'PUT /api/cases/:id/phase': {
    request: () => ({ url: `/api/cases/${caseId}/phase`, payload: { phase: 'plan', version: 999 } }),
    expect: only({ sagsbehandler: 409 }),
  },
  'POST /api/cases/:id/close': {
    request: () => ({
      url: `/api/cases/${caseId}/close`,
      payload: { endReasonCode: endReason, version: 999 },
    }),
    expect: only({ sagsbehandler: 409 }),
  },
  'POST /api/cases/:id/assessments': {
    request: () => ({ url: `/api/cases/${caseId}/assessments`, payload: { kind: 'initial' } }),
    expect: only({ sagsbehandler: 201 }),
  },
  'GET /api/assessments/:id': {
    request: () => ({ url: `/api/assessments/${randomUUID()}` }),
    expect: only({ sagsbehandler: 404, udfoerer: 404, leder: 404 }),
  },
  'PUT /api/assessments/:id': {
    request: () => ({
      url: `/api/assessments/${randomUUID()}`,
      payload: { version: 1, assessedOn: '2026-11-24', life: {}, conditions: [], accounts: [] },
    }),
    expect: only({ sagsbehandler: 404 }),
  },
  'POST /api/assessments/:id/complete': {
    request: () => ({ url: `/api/assessments/${randomUUID()}/complete`, payload: { version: 1 } }),
    expect: only({ sagsbehandler: 404 }),
  },
  'POST /api/cases/:id/goals': {
    request: () => ({
      url: `/api/cases/${caseId}/goals`,
      payload: { kind: 'citizen_goal', title: 'Mit mål', wordsOf: 'citizen' },
    }),
    expect: only({ sagsbehandler: 201 }),
  },
  'PUT /api/goals/:id': {
    request: () => ({
      url: `/api/goals/${randomUUID()}`,
      payload: { title: 'x', wordsOf: 'citizen', version: 1 },
    }),
    expect: only({ sagsbehandler: 404 }),
  },
  'POST /api/goals/:id/notes': {
    request: () => ({ url: `/api/goals/${randomUUID()}/notes`, payload: { body: 'x' } }),
    expect: only({ sagsbehandler: 404 }),
  },
  'GET /api/goals/:id/history': {
    request: () => ({ url: `/api/goals/${randomUUID()}/history` }),
    expect: only({ sagsbehandler: 404, udfoerer: 404, leder: 404 }),
  },
  'POST /api/cases/:id/services': {
    request: () => ({ url: `/api/cases/${caseId}/services`, payload: { ...anyService(), goalIds: [] } }),
    expect: only({ sagsbehandler: 422 }),
  },
  'GET /api/services/:id': {
    request: () => ({ url: `/api/services/${randomUUID()}` }),
    expect: only({ sagsbehandler: 404, udfoerer: 404, leder: 404 }),
  },
  'PUT /api/services/:id': {
    request: () => ({ url: `/api/services/${randomUUID()}`, payload: { ...anyService(), version: 1 } }),
    expect: only({ sagsbehandler: 404 }),
  },
  'POST /api/services/:id/status': {
    request: () => ({
      url: `/api/services/${randomUUID()}/status`,
      payload: { status: 'active', version: 1 },
    }),
    expect: only({ sagsbehandler: 404 }),
  },
  'POST /api/services/:id/provider-plan': {
    request: () => ({ url: `/api/services/${randomUUID()}/provider-plan`, payload: { approach: 'x' } }),
    expect: only({ sagsbehandler: 404, udfoerer: 404 }),
  },
  'POST /api/services/:id/sub-goals': {
    request: () => ({
      url: `/api/services/${randomUUID()}/sub-goals`,
      payload: { kind: 'sub', title: 'x', wordsOf: 'provider', parentGoalId: randomUUID() },
    }),
    expect: only({ sagsbehandler: 404, udfoerer: 404 }),
  },
  'POST /api/services/:id/follow-ups': {
    request: () => ({
      url: `/api/services/${randomUUID()}/follow-ups`,
      payload: { heldOn: '2026-11-01', resultCode: randomUUID() },
    }),
    expect: only({ sagsbehandler: 404, udfoerer: 404 }),
  },
  'GET /api/cases/:id/plans': {
    request: () => ({ url: `/api/cases/${caseId}/plans` }),
    expect: only({ sagsbehandler: 200, udfoerer: 404, leder: 200 }),
  },
  'PUT /api/cases/:id/plan': {
    request: () => ({ url: `/api/cases/${caseId}/plan`, payload: { purpose: 'Formål', rowVersion: 999 } }),
    expect: only({ sagsbehandler: 409 }),
  },
  'POST /api/plans/:id/share': {
    request: () => ({ url: `/api/plans/${randomUUID()}/share`, payload: { rowVersion: 1 } }),
    expect: only({ sagsbehandler: 404 }),
  },
  'GET /api/plans/:id': {
    request: () => ({ url: `/api/plans/${randomUUID()}` }),
    expect: only({ sagsbehandler: 404, udfoerer: 404, leder: 404 }),
  },
  'POST /api/citizens/:id/measurements': {
    request: () => ({
      url: `/api/citizens/${citizenId}/measurements`,
      payload: {
        instrumentKey: 'WHO-5',
        administeredOn: '2026-11-01',
        informantCode: randomUUID(),
        answers: {},
      },
    }),
    expect: only({ sagsbehandler: 422, udfoerer: 404 }),
  },
  'GET /api/citizens/:id/outcomes': {
    request: () => ({ url: `/api/citizens/${citizenId}/outcomes` }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'GET /api/citizens/:id/timeline': {
    request: () => ({ url: `/api/citizens/${citizenId}/timeline` }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'GET /api/worklist': {
    request: () => ({ url: '/api/worklist?scope=units' }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'GET /api/community-offers': {
    request: () => ({ url: '/api/community-offers' }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200, administrator: 200 }),
  },
  'POST /api/community-offers': {
    request: () => ({
      url: '/api/community-offers',
      payload: { name: `Tilbud ${randomUUID()}`, category: 'sport' },
    }),
    expect: only({ sagsbehandler: 201, udfoerer: 201, administrator: 201 }),
  },
  'PUT /api/community-offers/:id': {
    request: () => ({
      url: `/api/community-offers/${randomUUID()}`,
      payload: { name: 'X', category: 'sport', version: 1 },
    }),
    expect: only({ sagsbehandler: 404, udfoerer: 404, administrator: 404 }),
  },
  'POST /api/goals/:id/offers': {
    request: () => ({ url: `/api/goals/${randomUUID()}/offers`, payload: { offerId: randomUUID() } }),
    expect: only({ sagsbehandler: 404 }),
  },
  'PUT /api/goal-offers/:id': {
    request: () => ({ url: `/api/goal-offers/${randomUUID()}`, payload: { status: 'stopped', version: 1 } }),
    expect: only({ sagsbehandler: 404 }),
  },
  'GET /api/catalogue': { request: () => ({ url: '/api/catalogue' }), expect: all(200) },
  'POST /api/admin/catalogue': {
    request: () => ({
      url: '/api/admin/catalogue',
      payload: { kind: 'method', code: `M${randomUUID().slice(0, 6).toUpperCase()}`, name: 'Metode' },
    }),
    expect: only({ administrator: 201 }),
  },
  'PUT /api/admin/catalogue/:id': {
    request: () => ({
      url: `/api/admin/catalogue/${randomUUID()}`,
      payload: { kind: 'method', code: 'MX', name: 'Metode', version: 1 },
    }),
    expect: only({ administrator: 404 }),
  },
  'POST /api/admin/catalogue/import-methods': {
    request: () => ({ url: '/api/admin/catalogue/import-methods' }),
    expect: only({ administrator: 200 }),
  },
  'PUT /api/admin/instruments/:key': {
    request: () => ({ url: '/api/admin/instruments/SRS', payload: { enabled: true } }),
    expect: only({ administrator: 200 }),
  },
  'POST /api/audit/search': {
    request: () => ({ url: '/api/audit/search', payload: {} }),
    expect: only({ administrator: 200, leder: 200 }),
  },
  'GET /api/audit/actors': {
    request: () => ({ url: '/api/audit/actors' }),
    expect: only({ administrator: 200, leder: 200 }),
  },
  'POST /api/audit/verify': {
    request: () => ({ url: '/api/audit/verify' }),
    expect: only({ administrator: 200 }),
  },
  'POST /api/admin/import': {
    request: () => ({ url: '/api/admin/import', payload: { ndjson: '{"type":"citizen"}' } }),
    // A line that is not a valid record: 422 with the line, and nothing written.
    expect: only({ administrator: 422 }),
  },
  'GET /api/keyfigures/overview': {
    request: () => ({ url: '/api/keyfigures/overview?period=year' }),
    expect: only({ leder: 200, analytiker: 200, administrator: 200 }),
  },
  'GET /api/keyfigures/indicators/:key': {
    request: () => ({ url: '/api/keyfigures/indicators/citizens?breakdown=unit' }),
    expect: only({ leder: 200, analytiker: 200, administrator: 200 }),
  },
  'GET /api/keyfigures/ladder': {
    request: () => ({ url: '/api/keyfigures/ladder' }),
    expect: only({ leder: 200, analytiker: 200, administrator: 200 }),
  },
  'GET /api/keyfigures/export': {
    request: () => ({ url: '/api/keyfigures/export?format=csv' }),
    expect: only({ leder: 200, analytiker: 200, administrator: 200 }),
  },
  'GET /api/keyfigures/exchange': {
    request: () => ({ url: '/api/keyfigures/exchange' }),
    expect: only({ leder: 200, analytiker: 200, administrator: 200 }),
  },
  'POST /api/keyfigures/exchange': {
    request: () => ({ url: '/api/keyfigures/exchange', payload: { format: 'x' } }),
    expect: only({ administrator: 400 }),
  },
  'GET /api/keyfigures/municipalities': {
    request: () => ({ url: '/api/keyfigures/municipalities' }),
    expect: only({ leder: 200, analytiker: 200, administrator: 200 }),
  },
  'GET /api/keyfigures/groups': {
    request: () => ({ url: '/api/keyfigures/groups' }),
    expect: only({ leder: 200, analytiker: 200, administrator: 200 }),
  },
  'POST /api/keyfigures/groups': {
    // Four members: under the minimum of five.
    request: () => ({
      url: '/api/keyfigures/groups',
      payload: { name: 'G', members: [1, 2, 3, 4].map(() => randomUUID()) },
    }),
    expect: only({ administrator: 400 }),
  },
  'PUT /api/keyfigures/groups/:id': {
    request: () => ({
      url: `/api/keyfigures/groups/${randomUUID()}`,
      payload: { name: 'G', members: [1, 2, 3, 4, 5].map(() => randomUUID()) },
    }),
    expect: only({ administrator: 422 }),
  },
  'DELETE /api/keyfigures/groups/:id': {
    request: () => ({ url: `/api/keyfigures/groups/${randomUUID()}` }),
    expect: only({ administrator: 404 }),
  },
  'GET /api/keyfigures/settings': {
    request: () => ({ url: '/api/keyfigures/settings' }),
    expect: only({ administrator: 200 }),
  },
  'PUT /api/keyfigures/settings': {
    // Not the first day of a month: refused before anything is written.
    request: () => ({ url: '/api/keyfigures/settings', payload: { from: '2025-01-15' } }),
    expect: only({ administrator: 400 }),
  },
  'GET /api/survey/templates': {
    request: () => ({ url: '/api/survey/templates' }),
    expect: only({ skemaadministrator: 200 }),
  },
  'GET /api/survey/questionnaires': {
    request: () => ({ url: '/api/survey/questionnaires' }),
    expect: only({ skemaadministrator: 200 }),
  },
  'POST /api/survey/questionnaires': {
    request: () => ({ url: '/api/survey/questionnaires', payload: { template: 'principper-2023' } }),
    expect: only({ skemaadministrator: 201 }),
  },
  'GET /api/survey/questionnaires/:id': {
    request: () => ({ url: `/api/survey/questionnaires/${questionnaireId}` }),
    expect: only({ skemaadministrator: 200 }),
  },
  'PUT /api/survey/questionnaires/:id': {
    request: () => ({
      url: `/api/survey/questionnaires/${questionnaireId}`,
      payload: {
        definition: {
          title: 'T',
          themes: [
            {
              code: 't',
              title: 'T',
              pejlemaerker: [
                {
                  code: 'p',
                  title: 'P',
                  items: [{ code: 'i', kind: 'degree', text: 'I', roles: ['direktoer'] }],
                },
              ],
            },
          ],
        },
        version: 1,
      },
    }),
    // The questionnaire is frozen by its round.
    expect: only({ skemaadministrator: 409 }),
  },
  'GET /api/survey/rounds': {
    request: () => ({ url: '/api/survey/rounds' }),
    expect: only({ skemaadministrator: 200, kontaktperson: 200, leder: 200, analytiker: 200 }),
  },
  'POST /api/survey/rounds': {
    request: () => ({
      url: '/api/survey/rounds',
      payload: {
        questionnaireId: randomUUID(),
        title: 'R',
        opensOn: '2026-11-01',
        closesOn: '2026-12-01',
        participants: [{ code: '124', name: 'K' }],
      },
    }),
    expect: only({ skemaadministrator: 422 }),
  },
  'GET /api/survey/rounds/:id': {
    request: () => ({ url: `/api/survey/rounds/${roundId}` }),
    expect: only({ skemaadministrator: 200, kontaktperson: 200 }),
  },
  'PUT /api/survey/rounds/:id': {
    request: () => ({ url: `/api/survey/rounds/${roundId}`, payload: { version: 999 } }),
    expect: only({ skemaadministrator: 409 }),
  },
  'POST /api/survey/rounds/:id/reminders': {
    request: () => ({ url: `/api/survey/rounds/${roundId}/reminders` }),
    expect: only({ skemaadministrator: 200 }),
  },
  'POST /api/survey/rounds/:id/import': {
    request: () => ({ url: `/api/survey/rounds/${roundId}/import`, payload: { csv: 'kommunekode;rolle\n' } }),
    expect: only({ skemaadministrator: 200 }),
  },
  'POST /api/survey/rounds/:id/quotes': {
    request: () => ({
      url: `/api/survey/rounds/${roundId}/quotes`,
      payload: { pejlemaerke: 'findes_ikke', role: 'Leder', text: 'Citat' },
    }),
    expect: only({ skemaadministrator: 422 }),
  },
  'DELETE /api/survey/rounds/:id/quotes/:quoteId': {
    request: () => ({ url: `/api/survey/rounds/${roundId}/quotes/${randomUUID()}` }),
    expect: only({ skemaadministrator: 404 }),
  },
  // The round is still open: results come when it closes.
  'GET /api/survey/rounds/:id/report': {
    request: () => ({ url: `/api/survey/rounds/${roundId}/report` }),
    expect: only({ skemaadministrator: 409, kontaktperson: 409, leder: 409, analytiker: 409 }),
  },
  'GET /api/survey/rounds/:id/export': {
    request: () => ({ url: `/api/survey/rounds/${roundId}/export?format=csv` }),
    expect: only({ skemaadministrator: 409, kontaktperson: 409, leder: 409, analytiker: 409 }),
  },
  'GET /api/mail/outbox': {
    request: () => ({ url: '/api/mail/outbox' }),
    expect: only({ administrator: 200, skemaadministrator: 200 }),
  },
  // Answering needs no account: the link's token decides, for everyone alike.
  'POST /api/survey/respond/open': {
    request: () => ({ url: '/api/survey/respond/open', payload: { token: TOKEN } }),
    expect: all(404, 404),
  },
  'PUT /api/survey/respond/draft': {
    request: () => ({ url: '/api/survey/respond/draft', payload: { token: TOKEN, answers: {} } }),
    expect: all(404, 404),
  },
  'POST /api/survey/respond/submit': {
    request: () => ({ url: '/api/survey/respond/submit', payload: { token: TOKEN, answers: {} } }),
    expect: all(404, 404),
  },
  'POST /api/survey/director/open': {
    request: () => ({ url: '/api/survey/director/open', payload: { token: TOKEN } }),
    expect: all(404, 404),
  },
  'POST /api/survey/director/links': {
    request: () => ({ url: '/api/survey/director/links', payload: { token: TOKEN, role: 'direktoer' } }),
    expect: all(404, 404),
  },
  // The citizen portal (issue 14). This app has no MitID broker configured: login answers 404 to everyone.
  'GET /api/portal/municipalities': {
    request: () => ({ url: '/api/portal/municipalities' }),
    expect: all(404, 404),
  },
  'GET /api/portal/login': {
    request: () => ({ url: '/api/portal/login?kommune=123' }),
    expect: all(404, 404),
  },
  'GET /api/portal/callback': {
    request: () => ({ url: '/api/portal/callback?code=x&state=y' }),
    expect: all(404, 404),
  },
  // Logging the matrix's citizen out would end its session for the rows after; portal.test.ts covers it.
  'POST /api/portal/logout': { request: () => ({ url: '/api/portal/logout' }), expect: citizenOnly(-1) },
  'GET /api/portal/session': { request: () => ({ url: '/api/portal/session' }), expect: citizenOnly(200) },
  'GET /api/portal/plan': { request: () => ({ url: '/api/portal/plan' }), expect: citizenOnly(200) },
  'GET /api/portal/words': { request: () => ({ url: '/api/portal/words' }), expect: citizenOnly(200) },
  'GET /api/portal/log': { request: () => ({ url: '/api/portal/log' }), expect: citizenOnly(200) },
  'POST /api/portal/log/:eventId/question': {
    request: () => ({ url: `/api/portal/log/${randomUUID()}/question`, payload: { question: 'Hvorfor?' } }),
    expect: citizenOnly(404),
  },
  'GET /api/audit/questions': {
    request: () => ({ url: '/api/audit/questions' }),
    expect: only({ administrator: 200 }),
  },
  'POST /api/audit/questions/:id/answer': {
    request: () => ({ url: `/api/audit/questions/${randomUUID()}/answer`, payload: { answer: 'Svar' } }),
    expect: only({ administrator: 404 }),
  },
  'GET /api/portal/my-data.json': {
    request: () => ({ url: '/api/portal/my-data.json' }),
    expect: citizenOnly(200),
  },
  'GET /api/portal/my-data.pdf': {
    request: () => ({ url: '/api/portal/my-data.pdf' }),
    expect: citizenOnly(200),
  },
  'GET /api/portal/before-follow-up': {
    request: () => ({ url: '/api/portal/before-follow-up' }),
    expect: citizenOnly(200),
  },
  'PUT /api/portal/before-follow-up': {
    request: () => ({
      url: '/api/portal/before-follow-up',
      payload: { topics: 'Job', ratings: {}, baseVersion: 0 },
    }),
    expect: citizenOnly(200),
  },
  // Answers outside the scale: refused by the instrument, after the policy let the citizen in.
  'POST /api/portal/measurements': {
    request: () => ({
      url: '/api/portal/measurements',
      payload: { instrumentKey: 'WHO-5', answers: { x: 99 } },
    }),
    expect: citizenOnly(422),
  },
  'GET /api/portal/progress': { request: () => ({ url: '/api/portal/progress' }), expect: citizenOnly(200) },
  'GET /api/portal/consents': { request: () => ({ url: '/api/portal/consents' }), expect: citizenOnly(200) },
  // The unit is not a partner organisation: refused by the rule, after the policy let the citizen in.
  'POST /api/portal/consents': {
    request: () => ({ url: '/api/portal/consents', payload: consentBody() }),
    expect: citizenOnly(422),
  },
  'POST /api/portal/consents/:id/withdraw': {
    request: () => ({ url: `/api/portal/consents/${randomUUID()}/withdraw` }),
    expect: citizenOnly(404),
  },
  'POST /api/portal/consents/:id/narrow': {
    request: () => ({
      url: `/api/portal/consents/${randomUUID()}/narrow`,
      payload: { scopes: ['goals'], validUntil: '2027-01-01' },
    }),
    expect: citizenOnly(404),
  },
  // A partner organisation's staff: the list is theirs; a citizen without consent to their unit is 404.
  'GET /api/partner/citizens': {
    request: () => ({ url: '/api/partner/citizens' }),
    expect: only({ partner: 200 }),
  },
  'GET /api/partner/citizens/:id': {
    request: () => ({ url: `/api/partner/citizens/${citizenId}` }),
    expect: only({ partner: 404 }),
  },
  'GET /api/citizens/:id/consents': {
    request: () => ({ url: `/api/citizens/${citizenId}/consents` }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'POST /api/citizens/:id/consents': {
    request: () => ({
      url: `/api/citizens/${citizenId}/consents`,
      payload: { ...consentBody(), givenHow: 'paper', givenOn: '2026-11-20' },
    }),
    expect: only({ sagsbehandler: 422 }),
  },
  'PUT /api/portal/words/:kind': {
    request: () => ({ url: '/api/portal/words/hopes', payload: { body: 'Mine ord', baseVersion: 0 } }),
    expect: citizenOnly(200),
  },
  // Mine mål, messages and representatives (issue 14, items 4, 9, 10).
  'GET /api/portal/goals': { request: () => ({ url: '/api/portal/goals' }), expect: citizenOnly(200) },
  // A case that is not the citizen's: 404 after the policy let the citizen in.
  'POST /api/portal/goals/proposals': {
    request: () => ({
      url: '/api/portal/goals/proposals',
      payload: { caseId: randomUUID(), goalId: null, words: 'Jeg vil have et job' },
    }),
    expect: citizenOnly(404),
  },
  'GET /api/cases/:id/goal-proposals': {
    request: () => ({ url: `/api/cases/${caseId}/goal-proposals` }),
    expect: only({ sagsbehandler: 200, udfoerer: 404, leder: 200 }),
  },
  'GET /api/goal-proposals': {
    request: () => ({ url: '/api/goal-proposals?scope=units' }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'POST /api/goal-proposals/:id/accept': {
    request: () => ({ url: `/api/goal-proposals/${randomUUID()}/accept`, payload: {} }),
    expect: only({ sagsbehandler: 404 }),
  },
  'POST /api/goal-proposals/:id/answer': {
    request: () => ({
      url: `/api/goal-proposals/${randomUUID()}/answer`,
      payload: { answer: 'Lad os tale om det' },
    }),
    expect: only({ sagsbehandler: 404 }),
  },
  'GET /api/portal/messages': { request: () => ({ url: '/api/portal/messages' }), expect: citizenOnly(200) },
  // A unit that is not on the citizen's case: refused by the rule, after the policy let the citizen in.
  'POST /api/portal/messages': {
    request: () => ({
      url: '/api/portal/messages',
      payload: { caseId, unitId: randomUUID(), subject: 'Spørgsmål', body: 'Hej' },
    }),
    expect: citizenOnly(422),
  },
  'GET /api/portal/messages/:id': {
    request: () => ({ url: `/api/portal/messages/${randomUUID()}` }),
    expect: citizenOnly(404),
  },
  'POST /api/portal/messages/:id': {
    request: () => ({ url: `/api/portal/messages/${randomUUID()}`, payload: { body: 'Hej' } }),
    expect: citizenOnly(404),
  },
  // The case is the authority unit's; provider staff deliver nothing on it.
  'POST /api/citizens/:id/messages': {
    request: () => ({
      url: `/api/citizens/${citizenId}/messages`,
      payload: { caseId, subject: 'Mødet', body: 'Vi ses torsdag.' },
    }),
    expect: only({ sagsbehandler: 201, leder: 201, udfoerer: 404 }),
  },
  'GET /api/messages': {
    request: () => ({ url: '/api/messages' }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'GET /api/messages/:id': {
    request: () => ({ url: `/api/messages/${randomUUID()}` }),
    expect: only({ sagsbehandler: 404, udfoerer: 404, leder: 404 }),
  },
  'POST /api/messages/:id': {
    request: () => ({ url: `/api/messages/${randomUUID()}`, payload: { body: 'Hej' } }),
    expect: only({ sagsbehandler: 404, udfoerer: 404, leder: 404 }),
  },
  'GET /api/portal/representatives': {
    request: () => ({ url: '/api/portal/representatives' }),
    expect: citizenOnly(200),
  },
  // An end date in the past: refused by the rule, after the policy let the citizen in.
  'POST /api/portal/representatives': {
    request: () => ({
      url: '/api/portal/representatives',
      payload: { name: 'Rita Hansen', cpr: fictionalCpr(), scopes: ['read'], validUntil: '2020-01-01' },
    }),
    expect: citizenOnly(422),
  },
  'POST /api/portal/representatives/:id/revoke': {
    request: () => ({ url: `/api/portal/representatives/${randomUUID()}/revoke` }),
    expect: citizenOnly(404),
  },
  'GET /api/citizens/:id/representatives': {
    request: () => ({ url: `/api/citizens/${citizenId}/representatives` }),
    expect: only({ sagsbehandler: 200, udfoerer: 200, leder: 200 }),
  },
  'POST /api/citizens/:id/representatives': {
    request: () => ({
      url: `/api/citizens/${citizenId}/representatives`,
      payload: {
        name: 'Rita Hansen',
        cpr: fictionalCpr(),
        scopes: ['read'],
        validUntil: '2027-06-01',
        givenOn: '2099-01-01',
      },
    }),
    expect: only({ sagsbehandler: 422 }),
  },
  'POST /api/citizens/:id/representatives/:representationId/revoke': {
    request: () => ({ url: `/api/citizens/${citizenId}/representatives/${randomUUID()}/revoke` }),
    expect: only({ sagsbehandler: 404 }),
  },
  'GET /api/admin/portal-settings': {
    request: () => ({ url: '/api/admin/portal-settings' }),
    expect: only({ administrator: 200 }),
  },
  'PUT /api/admin/portal-settings': {
    request: () => ({ url: '/api/admin/portal-settings', payload: { showStaffNames: true } }),
    expect: only({ administrator: 200 }),
  },
  // Choosing whom to act for needs the sealed proof of a MitID login; without it, nothing to choose.
  'GET /api/portal/choices': { request: () => ({ url: '/api/portal/choices' }), expect: all(404, 404) },
  'POST /api/portal/choose': {
    request: () => ({ url: '/api/portal/choose', payload: { option: 'self' } }),
    expect: all(404, 404),
  },
};

describe('route inventory', () => {
  it('refuses to register a route that declares no policy', async () => {
    const app = await buildApp({
      database: t.database,
      config: loadConfig({ NODE_ENV: 'test' }),
      logger: false,
    });
    expect(() => app.get('/api/udeklareret', async () => 'x')).toThrow(/declares no access policy/);
    await app.close().catch(() => undefined);
  });

  it('has a declared policy on every route, and every route is in the role matrix', () => {
    const keys = t.app.routeInventory.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);
    expect(keys.length).toBeGreaterThan(20);
    for (const r of t.app.routeInventory) expect(r.policy).toBeTruthy();
    expect(new Set(keys)).toEqual(new Set(Object.keys(MATRIX)));
  });

  it('marks every route that touches citizen data as audited', () => {
    const citizenData = (x: { url: string; policy: object }) =>
      x.url.startsWith('/api/citizens') ||
      ('citizen' in x.policy && !['/api/portal/session', '/api/portal/logout'].includes(x.url));
    for (const r of t.app.routeInventory.filter(citizenData)) {
      expect(r.audited, `${r.method} ${r.url}`).toBe(true);
    }
  });
});

describe('role × route matrix', () => {
  for (const [key, spec] of Object.entries(MATRIX)) {
    it(key, async () => {
      const method = key.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'DELETE';
      for (const who of [...ROLES, 'anonymous', 'borger'] as const) {
        const expected = spec.expect[who];
        if (expected < 0) continue;
        const { url, payload } = spec.request();
        const s = who === 'anonymous' ? null : who === 'borger' ? borger : sessions[who]!;
        const res = await call(t.app, s, {
          method,
          url,
          payload: payload as Record<string, unknown> | undefined,
          headers: s ? {} : { 'x-csrf-token': '1' },
        });
        expect(res.statusCode, `${who}: ${key} → ${res.body.slice(0, 200)}`).toBe(expected);
      }
    });
  }

  it('logout answers 204 and ends only the caller’s session', async () => {
    const u = await createStaff(t.db, m, 'analytiker');
    const s = await login(t.app, u.username, u.password);
    expect((await call(t.app, s, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect(
      (await call(t.app, sessions.sagsbehandler!, { method: 'GET', url: '/api/auth/session' })).statusCode,
    ).toBe(200);
  });
});

describe('authority stays inside its tenant (issue 12, item 4)', () => {
  it('lets an administrator grant exactly the roles declared for the kind of tenant', async () => {
    for (const kind of TENANT_KINDS) {
      const home = await createMunicipality(t.db, { kind });
      const a = await createStaff(t.db, home, 'administrator');
      const admin = await login(t.app, a.username, a.password);
      const target = await createStaff(t.db, home, 'administrator');
      // A partner organisation's role is granted at a partner unit (and only it there).
      const partnerUnit = randomUUID();
      await asOwner(t.db, home.id, (tx) =>
        tx
          .insert(orgUnits)
          .values({ id: partnerUnit, municipalityId: home.id, name: 'Jobcenter', kind: 'partner' }),
      );
      const unitFor = (role: string) => (role === 'partner' ? partnerUnit : home.units.authority);
      for (const role of STAFF_ROLES) {
        const allowed = GRANTABLE_ROLES[kind].includes(role);
        const grant = await call(t.app, admin, {
          method: 'POST',
          url: `/api/admin/users/${target.id}/roles`,
          payload: { role, unitId: unitFor(role) },
        });
        expect(grant.statusCode, `${kind} grants ${role}`).toBe(allowed ? 200 : 422);
        if (!allowed) expect(grant.json().code).toBe('role_not_grantable');
        // The same rule when the role comes with a new user; nothing of a refused user is kept.
        const username = `g.${randomUUID().slice(0, 8)}`;
        const created = await call(t.app, admin, {
          method: 'POST',
          url: '/api/admin/users',
          payload: {
            username,
            displayName: 'Ny',
            password: 'en-lang-adgangskode',
            roles: [{ role, unitId: unitFor(role) }],
          },
        });
        expect(created.statusCode, `${kind} creates a ${role}`).toBe(allowed ? 201 : 422);
        if (!allowed) {
          expect(created.json().errors[0].field).toBe('roles.0.role');
          const users = await call(t.app, admin, { method: 'GET', url: '/api/admin/users' });
          expect(users.json().items.map((u: { username: string }) => u.username)).not.toContain(username);
        }
      }
    }
    expect(GRANTABLE_ROLES.municipality).not.toContain('skemaadministrator');
  });

  it('grants the partner role only at a partner organisation’s unit, and only it there', async () => {
    const home = await createMunicipality(t.db);
    const a = await createStaff(t.db, home, 'administrator');
    const admin = await login(t.app, a.username, a.password);
    const target = await createStaff(t.db, home, 'administrator');
    const partnerUnit = randomUUID();
    await asOwner(t.db, home.id, (tx) =>
      tx
        .insert(orgUnits)
        .values({ id: partnerUnit, municipalityId: home.id, name: 'Jobcenter', kind: 'partner' }),
    );
    for (const [role, unitId] of [
      ['partner', home.units.authority],
      ['sagsbehandler', partnerUnit],
    ] as const) {
      const res = await call(t.app, admin, {
        method: 'POST',
        url: `/api/admin/users/${target.id}/roles`,
        payload: { role, unitId },
      });
      expect(res.statusCode, `${role}`).toBe(422);
      expect(res.json().code).toBe('role_unit_mismatch');
    }
    // A unit with a municipal role cannot become a partner organisation.
    const units = (await call(t.app, admin, { method: 'GET', url: '/api/admin/units' })).json().items;
    const authority = units.find((u: { id: string }) => u.id === home.units.authority);
    const changed = await call(t.app, admin, {
      method: 'PUT',
      url: `/api/admin/units/${home.units.authority}`,
      payload: {
        name: authority.name,
        kind: 'partner',
        parentId: null,
        active: true,
        version: authority.version,
      },
    });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().code).toBe('role_unit_mismatch');
  });

  it('lets only the national agency open a round that asks other municipalities', async () => {
    const other = await createMunicipality(t.db, { code: '124' });
    const open = (s: Session, participants: { code: string; name: string }[]) =>
      call(t.app, s, {
        method: 'POST',
        url: '/api/survey/rounds',
        payload: {
          questionnaireId,
          title: 'Runde',
          opensOn: '2026-11-01',
          closesOn: '2026-12-01',
          participants,
        },
      });
    // A survey administrator in a municipality (granted before the rule, or by an operator) asks itself only.
    const local = sessions.skemaadministrator!;
    const crossing = await open(local, [{ code: other.code, name: 'Prøve Kommune' }]);
    expect(crossing.statusCode).toBe(422);
    expect(crossing.json().code).toBe('participants_not_allowed');
    expect((await open(local, [{ code: '123', name: 'Matrix Kommune' }])).statusCode).toBe(201);
    const agency = await createMunicipality(t.db, { kind: 'national_agency' });
    const s = await createStaff(t.db, agency, 'skemaadministrator');
    const national = await login(t.app, s.username, s.password);
    const q = await call(t.app, national, {
      method: 'POST',
      url: '/api/survey/questionnaires',
      payload: { template: 'kortlaegning-2020' },
    });
    const round = await call(t.app, national, {
      method: 'POST',
      url: '/api/survey/rounds',
      payload: {
        questionnaireId: q.json().id,
        title: 'National runde',
        opensOn: '2026-11-01',
        closesOn: '2026-12-01',
        participants: [
          { code: other.code, name: 'Prøve Kommune' },
          { code: '123', name: 'Matrix Kommune' },
        ],
      },
    });
    expect(round.statusCode, round.body).toBe(201);
  });
});

describe('ending a service is the authority’s decision (issue 12, item 9)', () => {
  it('lets the provider recommend ending at a follow-up; only the caseworker ends it', async () => {
    const ref = t.app.ctx.reference;
    const ffb = ref.current('ffb').key;
    const ending = ref.ofKind(ffb, 'follow_up_result').find((c) => c.attrs.ends === true)!.code;
    const { serviceId } = await createServiceFor(t.db, m, citizenId, m.units.provider, 'active');
    const followUp = (s: Session) =>
      call(t.app, s, {
        method: 'POST',
        url: `/api/services/${serviceId}/follow-ups`,
        payload: { heldOn: '2026-11-20', resultCode: ending, endReasonCode: endReason },
      });
    const byProvider = await followUp(sessions.udfoerer!);
    expect(byProvider.statusCode, byProvider.body).toBe(201);
    const after = byProvider.json();
    expect(after.status).toBe('active');
    expect(after.followUps.at(-1)).toMatchObject({ endRecommended: true, endReason: { code: endReason } });
    expect(after.endRecommendation).toMatchObject({ on: '2026-11-20', reason: { code: endReason } });
    // The caseworker sees the recommendation on the unit's worklist, even with no follow-up due.
    const wl = await call(t.app, sessions.sagsbehandler!, {
      method: 'GET',
      url: '/api/worklist?scope=units',
    });
    expect(
      wl.json().items.find((i: { serviceId: string }) => i.serviceId === serviceId).endRecommended,
    ).toEqual({
      reason: expect.any(String),
    });
    // The provider cannot end it by changing its status either.
    const status = await call(t.app, sessions.udfoerer!, {
      method: 'POST',
      url: `/api/services/${serviceId}/status`,
      payload: { status: 'ended', endReasonCode: endReason, version: after.version },
    });
    expect(status.statusCode).toBe(403);
    // The caseworker's follow-up with the same result ends the service.
    const byCaseworker = await followUp(sessions.sagsbehandler!);
    expect(byCaseworker.statusCode, byCaseworker.body).toBe(201);
    expect(byCaseworker.json()).toMatchObject({ status: 'ended', endRecommendation: null });
    expect(byCaseworker.json().followUps.at(-1).endRecommended).toBe(false);
  });
});
