import { and, asc, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { AuditSearch } from '../../../shared/schemas';
import { auditEvents, users } from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { forbidden } from '../../platform/errors';
import { can } from '../../platform/policy';
import type { Tx } from '../../platform/tenancy';
import { citizenIdsMatching, readableCitizenNames } from '../citizens/citizens.service';

/**
 * Searches the municipality's audit log, newest (or oldest) first, keyset-paged on (time, id). Citizens are
 * named to those who may read them; naming them is itself a lookup, audited with the ids it named.
 */
export async function searchAudit(tx: Tx, ctx: AuditContext, q: AuditSearch) {
  let citizenIds: string[] | undefined;
  if (q.citizen) {
    if (!can(ctx.actor, 'citizen.search')) throw forbidden();
    citizenIds = await citizenIdsMatching(tx, ctx, q.citizen);
  }
  const newest = q.order === 'newest';
  const where: (SQL | undefined)[] = [
    q.from ? gte(auditEvents.occurredAt, new Date(q.from)) : undefined,
    q.to ? lte(auditEvents.occurredAt, new Date(q.to)) : undefined,
    q.actorUserId ? eq(auditEvents.actorUserId, q.actorUserId) : undefined,
    q.citizenId ? eq(auditEvents.citizenId, q.citizenId) : undefined,
    citizenIds ? (citizenIds.length ? inArray(auditEvents.citizenId, citizenIds) : sql`false`) : undefined,
    q.action ? eq(auditEvents.action, q.action) : undefined,
    q.resourceType ? eq(auditEvents.resourceType, q.resourceType) : undefined,
    q.outcome ? eq(auditEvents.outcome, q.outcome) : undefined,
    q.before ? pastCursor(q.before, newest) : undefined,
  ];
  const order = newest ? desc : asc;
  const rows = await tx
    .select({
      id: auditEvents.id,
      cursor: sql<string>`to_char(${auditEvents.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || ${auditEvents.id}`,
      chainId: auditEvents.chainId,
      chainSeq: auditEvents.chainSeq,
      occurredAt: auditEvents.occurredAt,
      requestId: auditEvents.requestId,
      actorUserId: auditEvents.actorUserId,
      actorName: users.displayName,
      actorRole: auditEvents.actorRole,
      citizenId: auditEvents.citizenId,
      action: auditEvents.action,
      resourceType: auditEvents.resourceType,
      resourceId: auditEvents.resourceId,
      criteria: auditEvents.criteria,
      purpose: auditEvents.purpose,
      outcome: auditEvents.outcome,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(...where))
    .orderBy(order(auditEvents.occurredAt), order(auditEvents.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const names = await readableCitizenNames(tx, ctx, [
    ...new Set(page.flatMap((r) => (r.citizenId ? [r.citizenId] : []))),
  ]);
  await audit(tx, ctx, {
    action: 'search',
    policy: 'audit.read',
    resourceType: 'audit_log',
    criteria: {
      citizen: q.citizen || undefined,
      resultCount: page.length,
      resultIds: [...names.keys()],
    },
  });
  return {
    items: page.map(({ cursor, ...r }) => ({
      ...r,
      occurredAt: r.occurredAt.toISOString(),
      citizenName: r.citizenId ? (names.get(r.citizenId) ?? null) : null,
    })),
    nextBefore: rows.length > q.limit ? page[page.length - 1]!.cursor : null,
  };
}

/** Rows past the cursor "<timestamp with microseconds>|<id>" in the chosen order. */
function pastCursor(cursor: string, newest: boolean): SQL {
  const [at, id] = cursor.split('|');
  return newest
    ? sql`(${auditEvents.occurredAt}, ${auditEvents.id}) < (${at}::timestamptz, ${id}::uuid)`
    : sql`(${auditEvents.occurredAt}, ${auditEvents.id}) > (${at}::timestamptz, ${id}::uuid)`;
}

/** The municipality's staff, to filter the log by person. */
export async function auditActors(tx: Tx) {
  return tx
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .orderBy(asc(users.displayName), asc(users.id));
}
