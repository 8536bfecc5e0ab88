import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { GoalUpdate } from '../../../shared/pathway';
import type { ProposalAccept, ProposalAnswer } from '../../../shared/schemas';
import { cases, citizens, goalProposals, goals } from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { conflict } from '../../platform/errors';
import { unitsWithRole } from '../../platform/policy';
import { inOrder, type Tx } from '../../platform/tenancy';
import { loadCaseAllowed } from '../cases/cases.service';
import { noticeToCitizen } from '../messages/messages.service';
import type { Reference } from '../reference/reference';
import { representativeNames } from '../representations/representations.service';
import { insertGoal, updateGoal } from './goals.service';

/**
 * Mine mål, the staff's side (issue 14): the citizen's proposals wait on the caseworker's worklist. Accepting
 * creates the citizen goal (or changes the title of the one it names) in the citizen's words, and the
 * proposal points to it; answering tells the citizen why not, or what happens next. Either way the citizen
 * gets the content-free notice e-mail and reads the answer in Mine mål.
 */

const columns = {
  id: goalProposals.id,
  citizenId: goalProposals.citizenId,
  caseId: goalProposals.caseId,
  goalId: goalProposals.goalId,
  words: goalProposals.words,
  representationId: goalProposals.representationId,
  status: goalProposals.status,
  answer: goalProposals.answer,
  answeredAt: goalProposals.answeredAt,
  resultingGoalId: goalProposals.resultingGoalId,
  createdAt: goalProposals.createdAt,
};
type Row = {
  id: string;
  citizenId: string;
  caseId: string;
  goalId: string | null;
  words: string;
  representationId: string | null;
  status: string;
  answer: string | null;
  answeredAt: Date | null;
  resultingGoalId: string | null;
  createdAt: Date;
};

async function present(tx: Tx, rows: Row[]) {
  const goalIds = [
    ...new Set(rows.flatMap((r) => [r.goalId, r.resultingGoalId]).filter((x): x is string => !!x)),
  ];
  // One transaction, one statement at a time (inOrder), as everywhere else.
  const [titles, rep] = await inOrder([
    goalIds.length
      ? tx.select({ id: goals.id, title: goals.title }).from(goals).where(inArray(goals.id, goalIds))
      : Promise.resolve([]),
    representativeNames(
      tx,
      rows.map((r) => r.representationId),
    ),
  ] as const);
  const title = new Map(titles.map((g) => [g.id, g.title]));
  return rows.map((r) => ({
    id: r.id,
    caseId: r.caseId,
    goal: r.goalId ? { id: r.goalId, title: title.get(r.goalId) ?? null } : null,
    words: r.words,
    /** Written by a representative for the citizen: their name. */
    representative: r.representationId ? (rep.get(r.representationId) ?? null) : null,
    status: r.status,
    answer: r.answer,
    answeredAt: r.answeredAt?.toISOString() ?? null,
    resultingGoal: r.resultingGoalId
      ? { id: r.resultingGoalId, title: title.get(r.resultingGoalId) ?? null }
      : null,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** A case's proposals, newest first (the case page). */
export async function caseProposals(tx: Tx, ctx: AuditContext, caseId: string) {
  const c = await loadCaseAllowed(tx, ctx, caseId, 'case.read', 'read', 'goal_proposal');
  if (!c) return null;
  const rows = await tx
    .select(columns)
    .from(goalProposals)
    .where(eq(goalProposals.caseId, caseId))
    .orderBy(desc(goalProposals.createdAt));
  await audit(tx, ctx, {
    action: 'read',
    policy: 'case.read',
    resourceType: 'goal_proposal',
    citizenId: c.citizenId,
    caseId,
    criteria: { count: rows.length },
  });
  return present(tx, rows);
}

/** The worklist's open proposals: on my cases ("mine") or my units' cases ("units"), oldest first. */
export async function openProposals(tx: Tx, ctx: AuditContext, scope: 'mine' | 'units') {
  const units = unitsWithRole(ctx.actor, ['sagsbehandler', 'leder']);
  const where =
    scope === 'mine'
      ? eq(cases.caseworkerId, ctx.actor.userId)
      : units.length
        ? inArray(cases.authorityUnitId, units)
        : sql`false`;
  const rows = await tx
    .select({
      ...columns,
      caseNumber: cases.caseNumber,
      firstName: citizens.firstName,
      lastName: citizens.lastName,
    })
    .from(goalProposals)
    .innerJoin(cases, eq(cases.id, goalProposals.caseId))
    .innerJoin(citizens, eq(citizens.id, goalProposals.citizenId))
    .where(and(eq(goalProposals.status, 'open'), where))
    .orderBy(goalProposals.createdAt)
    .limit(200);
  await audit(tx, ctx, {
    action: 'search',
    policy: 'case.read',
    resourceType: 'goal_proposal',
    criteria: { scope, resultCount: rows.length, resultIds: [...new Set(rows.map((r) => r.citizenId))] },
  });
  const presented = await present(tx, rows);
  return rows.map((r, i) => ({
    ...presented[i]!,
    citizen: { id: r.citizenId, name: `${r.firstName} ${r.lastName}` },
    caseNumber: r.caseNumber,
  }));
}

async function loadOpen(tx: Tx, ctx: AuditContext, id: string) {
  const [p] = await tx.select(columns).from(goalProposals).where(eq(goalProposals.id, id));
  if (!p) {
    await audit(tx, ctx, {
      action: 'update',
      policy: 'case.write',
      resourceType: 'goal_proposal',
      resourceId: id,
      outcome: 'denied',
    });
    return null;
  }
  const c = await loadCaseAllowed(tx, ctx, p.caseId, 'case.write', 'update', 'goal_proposal');
  if (!c) return null;
  if (p.status !== 'open')
    throw conflict('proposal_answered', 'Forslaget er allerede besvaret.', { status: p.status });
  return { proposal: p, case: c };
}

async function close(
  tx: Tx,
  ctx: AuditContext,
  p: Row,
  status: 'accepted' | 'answered',
  answer: string | null,
  resultingGoalId: string | null,
  publicUrl: string,
) {
  await tx
    .update(goalProposals)
    .set({ status, answer, answeredAt: sql`now()`, answeredBy: ctx.actor.userId, resultingGoalId })
    .where(eq(goalProposals.id, p.id));
  const notified = await noticeToCitizen(tx, ctx.actor.municipalityId, p.citizenId, publicUrl);
  await audit(tx, ctx, {
    action: 'update',
    policy: 'case.write',
    resourceType: 'goal_proposal',
    resourceId: p.id,
    citizenId: p.citizenId,
    caseId: p.caseId,
    criteria: { status, resultingGoalId, notified },
  });
}

/**
 * Accepts a proposal: a new citizen goal in the citizen's words, or the named goal's title changed to them.
 * The caseworker may add a line of answer (what happens next).
 */
export async function acceptProposal(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  id: string,
  body: ProposalAccept,
  publicUrl: string,
) {
  const found = await loadOpen(tx, ctx, id);
  if (!found) return null;
  const { proposal: p, case: c } = found;
  let goalId: string;
  if (p.goalId) {
    const [g] = await tx.select().from(goals).where(eq(goals.id, p.goalId));
    if (!g) return null;
    const r = await updateGoal(tx, ctx, ref, g.id, {
      title: p.words,
      wordsOf: p.representationId ? 'citizen_supported' : 'citizen',
      what: g.what,
      measure: g.measure,
      dueOn: g.dueOn,
      helpers: g.helpers,
      status: g.status as GoalUpdate['status'],
      citizenGoalId: g.citizenGoalId,
      subthemeCode: g.subthemeCode,
      expectedLevel: g.expectedLevel,
      goalTypeCode: g.goalTypeCode,
      gasWeight: g.gasWeight,
      gas: null,
      version: g.version,
    });
    if (!('ok' in r)) return null;
    goalId = g.id;
  } else {
    const g = await insertGoal(
      tx,
      ctx,
      ref,
      c,
      {
        kind: 'citizen_goal',
        parentGoalId: null,
        title: p.words,
        wordsOf: p.representationId ? 'citizen_supported' : 'citizen',
        what: '',
        measure: '',
        dueOn: null,
        helpers: '',
        status: 'active',
        citizenGoalId: null,
        subthemeCode: null,
        expectedLevel: null,
        goalTypeCode: null,
        gasWeight: 1,
        gas: null,
      },
      null,
    );
    goalId = g.id;
  }
  await close(tx, ctx, p, 'accepted', body.answer || null, goalId, publicUrl);
  return { goalId };
}

/** Answers a proposal without accepting it (why not, or what we will talk about at the next meeting). */
export async function answerProposal(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  body: ProposalAnswer,
  publicUrl: string,
) {
  const found = await loadOpen(tx, ctx, id);
  if (!found) return null;
  await close(tx, ctx, found.proposal, 'answered', body.answer, null, publicUrl);
  return { id };
}
