import { aliasedTable, and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { AuditResource } from '../../../shared/enums';
import type { CaseClose, CaseCreate, CasePhase } from '../../../shared/pathway';
import { casePhaseEvents, cases, citizens, orgUnits, services, users } from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { type Change, conflict, unprocessable } from '../../platform/errors';
import { type Actor, can, scopeUnits, unitsWithRole } from '../../platform/policy';
import { rowsOf, type Tx } from '../../platform/tenancy';
import { citizenAccessAllowed } from '../citizens/citizens.service';
import type { Reference } from '../reference/reference';

const caseworker = aliasedTable(users, 'caseworker');

const caseColumns = {
  id: cases.id,
  citizenId: cases.citizenId,
  citizenFirstName: citizens.firstName,
  citizenLastName: citizens.lastName,
  caseNumber: cases.caseNumber,
  phase: cases.phase,
  reason: cases.reason,
  authorityUnitId: cases.authorityUnitId,
  authorityUnitName: orgUnits.name,
  caseworkerId: cases.caseworkerId,
  caseworkerName: caseworker.displayName,
  openedOn: cases.openedOn,
  closedOn: cases.closedOn,
  endReasonList: cases.endReasonList,
  endReasonCode: cases.endReasonCode,
  closingNote: cases.closingNote,
  version: cases.version,
  createdAt: cases.createdAt,
  updatedAt: cases.updatedAt,
  /** Provider units delivering a granted or active service on the case: their staff may read it. */
  providerUnitIds: sql<string[]>`coalesce((select json_agg(distinct s.provider_unit_id) from services s
    where s.case_id = cases.id and s.status in ('granted','active')), '[]'::json)`,
};
export type CaseRow = Awaited<ReturnType<typeof caseQuery>>[number];

function caseQuery(tx: Tx) {
  return tx
    .select(caseColumns)
    .from(cases)
    .innerJoin(citizens, eq(citizens.id, cases.citizenId))
    .innerJoin(orgUnits, eq(orgUnits.id, cases.authorityUnitId))
    .leftJoin(caseworker, eq(caseworker.id, cases.caseworkerId));
}

/**
 * The units a case is tied to, for the policy: its authority unit decides who works on it; provider units
 * with a granted or active service on it may also read it.
 */
export const caseResource = (c: { authorityUnitId: string; providerUnitIds: string[] }) => ({
  type: 'case' as const,
  unitIds: [c.authorityUnitId],
  providerUnitIds: c.providerUnitIds,
});

/** Whether the actor reaches the case as its authority (all of it) rather than only as a provider. */
export const readsAsAuthority = (actor: Actor, c: CaseRow) =>
  can(actor, 'case.read', { type: 'case', unitIds: [c.authorityUnitId] });

/**
 * Loads a case the actor may act on with the given policy. Another municipality's case is invisible
 * through RLS; one outside the actor's units is treated the same, and both leave a "denied" audit event.
 */
export async function loadCaseAllowed(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  policy: 'case.read' | 'case.write',
  action: 'read' | 'update' | 'create',
  resourceType: AuditResource = 'case',
): Promise<CaseRow | null> {
  const [row] = await caseQuery(tx).where(eq(cases.id, id));
  if (!row || !can(ctx.actor, policy, caseResource(row))) {
    await audit(tx, ctx, {
      action,
      policy,
      resourceType,
      resourceId: id,
      caseId: row ? id : null,
      citizenId: row?.citizenId ?? null,
      outcome: 'denied',
    });
    return null;
  }
  return row;
}

/** Case numbers run per municipality and year: 2026-00001, 2026-00002 … */
async function nextCaseNumber(tx: Tx, year: number): Promise<string> {
  return `${year}-${String(await reserveCaseNumbers(tx, year, 1)).padStart(5, '0')}`;
}

/** Reserves `count` consecutive case numbers in the year; returns the first (numbers are YYYY-NNNNN). */
export async function reserveCaseNumbers(tx: Tx, year: number, count: number): Promise<number> {
  const [r] = rowsOf<{ last_value: number }>(
    await tx.execute(sql`
      insert into case_number_counters (municipality_id, year, last_value)
      values (app_municipality_id(), ${year}, ${count})
      on conflict (municipality_id, year) do update set last_value = case_number_counters.last_value + ${count}
      returning last_value`),
  );
  return Number(r!.last_value) - count + 1;
}

/** Opens a case for a citizen in one of the caseworker's authority units. */
export async function openCase(
  tx: Tx,
  ctx: AuditContext,
  citizenId: string,
  body: CaseCreate,
  today: string,
) {
  const [citizen] = await tx.select({ id: citizens.id }).from(citizens).where(eq(citizens.id, citizenId));
  if (!citizen) {
    await audit(tx, ctx, {
      action: 'create',
      policy: 'case.write',
      resourceType: 'case',
      citizenId,
      outcome: 'denied',
    });
    return null;
  }
  const own = unitsWithRole(ctx.actor, ['sagsbehandler']);
  const unitId = body.authorityUnitId ?? own[0];
  if (!unitId || !own.includes(unitId))
    throw unprocessable('unit_not_yours', 'Sagen skal oprettes i en myndighedsenhed, du arbejder i.', [
      { field: 'authorityUnitId', message: 'Vælg en af dine enheder', code: 'unit_not_yours' },
    ]);
  const openedOn = body.openedOn ?? today;
  const caseNumber = await nextCaseNumber(tx, Number(openedOn.slice(0, 4)));
  const [created] = await tx
    .insert(cases)
    .values({
      municipalityId: ctx.actor.municipalityId,
      citizenId,
      caseNumber,
      reason: body.reason,
      authorityUnitId: unitId,
      caseworkerId: body.caseworkerId ?? ctx.actor.userId,
      openedOn,
      createdBy: ctx.actor.userId,
      updatedBy: ctx.actor.userId,
    })
    .returning({ id: cases.id });
  const id = created!.id;
  await tx.insert(casePhaseEvents).values({
    municipalityId: ctx.actor.municipalityId,
    caseId: id,
    fromPhase: null,
    toPhase: 'opened',
    authorUserId: ctx.actor.userId,
  });
  await audit(tx, ctx, {
    action: 'create',
    policy: 'case.write',
    resourceType: 'case',
    resourceId: id,
    citizenId,
    caseId: id,
  });
  const [row] = await caseQuery(tx).where(eq(cases.id, id));
  return row!;
}

async function applyCaseChange(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  version: number,
  change: (row: CaseRow) => Partial<typeof cases.$inferInsert> & { phase: CasePhase },
): Promise<Change<CaseRow>> {
  const row = await loadCaseAllowed(tx, ctx, id, 'case.write', 'update');
  if (!row) return { notFound: true };
  if (row.phase === 'closed') throw conflict('case_closed', 'Sagen er lukket.');
  if (row.version !== version) return { conflict: row };
  const values = change(row);
  await tx
    .update(cases)
    .set({
      ...values,
      version: sql`${cases.version} + 1`,
      updatedAt: sql`now()`,
      updatedBy: ctx.actor.userId,
    })
    .where(eq(cases.id, id));
  if (values.phase !== row.phase)
    await tx.insert(casePhaseEvents).values({
      municipalityId: ctx.actor.municipalityId,
      caseId: id,
      fromPhase: row.phase,
      toPhase: values.phase,
      authorUserId: ctx.actor.userId,
    });
  await audit(tx, ctx, {
    action: 'update',
    policy: 'case.write',
    resourceType: 'case',
    resourceId: id,
    citizenId: row.citizenId,
    caseId: id,
    criteria: { phase: values.phase },
  });
  const [updated] = await caseQuery(tx).where(eq(cases.id, id));
  return { ok: updated! };
}

/** Moves an open case to another phase (forward, or back for a re-assessment). */
export function setPhase(tx: Tx, ctx: AuditContext, id: string, phase: CasePhase, version: number) {
  return applyCaseChange(tx, ctx, id, version, () => ({ phase }));
}

/** Closes a case with a coded reason for ending (KL "Begrundelse for indsatsophør"). */
export function closeCase(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  id: string,
  body: CaseClose,
  today: string,
) {
  // The code is checked once the case is known to exist and be the actor's: a 404 comes first.
  return applyCaseChange(tx, ctx, id, body.version, () => {
    const kl = ref.current('kl-caresocial');
    if (!ref.codeOfKind(kl.key, body.endReasonCode, 'end_reason'))
      throw unprocessable('invalid_code', 'Vælg en begrundelse for afslutning.', [
        { field: 'endReasonCode', message: 'Ukendt begrundelse', code: 'invalid_code' },
      ]);
    return {
      phase: 'closed',
      closedOn: body.closedOn ?? today,
      endReasonList: kl.key,
      endReasonCode: body.endReasonCode,
      closingNote: body.note,
    };
  });
}

/** Cases the actor may read, optionally only their own or only open ones; audited as a search. */
export async function listCases(
  tx: Tx,
  ctx: AuditContext,
  q: { mine: boolean; open: boolean; citizenId?: string },
) {
  const scope = scopeUnits(ctx.actor, 'case.read');
  const rows = await caseQuery(tx)
    .where(
      and(
        scope
          ? or(
              scope.units.length ? inArray(cases.authorityUnitId, scope.units) : sql`false`,
              scope.providerUnits.length
                ? sql`exists (select 1 from ${services} where ${services.caseId} = ${cases.id}
                      and ${services.status} in ('granted','active') and ${inArray(services.providerUnitId, scope.providerUnits)})`
                : sql`false`,
            )
          : undefined,
        q.mine ? eq(cases.caseworkerId, ctx.actor.userId) : undefined,
        q.open ? isNull(cases.closedOn) : undefined,
        q.citizenId ? eq(cases.citizenId, q.citizenId) : undefined,
      ),
    )
    .orderBy(desc(cases.openedOn), asc(cases.caseNumber))
    .limit(500);
  await audit(tx, ctx, {
    action: 'search',
    policy: 'case.read',
    resourceType: 'case',
    citizenId: q.citizenId ?? null,
    criteria: {
      mine: q.mine || undefined,
      open: q.open,
      citizenId: q.citizenId,
      resultCount: rows.length,
      resultIds: rows.map((r) => r.id),
    },
  });
  return rows;
}

/**
 * A citizen's cases. A citizen the actor cannot reach (another municipality's, or outside the role's units)
 * answers null, like the citizen itself, with a denied audit event: not an empty list.
 */
export async function listCitizenCases(tx: Tx, ctx: AuditContext, citizenId: string) {
  if (!(await citizenAccessAllowed(tx, ctx, citizenId, 'citizen.read', 'read', 'case'))) return null;
  return listCases(tx, ctx, { mine: false, open: false, citizenId });
}

export async function phaseHistory(tx: Tx, caseId: string) {
  const author = aliasedTable(users, 'author');
  return tx
    .select({
      fromPhase: casePhaseEvents.fromPhase,
      toPhase: casePhaseEvents.toPhase,
      authorName: author.displayName,
      createdAt: casePhaseEvents.createdAt,
    })
    .from(casePhaseEvents)
    .leftJoin(author, eq(author.id, casePhaseEvents.authorUserId))
    .where(eq(casePhaseEvents.caseId, caseId))
    .orderBy(asc(casePhaseEvents.createdAt), asc(casePhaseEvents.id));
}
