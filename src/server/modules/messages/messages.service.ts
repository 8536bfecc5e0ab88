import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { MessageCreate, MessageReply, StaffMessageCreate } from '../../../shared/schemas';
import { cases, citizens, messages, messageThreads, orgUnits, services, users } from '../../db/schema';
import { type AuditContext, audit, auditCitizen, type PortalAuditContext } from '../../platform/audit';
import { forbidden, unprocessable } from '../../platform/errors';
import { queueMail } from '../../platform/mail';
import { unitsWithRole } from '../../platform/policy';
import { inOrder, type Tx } from '../../platform/tenancy';
import { representativeNames } from '../representations/representations.service';

/**
 * Secure messages (issue 14, item 10): a thread per case between the citizen (or their representative) and
 * one unit — the case's authority unit (the caseworker) or a provider unit delivering a current service on
 * it. Staff read them in their unit's inbox. The e-mail that tells the citizen of a new message carries no
 * content: only that there is one, and where to read it.
 */

/** Staff who answer a unit's messages: its caseworkers and managers, and its provider staff. */
const INBOX_ROLES = ['sagsbehandler', 'leder', 'udfoerer'] as const;

export const NOTICE_SUBJECT = 'Du har en ny besked i Retning';

/** The notice, in full: no name, no case, no content. */
export const noticeText = (publicUrl: string) =>
  `Du har en ny besked i Retning.\n\nLog ind med MitID på ${publicUrl}/portal/beskeder for at læse den.\n\n` +
  'Af hensyn til dit privatliv står beskeden ikke i denne e-mail.';

interface MessageRow {
  id: string;
  threadId: string;
  body: string;
  sender: string;
  senderUserId: string | null;
  representationId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

const messageColumns = {
  id: messages.id,
  threadId: messages.threadId,
  body: messages.body,
  sender: messages.sender,
  senderUserId: messages.senderUserId,
  representationId: messages.representationId,
  createdAt: messages.createdAt,
  readAt: messages.readAt,
};

const threadColumns = {
  id: messageThreads.id,
  citizenId: messageThreads.citizenId,
  caseId: messageThreads.caseId,
  unitId: messageThreads.unitId,
  subject: messageThreads.subject,
  createdAt: messageThreads.createdAt,
};
type ThreadRow = {
  id: string;
  citizenId: string;
  caseId: string;
  unitId: string;
  subject: string;
  createdAt: Date;
};

/** A thread as either side lists it: the last message, and how many from the other side are unread. */
function summarise(
  threads: ThreadRow[],
  rows: MessageRow[],
  unreadFrom: (m: MessageRow) => boolean,
  unitName: Map<string, string>,
) {
  return threads
    .map((t) => {
      const mine = rows.filter((m) => m.threadId === t.id);
      const last = mine[mine.length - 1] ?? null;
      return {
        id: t.id,
        caseId: t.caseId,
        subject: t.subject,
        unit: { id: t.unitId, name: unitName.get(t.unitId) ?? null },
        messages: mine.length,
        unread: mine.filter((m) => unreadFrom(m) && m.readAt === null).length,
        lastAt: (last?.createdAt ?? t.createdAt).toISOString(),
        lastFrom: last?.sender ?? null,
      };
    })
    .sort((a, b) => b.lastAt.localeCompare(a.lastAt));
}

function present(
  m: MessageRow,
  names: { staff: Map<string, string>; representatives: Map<string, string> },
  showStaffNames: boolean,
) {
  return {
    id: m.id,
    body: m.body,
    /** 'citizen', 'representative' or 'staff'. */
    from: m.sender,
    name:
      m.sender === 'staff'
        ? showStaffNames
          ? (names.staff.get(m.senderUserId ?? '') ?? null)
          : null
        : m.sender === 'representative'
          ? (names.representatives.get(m.representationId ?? '') ?? null)
          : null,
    at: m.createdAt.toISOString(),
    readAt: m.readAt?.toISOString() ?? null,
  };
}

// ---------------------------------------------------------------- the citizen's side (retning_citizen)

/**
 * Where the citizen can write: per open case, the caseworker's unit and each provider unit with a current
 * service. Row-level security confines every query to the citizen's own cases and services.
 */
async function recipients(tx: Tx) {
  const [caseRows, serviceRows] = await inOrder([
    tx
      .select({ id: cases.id, caseNumber: cases.caseNumber, unitId: cases.authorityUnitId })
      .from(cases)
      .where(sql`${cases.phase} <> 'closed'`)
      .orderBy(desc(cases.openedOn)),
    tx
      .select({ caseId: services.caseId, unitId: services.providerUnitId })
      .from(services)
      .where(inArray(services.status, ['granted', 'active'])),
  ] as const);
  return caseRows.flatMap((c) => [
    { caseId: c.id, caseNumber: c.caseNumber, unitId: c.unitId, kind: 'caseworker' as const },
    ...[...new Set(serviceRows.filter((s) => s.caseId === c.id).map((s) => s.unitId))]
      .filter((u) => u !== c.unitId)
      .map((unitId) => ({ caseId: c.id, caseNumber: c.caseNumber, unitId, kind: 'provider' as const })),
  ]);
}

async function unitNames(tx: Tx, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await tx
    .select({ id: orgUnits.id, name: orgUnits.name })
    .from(orgUnits)
    .where(inArray(orgUnits.id, [...new Set(ids)]));
  return new Map(rows.map((u) => [u.id, u.name]));
}

/** Beskeder: my threads, newest first, and whom I can write to. */
export async function myThreads(tx: Tx, ctx: PortalAuditContext) {
  const [threads, rows, to] = await inOrder([
    tx.select(threadColumns).from(messageThreads),
    tx.select(messageColumns).from(messages).orderBy(asc(messages.createdAt), asc(messages.id)),
    recipients(tx),
  ] as const);
  const names = await unitNames(tx, [...threads.map((t) => t.unitId), ...to.map((r) => r.unitId)]);
  auditCitizen(ctx, {
    action: 'read',
    resourceType: 'message_thread',
    criteria: { threads: threads.length },
  });
  return {
    threads: summarise(threads, rows, (m) => m.sender === 'staff', names),
    recipients: to.map((r) => ({ ...r, unitName: names.get(r.unitId) ?? null })),
  };
}

/** The names of who wrote a thread's messages: staff by user, representatives by their access. */
async function senderNames(tx: Tx, rows: MessageRow[]) {
  const staffIds = [...new Set(rows.map((m) => m.senderUserId).filter((x): x is string => !!x))];
  const [staff, representatives] = await inOrder([
    staffIds.length
      ? tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, staffIds))
      : Promise.resolve([]),
    representativeNames(
      tx,
      rows.map((m) => m.representationId),
    ),
  ] as const);
  return { staff: new Map(staff.map((u) => [u.id, u.name])), representatives };
}

/**
 * A thread's messages in order; opening it marks read what the other side wrote (the citizen reads staff's
 * messages, staff read the citizen's and the representative's).
 */
async function openThread(tx: Tx, threadId: string, reader: 'citizen' | 'staff') {
  const rows = await tx
    .select(messageColumns)
    .from(messages)
    .where(eq(messages.threadId, threadId))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  await tx
    .update(messages)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(messages.threadId, threadId),
        reader === 'citizen' ? eq(messages.sender, 'staff') : sql`${messages.sender} <> 'staff'`,
        isNull(messages.readAt),
      ),
    );
  return rows;
}

/** One of my threads with every message; opening it marks the staff's messages read. */
export async function myThread(tx: Tx, ctx: PortalAuditContext, threadId: string, showStaffNames: boolean) {
  const [t] = await tx.select(threadColumns).from(messageThreads).where(eq(messageThreads.id, threadId));
  if (!t) {
    auditCitizen(ctx, {
      action: 'read',
      resourceType: 'message_thread',
      resourceId: threadId,
      outcome: 'denied',
    });
    return null;
  }
  const rows = await openThread(tx, t.id, 'citizen');
  const [names, unit] = await inOrder([senderNames(tx, rows), unitNames(tx, [t.unitId])] as const);
  auditCitizen(ctx, { action: 'read', resourceType: 'message_thread', resourceId: t.id, caseId: t.caseId });
  return {
    id: t.id,
    caseId: t.caseId,
    subject: t.subject,
    unit: { id: t.unitId, name: unit.get(t.unitId) ?? null },
    messages: rows.map((m) => present(m, names, showStaffNames)),
  };
}

const sentBy = (ctx: PortalAuditContext) =>
  ctx.citizen.representative
    ? ({ sender: 'representative', representationId: ctx.citizen.representative.representationId } as const)
    : ({ sender: 'citizen', representationId: null } as const);

/** I write to the caseworker or a provider of one of my open cases: a new thread with its first message. */
export async function startThread(tx: Tx, ctx: PortalAuditContext, body: MessageCreate) {
  const to = await recipients(tx);
  if (!to.some((r) => r.caseId === body.caseId && r.unitId === body.unitId))
    throw unprocessable('recipient_invalid', 'Vælg, hvem beskeden skal til.', [
      { field: 'unitId', message: 'Vælg en modtager på en af dine åbne sager', code: 'invalid_link' },
    ]);
  const [t] = await tx
    .insert(messageThreads)
    .values({
      municipalityId: ctx.citizen.municipalityId,
      citizenId: ctx.citizen.citizenId,
      caseId: body.caseId,
      unitId: body.unitId,
      subject: body.subject,
    })
    .returning({ id: messageThreads.id });
  await tx.insert(messages).values({
    municipalityId: ctx.citizen.municipalityId,
    citizenId: ctx.citizen.citizenId,
    threadId: t!.id,
    body: body.body,
    senderUserId: null,
    ...sentBy(ctx),
  });
  auditCitizen(ctx, {
    action: 'create',
    resourceType: 'message_thread',
    resourceId: t!.id,
    caseId: body.caseId,
  });
  return { id: t!.id };
}

/** I answer in one of my threads. */
export async function replyAsCitizen(tx: Tx, ctx: PortalAuditContext, threadId: string, body: MessageReply) {
  const [t] = await tx.select(threadColumns).from(messageThreads).where(eq(messageThreads.id, threadId));
  if (!t) {
    auditCitizen(ctx, { action: 'create', resourceType: 'message', resourceId: threadId, outcome: 'denied' });
    return null;
  }
  const [m] = await tx
    .insert(messages)
    .values({
      municipalityId: ctx.citizen.municipalityId,
      citizenId: ctx.citizen.citizenId,
      threadId: t.id,
      body: body.body,
      senderUserId: null,
      ...sentBy(ctx),
    })
    .returning({ id: messages.id });
  auditCitizen(ctx, { action: 'create', resourceType: 'message', resourceId: m!.id, caseId: t.caseId });
  return { id: m!.id };
}

// ---------------------------------------------------------------- the staff's side (retning_app)

/** The units whose inbox the actor reads. */
const inboxUnits = (ctx: AuditContext) => unitsWithRole(ctx.actor, INBOX_ROLES);

/** The unit inbox: threads of the actor's units (or one of them), newest first, with unread counts. */
export async function inbox(tx: Tx, ctx: AuditContext, unitId: string | undefined) {
  const mine = inboxUnits(ctx);
  const units = unitId ? mine.filter((u) => u === unitId) : mine;
  if (unitId && units.length === 0) throw forbidden();
  const threads = units.length
    ? await tx
        .select({ ...threadColumns, firstName: citizens.firstName, lastName: citizens.lastName })
        .from(messageThreads)
        .innerJoin(citizens, eq(citizens.id, messageThreads.citizenId))
        .where(inArray(messageThreads.unitId, units))
    : [];
  const rows = threads.length
    ? await tx
        .select(messageColumns)
        .from(messages)
        .where(
          inArray(
            messages.threadId,
            threads.map((t) => t.id),
          ),
        )
        .orderBy(asc(messages.createdAt), asc(messages.id))
    : [];
  const names = await unitNames(tx, units);
  const citizenOf = new Map(threads.map((t) => [t.id, t]));
  const items = summarise(threads, rows, (m) => m.sender !== 'staff', names).map((s) => {
    const t = citizenOf.get(s.id)!;
    return { ...s, citizen: { id: t.citizenId, name: `${t.firstName} ${t.lastName}` } };
  });
  await audit(tx, ctx, {
    action: 'search',
    policy: 'message.handle',
    resourceType: 'message_thread',
    criteria: { resultCount: items.length, resultIds: [...new Set(items.map((i) => i.citizen.id))] },
  });
  return {
    units: units.map((id) => ({ id, name: names.get(id) ?? null })),
    unread: items.reduce((n, i) => n + i.unread, 0),
    items,
  };
}

async function threadAllowed(tx: Tx, ctx: AuditContext, id: string, action: 'read' | 'create') {
  const [t] = await tx.select(threadColumns).from(messageThreads).where(eq(messageThreads.id, id));
  if (!t || !inboxUnits(ctx).includes(t.unitId)) {
    await audit(tx, ctx, {
      action,
      policy: 'message.handle',
      resourceType: 'message_thread',
      resourceId: id,
      citizenId: t?.citizenId ?? null,
      outcome: 'denied',
    });
    return null;
  }
  return t;
}

/** One thread of the actor's unit; opening it marks the citizen's messages read. */
export async function staffThread(tx: Tx, ctx: AuditContext, id: string) {
  const t = await threadAllowed(tx, ctx, id, 'read');
  if (!t) return null;
  const rows = await openThread(tx, t.id, 'staff');
  const [names, [who], unit] = await inOrder([
    senderNames(tx, rows),
    tx
      .select({ firstName: citizens.firstName, lastName: citizens.lastName })
      .from(citizens)
      .where(eq(citizens.id, t.citizenId)),
    unitNames(tx, [t.unitId]),
  ] as const);
  await audit(tx, ctx, {
    action: 'read',
    policy: 'message.handle',
    resourceType: 'message_thread',
    resourceId: t.id,
    citizenId: t.citizenId,
    caseId: t.caseId,
  });
  return {
    id: t.id,
    caseId: t.caseId,
    subject: t.subject,
    citizen: { id: t.citizenId, name: who ? `${who.firstName} ${who.lastName}` : null },
    unit: { id: t.unitId, name: unit.get(t.unitId) ?? null },
    messages: rows.map((m) => present(m, names, true)),
  };
}

/** Tells the citizen by e-mail that a message waits (when Retning has their address); nothing of it. */
export async function noticeToCitizen(tx: Tx, municipalityId: string, citizenId: string, publicUrl: string) {
  const [c] = await tx.select({ email: citizens.email }).from(citizens).where(eq(citizens.id, citizenId));
  if (!c?.email) return false;
  await queueMail(tx, municipalityId, {
    kind: 'portal_notice',
    to: c.email,
    subject: NOTICE_SUBJECT,
    text: noticeText(publicUrl),
  });
  return true;
}

/** Staff answer in a thread of their unit; the citizen gets the notice. */
export async function replyAsStaff(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  body: MessageReply,
  publicUrl: string,
) {
  const t = await threadAllowed(tx, ctx, id, 'create');
  if (!t) return null;
  const [m] = await tx
    .insert(messages)
    .values({
      municipalityId: ctx.actor.municipalityId,
      citizenId: t.citizenId,
      threadId: t.id,
      body: body.body,
      sender: 'staff',
      senderUserId: ctx.actor.userId,
    })
    .returning({ id: messages.id });
  const notified = await noticeToCitizen(tx, ctx.actor.municipalityId, t.citizenId, publicUrl);
  await audit(tx, ctx, {
    action: 'create',
    policy: 'message.handle',
    resourceType: 'message',
    resourceId: m!.id,
    citizenId: t.citizenId,
    caseId: t.caseId,
    criteria: { notified },
  });
  return { id: m!.id, notified };
}

/**
 * Staff write first: a new thread to the citizen on one of the citizen's open cases, from a unit of the
 * writer's that works on the case (its authority unit, or a provider of a current service on it).
 */
export async function startThreadAsStaff(
  tx: Tx,
  ctx: AuditContext,
  citizenId: string,
  body: StaffMessageCreate,
  publicUrl: string,
) {
  const [k] = await tx
    .select({ id: cases.id, citizenId: cases.citizenId, unitId: cases.authorityUnitId, phase: cases.phase })
    .from(cases)
    .where(and(eq(cases.id, body.caseId), eq(cases.citizenId, citizenId)));
  const providers = k
    ? (
        await tx
          .select({ unitId: services.providerUnitId })
          .from(services)
          .where(and(eq(services.caseId, k.id), inArray(services.status, ['granted', 'active'])))
      ).map((s) => s.unitId)
    : [];
  const mine = inboxUnits(ctx);
  const unitId =
    k && k.phase !== 'closed' ? [k.unitId, ...providers].find((u) => mine.includes(u)) : undefined;
  if (!k || !unitId) {
    await audit(tx, ctx, {
      action: 'create',
      policy: 'message.handle',
      resourceType: 'message_thread',
      citizenId: k ? citizenId : null,
      caseId: k ? k.id : null,
      outcome: 'denied',
    });
    return null;
  }
  const [t] = await tx
    .insert(messageThreads)
    .values({
      municipalityId: ctx.actor.municipalityId,
      citizenId,
      caseId: k.id,
      unitId,
      subject: body.subject,
    })
    .returning({ id: messageThreads.id });
  await tx.insert(messages).values({
    municipalityId: ctx.actor.municipalityId,
    citizenId,
    threadId: t!.id,
    body: body.body,
    sender: 'staff',
    senderUserId: ctx.actor.userId,
  });
  const notified = await noticeToCitizen(tx, ctx.actor.municipalityId, citizenId, publicUrl);
  await audit(tx, ctx, {
    action: 'create',
    policy: 'message.handle',
    resourceType: 'message_thread',
    resourceId: t!.id,
    citizenId,
    caseId: k.id,
    criteria: { notified },
  });
  return { id: t!.id, notified };
}
