import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { auditEvents, citizens, logQuestions, users } from '../../db/schema';
import { type AuditContext, audit, auditCitizen, type PortalAuditContext } from '../../platform/audit';
import { conflict } from '../../platform/errors';
import type { Tx } from '../../platform/tenancy';

/**
 * "Det her forstår jeg ikke" (issue 14): a citizen asks about one event in Min log; the administrator answers;
 * the citizen reads the answer beside the event. One question per event.
 */

/** The citizen asks (as retning_citizen: RLS finds the event only if it is about them). Null: no such event. */
export async function askAboutEvent(tx: Tx, ctx: PortalAuditContext, eventId: string, question: string) {
  const [event] = await tx
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(eq(auditEvents.id, eventId));
  if (!event) return null;
  const [asked] = await tx
    .select({ id: logQuestions.id })
    .from(logQuestions)
    .where(eq(logQuestions.auditEventId, eventId));
  if (asked) throw conflict('already_asked', 'Du har allerede spurgt om dette opslag.');
  const [row] = await tx
    .insert(logQuestions)
    .values({
      municipalityId: ctx.citizen.municipalityId,
      citizenId: ctx.citizen.citizenId,
      auditEventId: eventId,
      question,
    })
    .returning({ id: logQuestions.id });
  auditCitizen(ctx, { action: 'create', resourceType: 'log_question', resourceId: row!.id });
  return row!.id;
}

/** The questions, open first, with the event they are about and the citizen's name. */
export async function listQuestions(tx: Tx, ctx: AuditContext) {
  const rows = await tx
    .select({
      id: logQuestions.id,
      citizenId: logQuestions.citizenId,
      firstName: citizens.firstName,
      lastName: citizens.lastName,
      question: logQuestions.question,
      createdAt: logQuestions.createdAt,
      answer: logQuestions.answer,
      answeredAt: logQuestions.answeredAt,
      eventId: logQuestions.auditEventId,
    })
    .from(logQuestions)
    .innerJoin(citizens, eq(citizens.id, logQuestions.citizenId))
    .orderBy(asc(logQuestions.answeredAt), asc(logQuestions.createdAt))
    .limit(500);
  const events = rows.length
    ? await tx
        .select({
          id: auditEvents.id,
          at: auditEvents.occurredAt,
          action: auditEvents.action,
          resourceType: auditEvents.resourceType,
          actorRole: auditEvents.actorRole,
          actorName: users.displayName,
        })
        .from(auditEvents)
        .leftJoin(users, eq(users.id, auditEvents.actorUserId))
        .where(
          inArray(
            auditEvents.id,
            rows.map((r) => r.eventId),
          ),
        )
    : [];
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const r of rows)
    await audit(tx, ctx, {
      action: 'read',
      policy: 'audit.answer',
      resourceType: 'log_question',
      resourceId: r.id,
      citizenId: r.citizenId,
    });
  return rows.map((r) => {
    const e = byId.get(r.eventId);
    return {
      id: r.id,
      citizen: { id: r.citizenId, name: `${r.firstName} ${r.lastName}` },
      question: r.question,
      askedAt: r.createdAt.toISOString(),
      answer: r.answer,
      answeredAt: r.answeredAt?.toISOString() ?? null,
      event: e
        ? {
            at: e.at.toISOString(),
            action: e.action,
            resourceType: e.resourceType,
            role: e.actorRole,
            actorName: e.actorName,
          }
        : null,
    };
  });
}

/** The administrator's answer; once. Null: no such question. */
export async function answerQuestion(tx: Tx, ctx: AuditContext, id: string, answer: string) {
  const [q] = await tx
    .select({ citizenId: logQuestions.citizenId, answeredAt: logQuestions.answeredAt })
    .from(logQuestions)
    .where(eq(logQuestions.id, id));
  if (!q) return null;
  if (q.answeredAt) throw conflict('already_answered', 'Spørgsmålet er allerede besvaret.');
  await tx
    .update(logQuestions)
    .set({ answer, answeredAt: new Date(), answeredBy: ctx.actor.userId })
    .where(and(eq(logQuestions.id, id), isNull(logQuestions.answeredAt)));
  await audit(tx, ctx, {
    action: 'update',
    policy: 'audit.answer',
    resourceType: 'log_question',
    resourceId: id,
    citizenId: q.citizenId,
  });
  return true;
}
