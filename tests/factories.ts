import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/server/db/client';
import {
  cases,
  citizens,
  municipalities,
  orgUnits,
  roleAssignments,
  services,
  users,
} from '../src/server/db/schema';
import { asOwner } from '../src/server/db/seed/owner';
import { hashPassword } from '../src/server/platform/auth/passwords';
import { createCitizenSession, PORTAL_COOKIE } from '../src/server/platform/auth/portal-sessions';
import type { StaffRole, TenantKind } from '../src/shared/enums';

export const TEST_PASSWORD = 'test-password-123';
let hashed: Promise<string> | null = null;
/** One argon2 hash per worker: hashing is deliberately slow. */
export const testPasswordHash = () => {
  hashed ??= hashPassword(TEST_PASSWORD);
  return hashed;
};

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomUUID().slice(0, 4)}`;

export interface TestMunicipality {
  id: string;
  name: string;
  units: { authority: string; provider: string; otherProvider: string };
}

/** A municipality of its own for each test, with one authority and two provider units. */
export async function createMunicipality(
  db: Db,
  opts: { code?: string; kind?: TenantKind } = {},
): Promise<TestMunicipality & { code: string }> {
  const id = randomUUID();
  const code = opts.code ?? `t${unique()}`;
  const name = `Testkommune ${unique()}`;
  const units = { authority: randomUUID(), provider: randomUUID(), otherProvider: randomUUID() };
  await asOwner(db, id, async (tx) => {
    await tx.insert(municipalities).values({ id, code, name, kind: opts.kind ?? 'municipality' });
    await tx.insert(orgUnits).values([
      { id: units.authority, municipalityId: id, name: 'Myndighed', kind: 'myndighed' },
      { id: units.provider, municipalityId: id, name: 'Bostøtte', kind: 'tilbud' },
      { id: units.otherProvider, municipalityId: id, name: 'Botilbud', kind: 'tilbud' },
    ]);
  });
  return { id, name, code, units };
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
}

export async function createUser(
  db: Db,
  m: TestMunicipality,
  grants: [StaffRole, string][],
  opts: { passwordHash?: string } = {},
): Promise<TestUser> {
  const id = randomUUID();
  const username = `u${unique()}`.toLowerCase();
  const passwordHash = opts.passwordHash ?? (await testPasswordHash());
  await asOwner(db, m.id, async (tx) => {
    await tx
      .insert(users)
      .values({ id, municipalityId: m.id, username, displayName: `Test ${username}`, passwordHash });
    for (const [role, unitId] of grants) {
      await tx.insert(roleAssignments).values({ municipalityId: m.id, userId: id, unitId, role });
    }
  });
  return { id, username, password: TEST_PASSWORD };
}

/** A user with the given role at the natural unit for that role. */
export function createStaff(db: Db, m: TestMunicipality, role: StaffRole) {
  return createUser(db, m, [[role, role === 'udfoerer' ? m.units.provider : m.units.authority]]);
}

let cprSeq = 1000;
/** A fictional, valid CPR unique within the run. */
export function fictionalCpr(): string {
  const n = cprSeq++;
  const day = String((n % 28) + 1).padStart(2, '0');
  const month = String((Math.floor(n / 28) % 12) + 1).padStart(2, '0');
  return `${day}${month}85${String(n % 4)}${String(n).padStart(3, '0').slice(-3)}`;
}

export async function createCitizen(
  db: Db,
  m: TestMunicipality,
  over: Partial<typeof citizens.$inferInsert> = {},
): Promise<{ id: string; cpr: string; firstName: string; lastName: string }> {
  const row = {
    id: randomUUID(),
    municipalityId: m.id,
    cpr: fictionalCpr(),
    firstName: 'Testa',
    lastName: `Borger${unique()}`,
    responsibleUnitId: m.units.provider,
    ...over,
  };
  await asOwner(db, m.id, (tx) => tx.insert(citizens).values(row));
  return row;
}

/** Audit rows of a municipality, read as the owner with the tenant set. */
export async function auditRows(db: Db, m: TestMunicipality) {
  return asOwner(db, m.id, async (tx) => {
    const r = await tx.execute(
      sql`select * from audit_events where municipality_id = ${m.id} order by occurred_at, id`,
    );
    return ((r as { rows?: unknown[] }).rows ?? r) as Record<string, unknown>[];
  });
}

/**
 * A case with one service for the citizen at the given provider unit (status granted, active or ended):
 * the only way provider staff reach a citizen.
 */
export async function createServiceFor(
  db: Db,
  m: TestMunicipality,
  citizenId: string,
  providerUnitId: string,
  status: 'granted' | 'active' | 'ended' = 'active',
  overrides: Partial<typeof services.$inferInsert> = {},
): Promise<{ caseId: string; serviceId: string }> {
  const caseId = randomUUID();
  const serviceId = randomUUID();
  await asOwner(db, m.id, async (tx) => {
    const code = async (list: string, kind: string) => {
      const r = await tx.execute(
        sql`select l.key, c.code from codes c join code_lists l on l.key = c.list_key
             where l.system = ${list} and l.is_current and c.kind = ${kind} order by c.sort_order limit 1`,
      );
      return (((r as { rows?: unknown[] }).rows ?? r) as { key: string; code: string }[])[0]!;
    };
    const ydelse = await code('ffb', 'ydelse');
    const target = await code('ffb', 'target_group');
    const paragraph = await code('serviceloven', 'paragraph');
    const end = await code('kl-caresocial', 'end_reason');
    await tx.insert(cases).values({
      id: caseId,
      municipalityId: m.id,
      citizenId,
      caseNumber: `T-${caseId.slice(0, 8)}`,
      phase: 'provision',
      reason: 'Test',
      authorityUnitId: m.units.authority,
      openedOn: '2026-01-01',
    });
    await tx.insert(services).values({
      id: serviceId,
      municipalityId: m.id,
      citizenId,
      caseId,
      ffbList: ydelse.key,
      ydelseCode: ydelse.code,
      paragraphList: paragraph.key,
      paragraphCode: paragraph.code,
      providerUnitId,
      primaryTargetGroupCode: target.code,
      status,
      startOn: status === 'granted' ? null : '2026-01-15',
      endOn: status === 'ended' ? '2026-06-01' : null,
      endReasonList: status === 'ended' ? end.key : null,
      endReasonCode: status === 'ended' ? end.code : null,
      ...overrides,
    });
  });
  return { caseId, serviceId };
}

/** A GAS scale as a caseworker writes it with the citizen (indsatsmål and delmål need one). */
export const gasScale = (what = 'handler ind') => ({
  levels: {
    '-2': `Borgeren ${what} ikke og er holdt op med at forsøge`,
    '-1': `Borgeren ${what} kun med følge hver gang`,
    '0': `Borgeren ${what} alene én gang om ugen`,
    '1': `Borgeren ${what} alene flere gange om ugen`,
    '2': `Borgeren ${what} alene og hjælper en nabo`,
  },
  baseline: -1,
});

/**
 * A portal session for a citizen, as the MitID callback leaves it (the login itself is tested against the
 * broker in portal.test.ts): the cookie and the CSRF token, for the `call` helper.
 */
export async function createPortalSession(
  app: { ctx: { sessions: { secret: string; now: () => Date } } },
  db: Db,
  m: TestMunicipality,
  citizenId: string,
): Promise<{ cookie: string; csrf: string }> {
  const s = await asOwner(db, m.id, (tx) =>
    createCitizenSession(tx, app.ctx.sessions, { municipalityId: m.id, citizenId, level: 'Substantial' }),
  );
  return { cookie: `${PORTAL_COOKIE}=${s.token}`, csrf: s.csrfToken };
}
