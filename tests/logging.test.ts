import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CPR_PATTERN, genReqId, loggableError, scrubbing } from '../src/server/platform/http';
import { createCitizen, createMunicipality, createStaff, type TestMunicipality } from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

/**
 * Logs carry no personal data (issue 12, items 2 and 3): a failing query logs its error class, SQL state,
 * constraint and request id, never the parameters; a failed login or search logs neither username nor term;
 * the CPR mask catches the forms that slipped through it before.
 */
let t: TestApp;
let m: TestMunicipality;
let caseworker: Session;
let admin: Session;

/** Values no log line may hold: each unique, so a match can only come from the request. */
const PERSONAL = {
  firstName: 'Karoline',
  lastName: 'Unikumsen',
  phone: '+45 31 41 59 26',
  email: 'karoline.unikumsen@example.dk',
  address: 'Hemmelighedsvej 42',
  city: 'Fiktivby',
  hopes: 'Diagnose paranoid skizofreni F20.0, jeg håber at komme i arbejde (unikt-ord-7731)',
  network: 'Mormor Ingeborg Unikumsen',
  reason: 'Indlagt på lukket afsnit, selvmordsforsøg (unikt-ord-9917)',
  username: 'karoline.unikumsen',
  search: 'Unikumsen',
};
const leaked = (logs: string[]) =>
  Object.values(PERSONAL).filter((v) => logs.some((line) => line.toLowerCase().includes(v.toLowerCase())));

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  caseworker = await (async () => {
    const u = await createStaff(t.db, m, 'sagsbehandler');
    return login(t.app, u.username, u.password);
  })();
  const a = await createStaff(t.db, m, 'administrator');
  admin = await login(t.app, a.username, a.password);
});
afterAll(() => t.close());

/**
 * As the owner: every write to these tables fails inside the database, after the app sent its values.
 * Returns the repair.
 */
async function breakWrites(tables: string[]) {
  await t.database.transaction({}, async (tx) => {
    await tx.execute(
      sql.raw(`create or replace function test_fail() returns trigger language plpgsql as
        $$ begin raise exception 'test failure'; end $$`),
    );
    for (const table of tables)
      await tx.execute(
        sql.raw(`create trigger test_fail before insert or update on ${table}
                 for each row execute function test_fail()`),
      );
  });
  return () =>
    t.database.transaction({}, async (tx) => {
      for (const table of tables) await tx.execute(sql.raw(`drop trigger test_fail on ${table}`));
    });
}

describe('logs', () => {
  it('carry no parameters, bodies or texts when the database fails a write', async () => {
    const citizen = await createCitizen(t.db, m, { responsibleUnitId: m.units.authority });
    const repair = await breakWrites(['citizens', 'citizen_narratives', 'network_members', 'cases', 'users']);
    t.logs.length = 0;
    const requests = [
      call(t.app, caseworker, {
        method: 'POST',
        url: '/api/citizens',
        payload: {
          cpr: '1212851234',
          firstName: PERSONAL.firstName,
          lastName: PERSONAL.lastName,
          phone: PERSONAL.phone,
          email: PERSONAL.email,
          address: PERSONAL.address,
          city: PERSONAL.city,
        },
      }),
      call(t.app, caseworker, {
        method: 'PUT',
        url: `/api/citizens/${citizen.id}/narratives/hopes`,
        payload: { body: PERSONAL.hopes, writtenBy: 'citizen', baseVersion: 0 },
      }),
      call(t.app, caseworker, {
        method: 'POST',
        url: `/api/citizens/${citizen.id}/network`,
        payload: {
          name: PERSONAL.network,
          relation: 'mormor',
          phone: PERSONAL.phone,
          contactConsent: 'yes',
          writtenBy: 'citizen',
        },
      }),
      call(t.app, caseworker, {
        method: 'POST',
        url: `/api/citizens/${citizen.id}/cases`,
        payload: { reason: PERSONAL.reason },
      }),
      call(t.app, admin, {
        method: 'POST',
        url: '/api/admin/users',
        payload: {
          username: PERSONAL.username,
          displayName: `${PERSONAL.firstName} ${PERSONAL.lastName}`,
          email: PERSONAL.email,
          password: 'en-lang-adgangskode-1',
        },
      }),
    ];
    const answers = await Promise.all(requests);
    await repair();
    for (const res of answers) expect(res.statusCode).toBe(500);
    const failures = t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request failed');
    expect(failures).toHaveLength(5);
    for (const f of failures) {
      // What an operator needs: the class, the SQL state, and the request to find.
      expect(f.err.type).toBe('DrizzleQueryError');
      expect(f.err.code).toBe('P0001');
      expect(typeof f.reqId).toBe('string');
      expect(f.err.stack).toMatch(/^\s+at /);
    }
    expect(leaked(t.logs)).toEqual([]);
    expect(t.logs.join('\n')).not.toMatch(/Failed query|params:|test failure/);
  });

  it('carry neither the username of a failed login nor the term of a failed search', async () => {
    t.logs.length = 0;
    const res = await call(t.app, null, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: PERSONAL.username, password: 'forkert-adgangskode' },
      headers: { 'x-csrf-token': '1' },
    });
    expect(res.statusCode).toBe(401);
    // A search the database cannot answer: its term travels only as a parameter.
    await t.database.transaction({}, (tx) =>
      tx.execute(sql`alter table citizens rename column first_name to first_name_gone`),
    );
    try {
      const search = await call(t.app, caseworker, {
        method: 'POST',
        url: '/api/citizens/search',
        payload: { name: PERSONAL.search },
      });
      expect(search.statusCode).toBe(500);
    } finally {
      await t.database.transaction({}, (tx) =>
        tx.execute(sql`alter table citizens rename column first_name_gone to first_name`),
      );
    }
    const lines = t.logs.map((l) => JSON.parse(l));
    expect(lines.find((l) => l.msg === 'request failed').err.code).toBe('42703');
    expect(leaked(t.logs)).toEqual([]);
  });

  it('keep a refused constraint for the operator, and the answer does not name it', async () => {
    const citizen = await createCitizen(t.db, m, { responsibleUnitId: m.units.authority });
    t.logs.length = 0;
    const res = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/citizens/${citizen.id}/cases`,
      payload: { reason: 'Ny sag', authorityUnitId: randomUUID() },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toMatch(/_fkey|_fk\b|_check|_key\b|constraint/i);
  });
});

describe('the CPR mask and request ids', () => {
  it('masks a CPR number glued to letters, URL-encoded or in a request id', () => {
    const out: string[] = [];
    const s = scrubbing({ write: (l) => void out.push(l) });
    for (const form of [
      'x2705750830',
      'cpr2705750830',
      '270575%200830',
      '270575%2D0830',
      '270575-0830',
      '270575 0830',
      '/api/citizens/2705750830/cases',
      '{"reqId":"abc2705750830def"}',
    ]) {
      out.length = 0;
      s.write(form);
      expect(out[0], form).not.toMatch(/2705750830|270575.{0,3}0830/);
      expect(out[0], form).toContain('[cpr]');
    }
  });

  it('leaves numbers alone that cannot be a CPR number', () => {
    for (const n of [
      '2147483648',
      '9007199254740991',
      '12345678901',
      'v1733472000',
      '3213991234',
      '0100851234',
    ])
      expect(n.match(CPR_PATTERN), n).toBeNull();
  });

  it('takes a client-sent request id only when it is a UUID', () => {
    const id = randomUUID();
    expect(genReqId({ headers: { 'x-request-id': id } })).toBe(id);
    for (const bad of ['x2705750830', 'abcdefgh', `${id}x`, '../../etc'])
      expect(genReqId({ headers: { 'x-request-id': bad } })).not.toBe(bad);
  });

  it('log a client-sent request id that is no UUID as a new one', async () => {
    t.logs.length = 0;
    const res = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'cpr2705750830' },
    });
    expect(res.headers['x-request-id']).not.toContain('2705750830');
    expect(t.logs.join('\n')).not.toContain('2705750830');
  });

  it('describes an error by class and code, never by its message', () => {
    const err = Object.assign(new Error('Failed query: select … params: Karoline'), {
      cause: Object.assign(new Error('value "Karoline" is bad'), { code: '22021', constraint: 'x_check' }),
    });
    const logged = JSON.stringify(loggableError(err));
    expect(logged).not.toContain('Karoline');
    expect(loggableError(err)).toMatchObject({ type: 'Error', code: '22021', constraint: 'x_check' });
  });
});
