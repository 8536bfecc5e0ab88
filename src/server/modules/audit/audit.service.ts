import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { AuditSearch } from '../../../shared/schemas';
import { auditEvents, users } from '../../db/schema';
import type { Tx } from '../../platform/tenancy';

/** Searches the municipality's audit log, newest first, keyset-paged on (time, id). */
export async function searchAudit(tx: Tx, q: AuditSearch) {
  const where: (SQL | undefined)[] = [
    q.from ? gte(auditEvents.occurredAt, new Date(q.from)) : undefined,
    q.to ? lte(auditEvents.occurredAt, new Date(q.to)) : undefined,
    q.actorUserId ? eq(auditEvents.actorUserId, q.actorUserId) : undefined,
    q.citizenId ? eq(auditEvents.citizenId, q.citizenId) : undefined,
    q.action ? eq(auditEvents.action, q.action) : undefined,
    q.outcome ? eq(auditEvents.outcome, q.outcome) : undefined,
    q.before ? beforeCursor(q.before) : undefined,
  ];
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
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    items: page.map(({ cursor, ...r }) => ({ ...r, occurredAt: r.occurredAt.toISOString() })),
    nextBefore: rows.length > q.limit ? page[page.length - 1]!.cursor : null,
  };
}

/** Rows strictly older than the cursor "<timestamp with microseconds>|<id>". */
function beforeCursor(cursor: string): SQL {
  const [at, id] = cursor.split('|');
  return sql`(${auditEvents.occurredAt}, ${auditEvents.id}) < (${at}::timestamptz, ${id}::uuid)`;
}
