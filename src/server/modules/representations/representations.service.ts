import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { addMonths } from '../../../shared/domain/dates';
import type { PortalRepresentationGive, StaffRepresentationRecord } from '../../../shared/schemas';
import { citizens, representations } from '../../db/schema';
import { type AuditContext, audit, auditCitizen, type PortalAuditContext } from '../../platform/audit';
import { unprocessable } from '../../platform/errors';
import type { Tx } from '../../platform/tenancy';

/**
 * Relatives and representatives (issue 14, item 9). The citizen gives a named person access in the portal —
 * what they may do and until when — or staff record a digital power of attorney. The person logs in with
 * their own MitID; everything they do is marked and audited as theirs. Revoking takes effect at their next
 * request (the session resolver checks the representation every time).
 */

/** The longest access the citizen gives at a time (it can be renewed). */
const MAX_MONTHS = 36;

const columns = {
  id: representations.id,
  name: representations.representativeName,
  relation: representations.relation,
  scopes: representations.scopes,
  validFrom: representations.validFrom,
  validUntil: representations.validUntil,
  givenHow: representations.givenHow,
  createdAt: representations.createdAt,
  revokedAt: representations.revokedAt,
  revokedBy: representations.revokedBy,
};
type Row = {
  id: string;
  name: string;
  relation: string;
  scopes: string[];
  validFrom: string;
  validUntil: string;
  givenHow: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
};

const present = (r: Row, today: string) => ({
  id: r.id,
  name: r.name,
  relation: r.relation || null,
  scopes: r.scopes,
  validFrom: r.validFrom,
  validUntil: r.validUntil,
  /** 'portal': given by the citizen; 'power_of_attorney': recorded by staff. */
  givenHow: r.givenHow,
  status: r.revokedAt
    ? 'revoked'
    : today > r.validUntil
      ? 'expired'
      : today < r.validFrom
        ? 'future'
        : 'active',
  revokedAt: r.revokedAt?.toISOString() ?? null,
  revokedBy: r.revokedBy,
});

function check(body: { validUntil: string }, from: string, today: string) {
  if (body.validUntil < today || body.validUntil < from || body.validUntil > addMonths(today, MAX_MONTHS))
    throw unprocessable('invalid_until', 'Adgangen gælder fra i dag og højst tre år frem.', [
      { field: 'validUntil', message: 'Fra i dag og højst tre år frem', code: 'invalid_until' },
    ]);
}

const notSelf = () =>
  unprocessable('representative_is_citizen', 'Du kan ikke give dig selv adgang.', [
    { field: 'cpr', message: 'Det er borgerens eget CPR-nummer', code: 'representative_is_citizen' },
  ]);

// ---------------------------------------------------------------- the citizen, in the portal

/** Mine pårørende: whom I have given access (a representative sees only their own access). */
export async function myRepresentations(tx: Tx, ctx: PortalAuditContext, today: string) {
  const rows = await tx.select(columns).from(representations).orderBy(desc(representations.createdAt));
  auditCitizen(ctx, { action: 'read', resourceType: 'representation', criteria: { count: rows.length } });
  return { items: rows.map((r) => present(r, today)) };
}

/** I give a named person access to act for me. */
export async function giveRepresentation(
  tx: Tx,
  ctx: PortalAuditContext,
  body: PortalRepresentationGive,
  today: string,
) {
  // Access given to one's own CPR number is inert: the login never offers it (auth_find_representations).
  check(body, today, today);
  const [row] = await tx
    .insert(representations)
    .values({
      municipalityId: ctx.citizen.municipalityId,
      citizenId: ctx.citizen.citizenId,
      representativeCpr: body.cpr,
      representativeName: body.name,
      relation: body.relation,
      scopes: body.scopes,
      validFrom: today,
      validUntil: body.validUntil,
      givenHow: 'portal',
    })
    .returning({ id: representations.id });
  auditCitizen(ctx, {
    action: 'create',
    resourceType: 'representation',
    resourceId: row!.id,
    criteria: { scopes: body.scopes },
  });
  return row!.id;
}

/** I take access back; it ends at the representative's next request. */
export async function revokeMine(tx: Tx, ctx: PortalAuditContext, id: string) {
  const [row] = await tx
    .update(representations)
    .set({ revokedAt: new Date(), revokedBy: 'citizen' })
    .where(and(eq(representations.id, id), isNull(representations.revokedAt)))
    .returning({ id: representations.id });
  auditCitizen(ctx, {
    action: 'update',
    resourceType: 'representation',
    resourceId: id,
    outcome: row ? 'success' : 'denied',
    criteria: { revoked: true },
  });
  return !!row;
}

// ---------------------------------------------------------------- staff

/** A citizen's representatives, for staff (the caller has checked access to the citizen). */
export async function citizenRepresentations(tx: Tx, citizenId: string, today: string) {
  const rows = await tx
    .select(columns)
    .from(representations)
    .where(eq(representations.citizenId, citizenId))
    .orderBy(desc(representations.createdAt));
  return rows.map((r) => present(r, today));
}

/** Staff record a digital power of attorney (fuldmagt), from the date it was given. */
export async function recordRepresentation(
  tx: Tx,
  ctx: AuditContext,
  citizenId: string,
  body: StaffRepresentationRecord,
  today: string,
) {
  if (body.givenOn > today)
    throw unprocessable('invalid_given_on', 'Datoen for fuldmagten kan ikke ligge i fremtiden.', [
      { field: 'givenOn', message: 'Kan ikke ligge i fremtiden', code: 'invalid_given_on' },
    ]);
  check(body, body.givenOn, today);
  const [me] = await tx.select({ cpr: citizens.cpr }).from(citizens).where(eq(citizens.id, citizenId));
  if (me?.cpr === body.cpr) throw notSelf();
  const [row] = await tx
    .insert(representations)
    .values({
      municipalityId: ctx.actor.municipalityId,
      citizenId,
      representativeCpr: body.cpr,
      representativeName: body.name,
      relation: body.relation,
      scopes: body.scopes,
      validFrom: body.givenOn,
      validUntil: body.validUntil,
      givenHow: 'power_of_attorney',
      recordedBy: ctx.actor.userId,
    })
    .returning({ id: representations.id });
  await audit(tx, ctx, {
    action: 'create',
    policy: 'citizen.update',
    resourceType: 'representation',
    resourceId: row!.id,
    citizenId,
    criteria: { scopes: body.scopes },
  });
  return row!.id;
}

/** Staff end a representation (the power of attorney was withdrawn, or recorded by mistake). */
export async function revokeForCitizen(tx: Tx, ctx: AuditContext, citizenId: string, id: string) {
  const [row] = await tx
    .update(representations)
    .set({ revokedAt: new Date(), revokedBy: 'staff' })
    .where(
      and(
        eq(representations.id, id),
        eq(representations.citizenId, citizenId),
        isNull(representations.revokedAt),
      ),
    )
    .returning({ id: representations.id });
  await audit(tx, ctx, {
    action: 'update',
    policy: 'citizen.update',
    resourceType: 'representation',
    resourceId: id,
    citizenId,
    outcome: row ? 'success' : 'denied',
    criteria: { revoked: true },
  });
  return !!row;
}

/** The names of the given accesses' representatives, by access id (row-level security decides which answer). */
export async function representativeNames(tx: Tx, ids: readonly (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const rows = wanted.length
    ? await tx
        .select({ id: representations.id, name: representations.representativeName })
        .from(representations)
        .where(inArray(representations.id, wanted))
    : [];
  return new Map(rows.map((r) => [r.id, r.name]));
}
