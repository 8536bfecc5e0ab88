import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { PortalGoalProposal } from '../../../shared/schemas';
import { cases, goalProposals, goals } from '../../db/schema';
import { auditCitizen, type PortalAuditContext } from '../../platform/audit';
import { conflict, unprocessable } from '../../platform/errors';
import { inOrder, type Tx } from '../../platform/tenancy';

/** How many proposals may wait for an answer at once (a caseworker answers them one by one). */
export const MAX_OPEN_PROPOSALS = 20;

/**
 * Mine mål: my own goals on my open cases, and what I have proposed (new goals, or changes to mine) with the
 * caseworker's answer. Row-level security confines every query to the citizen.
 */
export async function myGoals(tx: Tx, ctx: PortalAuditContext) {
  const [caseRows, goalRows, proposalRows] = await inOrder([
    tx
      .select({ id: cases.id, caseNumber: cases.caseNumber, phase: cases.phase, openedOn: cases.openedOn })
      .from(cases)
      .where(sql`${cases.phase} <> 'closed'`)
      .orderBy(desc(cases.openedOn)),
    tx
      .select({ id: goals.id, caseId: goals.caseId, title: goals.title, status: goals.status })
      .from(goals)
      .where(and(eq(goals.kind, 'citizen_goal'), sql`${goals.status} <> 'cancelled'`))
      .orderBy(goals.createdAt, goals.id),
    tx
      .select({
        id: goalProposals.id,
        caseId: goalProposals.caseId,
        goalId: goalProposals.goalId,
        words: goalProposals.words,
        byRepresentative: sql<boolean>`${goalProposals.representationId} is not null`,
        status: goalProposals.status,
        answer: goalProposals.answer,
        answeredAt: goalProposals.answeredAt,
        resultingGoalId: goalProposals.resultingGoalId,
        createdAt: goalProposals.createdAt,
      })
      .from(goalProposals)
      .orderBy(desc(goalProposals.createdAt), desc(goalProposals.id)),
  ] as const);
  const openCases = new Set(caseRows.map((c) => c.id));
  const title = new Map(goalRows.map((g) => [g.id, g.title]));
  auditCitizen(ctx, {
    action: 'read',
    resourceType: 'goal_proposal',
    criteria: { goals: goalRows.length, proposals: proposalRows.length },
  });
  return {
    cases: caseRows.map((c) => ({
      id: c.id,
      caseNumber: c.caseNumber,
      openedOn: c.openedOn,
      goals: goalRows
        .filter((g) => g.caseId === c.id)
        .map((g) => ({ id: g.id, title: g.title, status: g.status })),
    })),
    proposals: proposalRows.map((p) => ({
      id: p.id,
      caseId: p.caseId,
      /** The goal the proposal changes (its current title), or null for a new goal. */
      goal: p.goalId ? { id: p.goalId, title: title.get(p.goalId) ?? null } : null,
      words: p.words,
      byRepresentative: p.byRepresentative,
      status: p.status,
      answer: p.answer,
      answeredAt: p.answeredAt?.toISOString() ?? null,
      resultingGoal: p.resultingGoalId
        ? { id: p.resultingGoalId, title: title.get(p.resultingGoalId) ?? null }
        : null,
      caseOpen: openCases.has(p.caseId),
      createdAt: p.createdAt.toISOString(),
    })),
  };
}

/**
 * I propose a new goal, or a change to one of my goals, in my own words. The case must be one of mine and
 * open; a goal must be one of my own goals on it. It waits for the caseworker on their worklist.
 */
export async function proposeGoal(tx: Tx, ctx: PortalAuditContext, body: PortalGoalProposal) {
  const base = { action: 'create', resourceType: 'goal_proposal', caseId: body.caseId } as const;
  const [c] = await tx
    .select({ id: cases.id, phase: cases.phase })
    .from(cases)
    .where(eq(cases.id, body.caseId));
  if (!c) {
    auditCitizen(ctx, { ...base, caseId: null, outcome: 'denied', criteria: { reason: 'no_case' } });
    return null;
  }
  if (c.phase === 'closed')
    throw conflict('case_closed', 'Sagen er lukket. Skriv til din sagsbehandler i stedet.');
  if (body.goalId) {
    const [g] = await tx
      .select({ kind: goals.kind, caseId: goals.caseId, status: goals.status })
      .from(goals)
      .where(eq(goals.id, body.goalId));
    if (!g || g.caseId !== c.id || g.kind !== 'citizen_goal' || g.status === 'cancelled')
      throw unprocessable('goal_invalid', 'Vælg et af dine egne mål på sagen.', [
        { field: 'goalId', message: 'Vælg et af dine egne mål på sagen', code: 'invalid_link' },
      ]);
  }
  const [open] = await tx.select({ n: count() }).from(goalProposals).where(eq(goalProposals.status, 'open'));
  if ((open?.n ?? 0) >= MAX_OPEN_PROPOSALS)
    throw conflict(
      'too_many_open',
      `Du har ${MAX_OPEN_PROPOSALS} forslag, der venter på svar. Vent på svar, før du sender flere.`,
    );
  const [row] = await tx
    .insert(goalProposals)
    .values({
      municipalityId: ctx.citizen.municipalityId,
      citizenId: ctx.citizen.citizenId,
      caseId: c.id,
      goalId: body.goalId,
      words: body.words,
      representationId: ctx.citizen.representative?.representationId ?? null,
    })
    .returning({ id: goalProposals.id });
  auditCitizen(ctx, { ...base, resourceId: row!.id, criteria: { change: body.goalId !== null } });
  return row!;
}
