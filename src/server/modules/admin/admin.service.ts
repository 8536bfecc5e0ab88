import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { GRANTABLE_ROLES, type StaffRole } from '../../../shared/enums';
import type {
  PortalSettings,
  roleGrantBody,
  unitBody,
  unitUpdateBody,
  userCreateBody,
  userUpdateBody,
} from '../../../shared/schemas';
import { municipalities, orgUnits, roleAssignments, users } from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { hashPassword } from '../../platform/auth/passwords';
import { endUserSessions } from '../../platform/auth/sessions';
import { conflict, notFound, Problem, unprocessable } from '../../platform/errors';
import type { Actor } from '../../platform/policy';
import { ownMunicipality, rowsOf, type Tx } from '../../platform/tenancy';

/** An administrator may not lock themselves out; another administrator must do it. */
const selfLockout = () =>
  conflict('self_lockout', 'Du kan ikke deaktivere dig selv eller fjerne din egen administratorrolle.');

const unitColumns = {
  id: orgUnits.id,
  name: orgUnits.name,
  kind: orgUnits.kind,
  parentId: orgUnits.parentId,
  providerType: orgUnits.providerType,
  active: orgUnits.active,
  version: orgUnits.version,
};

/** Organisation units of the municipality, for administration and pickers. */
export function listUnits(tx: Tx) {
  return tx.select(unitColumns).from(orgUnits).orderBy(asc(orgUnits.name));
}

export async function createUnit(tx: Tx, actor: Actor, body: z.infer<typeof unitBody>) {
  const [u] = await tx
    .insert(orgUnits)
    .values({ ...body, municipalityId: actor.municipalityId })
    .returning(unitColumns);
  return u!;
}

export async function updateUnit(tx: Tx, id: string, body: z.infer<typeof unitUpdateBody>) {
  if (body.parentId === id)
    throw new Problem(422, 'invalid_parent', 'En enhed kan ikke ligge under sig selv.');
  const { version, ...fields } = body;
  // A unit that becomes, or stops being, a partner organisation must not keep roles of the other side.
  const held = await tx
    .select({ role: roleAssignments.role })
    .from(roleAssignments)
    .where(eq(roleAssignments.unitId, id));
  if (held.some((r) => (r.role === 'partner') !== (body.kind === 'partner')))
    throw unprocessable(
      'role_unit_mismatch',
      'Enheden har roller, der ikke passer til den nye slags. Fjern dem først.',
      [{ field: 'kind', message: 'Enheden har roller af den anden slags', code: 'role_unit_mismatch' }],
    );
  const [u] = await tx
    .update(orgUnits)
    .set({ ...fields, version: sql`${orgUnits.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(orgUnits.id, id), eq(orgUnits.version, version)))
    .returning(unitColumns);
  if (u) return u;
  const [current] = await tx.select(unitColumns).from(orgUnits).where(eq(orgUnits.id, id));
  if (!current) throw notFound('Enheden');
  throw conflict('version_conflict', 'Enheden er ændret af en anden.', { current });
}

const userColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  email: users.email,
  active: users.active,
  version: users.version,
};

/** Users with their role assignments. */
export async function listUsers(tx: Tx, onlyId?: string) {
  const list = await tx
    .select(userColumns)
    .from(users)
    .where(onlyId ? eq(users.id, onlyId) : undefined)
    .orderBy(asc(users.displayName));
  const grants = await tx
    .select({
      id: roleAssignments.id,
      userId: roleAssignments.userId,
      role: roleAssignments.role,
      unitId: roleAssignments.unitId,
    })
    .from(roleAssignments)
    .where(onlyId ? eq(roleAssignments.userId, onlyId) : undefined);
  return list.map((u) => ({
    ...u,
    roles: grants
      .filter((g) => g.userId === u.id)
      .map(({ id, role, unitId }) => ({ id, role: role as StaffRole, unitId })),
  }));
}

async function getUser(tx: Tx, id: string) {
  const [u] = await listUsers(tx, id);
  if (!u) throw notFound('Brugeren');
  return u;
}

export async function createUser(tx: Tx, actor: Actor, body: z.infer<typeof userCreateBody>) {
  if (rowsOf(await tx.execute(sql`select 1 from auth_find_user(${body.username})`)).length) {
    throw conflict('username_taken', 'Brugernavnet er optaget.');
  }
  const [u] = await tx
    .insert(users)
    .values({
      municipalityId: actor.municipalityId,
      username: body.username,
      displayName: body.displayName,
      email: body.email,
      passwordHash: await hashPassword(body.password),
    })
    .returning({ id: users.id });
  if (body.roles.length) await insertGrants(tx, actor, u!.id, body.roles, (i) => `roles.${i}.role`);
  return getUser(tx, u!.id);
}

/** Updates a user; deactivation ends every session of theirs at once. */
export async function updateUser(tx: Tx, actor: Actor, id: string, body: z.infer<typeof userUpdateBody>) {
  if (id === actor.userId && !body.active) throw selfLockout();
  const { version, ...fields } = body;
  const [u] = await tx
    .update(users)
    .set({ ...fields, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(users.id, id), eq(users.version, version)))
    .returning({ id: users.id });
  if (!u) {
    const current = await getUser(tx, id);
    throw conflict('version_conflict', 'Brugeren er ændret af en anden.', { current });
  }
  if (!fields.active) await endUserSessions(tx, id);
  return getUser(tx, id);
}

export async function setPassword(tx: Tx, id: string, password: string) {
  const [u] = await tx
    .update(users)
    .set({ passwordHash: await hashPassword(password), updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning({ id: users.id });
  if (!u) throw notFound('Brugeren');
  await endUserSessions(tx, id);
}

/** The roles an administrator of this organisation may grant. */
export async function grantableRoles(tx: Tx): Promise<readonly StaffRole[]> {
  return GRANTABLE_ROLES[(await ownMunicipality(tx)).kind];
}

/**
 * The one way roles are granted. Only the roles declared for the kind of tenant may be granted
 * (GRANTABLE_ROLES): a municipality cannot make one of its users a national survey administrator.
 */
async function insertGrants(
  tx: Tx,
  actor: Actor,
  userId: string,
  grants: z.infer<typeof roleGrantBody>[],
  fieldOf: (i: number) => string,
) {
  const allowed = await grantableRoles(tx);
  const refused = grants.map((g, i) => ({ g, i })).filter(({ g }) => !allowed.includes(g.role));
  if (refused.length)
    throw unprocessable(
      'role_not_grantable',
      'Rollen kan ikke tildeles her: den hører til en anden slags organisation.',
      refused.map(({ i }) => ({
        field: fieldOf(i),
        message: 'Rollen kan ikke tildeles i denne organisation',
        code: 'role_not_grantable',
      })),
    );
  // A partner organisation's staff hold the partner role, at a partner unit, and nothing else there: a
  // municipal role at a partner unit would reach every citizen; the partner role elsewhere would mean nothing.
  const unitIds = [...new Set(grants.map((g) => g.unitId))];
  const kinds = new Map(
    (
      await tx
        .select({ id: orgUnits.id, kind: orgUnits.kind })
        .from(orgUnits)
        .where(inArray(orgUnits.id, unitIds))
    ).map((u) => [u.id, u.kind]),
  );
  const mismatched = grants
    .map((g, i) => ({ g, i }))
    .filter(({ g }) => kinds.has(g.unitId) && (g.role === 'partner') !== (kinds.get(g.unitId) === 'partner'));
  if (mismatched.length)
    throw unprocessable(
      'role_unit_mismatch',
      'Rollen samarbejdspartner gives ved en samarbejdspartners enhed, og kun den rolle dér.',
      mismatched.map(({ i }) => ({
        field: fieldOf(i),
        message: 'Rollen passer ikke til enhedens slags',
        code: 'role_unit_mismatch',
      })),
    );
  return tx
    .insert(roleAssignments)
    .values(
      grants.map((g) => ({ municipalityId: actor.municipalityId, userId, unitId: g.unitId, role: g.role })),
    )
    .onConflictDoNothing();
}

export async function grantRole(tx: Tx, actor: Actor, userId: string, g: z.infer<typeof roleGrantBody>) {
  await insertGrants(tx, actor, userId, [g], () => 'role');
  return getUser(tx, userId);
}

/** Removes a role; the user's sessions end at once (sessions also re-check roles on every request). */
export async function revokeRole(tx: Tx, actor: Actor, userId: string, assignmentId: string) {
  const [grant] = await tx
    .select({ role: roleAssignments.role })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.id, assignmentId), eq(roleAssignments.userId, userId)));
  if (grant?.role === 'administrator' && userId === actor.userId) throw selfLockout();
  const removed = await tx
    .delete(roleAssignments)
    .where(and(eq(roleAssignments.id, assignmentId), eq(roleAssignments.userId, userId)))
    .returning({ id: roleAssignments.id });
  if (!removed.length) throw notFound('Rolletildelingen');
  await endUserSessions(tx, userId);
  return getUser(tx, userId);
}

/** Names of units and staff, for pickers in forms (no personal data beyond staff names). */
export async function orgOptions(tx: Tx) {
  const units = await tx
    .select({ id: orgUnits.id, name: orgUnits.name, kind: orgUnits.kind })
    .from(orgUnits)
    .where(eq(orgUnits.active, true))
    .orderBy(asc(orgUnits.name));
  const caseworkers = await tx
    .selectDistinct({ id: users.id, displayName: users.displayName })
    .from(users)
    .innerJoin(roleAssignments, eq(roleAssignments.userId, users.id))
    .where(and(eq(users.active, true), eq(roleAssignments.role, 'sagsbehandler')))
    .orderBy(asc(users.displayName));
  return { units, caseworkers };
}

/** Min Retning's settings: whether citizens see staff names in Min log and in messages (default: yes). */
export async function portalSettings(tx: Tx) {
  const [m] = await tx.select({ showStaffNames: municipalities.portalShowStaffNames }).from(municipalities);
  return { showStaffNames: m?.showStaffNames ?? true };
}

export async function savePortalSettings(tx: Tx, ctx: AuditContext, body: PortalSettings) {
  await tx
    .update(municipalities)
    .set({ portalShowStaffNames: body.showStaffNames })
    .where(eq(municipalities.id, ctx.actor.municipalityId));
  await audit(tx, ctx, {
    action: 'update',
    policy: 'admin.manage',
    resourceType: 'portal_settings',
    criteria: { showStaffNames: body.showStaffNames },
  });
  return portalSettings(tx);
}
