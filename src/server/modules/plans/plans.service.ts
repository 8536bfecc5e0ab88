import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { PLAN_TEXT_FIELDS, type PlanSave } from '../../../shared/pathway';
import { actionPlans, goals, orgUnits, services } from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { type Change, conflict } from '../../platform/errors';
import type { Tx } from '../../platform/tenancy';
import { type CaseRow, loadCaseAllowed, readsAsAuthority } from '../cases/cases.service';
import { untracedGoals } from '../goals/goals.service';
import type { Reference } from '../reference/reference';

export type PlanRow = typeof actionPlans.$inferSelect;

const auditPlan = (
  tx: Tx,
  ctx: AuditContext,
  p: PlanRow,
  action: 'create' | 'update' | 'read',
  criteria?: object,
) =>
  audit(tx, ctx, {
    action,
    policy: action === 'read' ? 'case.read' : 'case.write',
    resourceType: 'action_plan',
    resourceId: p.id,
    citizenId: p.citizenId,
    caseId: p.caseId,
    criteria: (criteria as Record<string, unknown>) ?? null,
  });

/** A plan that does not exist for the actor (another municipality's, or none): audited as denied. */
const denyPlan = (tx: Tx, ctx: AuditContext, id: string, action: 'read' | 'update') =>
  audit(tx, ctx, {
    action,
    policy: action === 'read' ? 'case.read' : 'case.write',
    resourceType: 'action_plan',
    resourceId: id,
    outcome: 'denied',
  });

/** The versions of a case's §141 plan, newest first. */
export async function listPlans(tx: Tx, ctx: AuditContext, caseId: string) {
  const c = await loadCaseAllowed(tx, ctx, caseId, 'case.read', 'read', 'action_plan');
  if (!c) return null;
  const rows = await tx
    .select()
    .from(actionPlans)
    .where(
      and(
        eq(actionPlans.caseId, caseId),
        readsAsAuthority(ctx.actor, c) ? undefined : eq(actionPlans.status, 'shared'),
      ),
    )
    .orderBy(desc(actionPlans.version));
  await audit(tx, ctx, {
    action: 'search',
    policy: 'case.read',
    resourceType: 'action_plan',
    citizenId: c.citizenId,
    caseId,
    criteria: { resultIds: rows.map((r) => r.id) },
  });
  return { caseRow: c, rows };
}

/**
 * Saves the case's draft plan. Without a draft, a new version starts from the last shared one (or from the
 * case's purpose goal), so a change to a shared plan never touches what the citizen was given.
 */
export async function savePlanDraft(
  tx: Tx,
  ctx: AuditContext,
  caseId: string,
  body: PlanSave,
): Promise<Change<PlanRow>> {
  const c = await loadCaseAllowed(tx, ctx, caseId, 'case.write', 'update', 'action_plan');
  if (!c) return { notFound: true };
  if (c.phase === 'closed') throw conflict('case_closed', 'Sagen er lukket.');
  const { rowVersion, ...fields } = body;
  const [draft] = await tx
    .select()
    .from(actionPlans)
    .where(and(eq(actionPlans.caseId, caseId), eq(actionPlans.status, 'draft')));
  if (draft) {
    if (rowVersion !== draft.rowVersion) return { conflict: draft };
    const [p] = await tx
      .update(actionPlans)
      .set({
        ...fields,
        rowVersion: sql`${actionPlans.rowVersion} + 1`,
        updatedAt: sql`now()`,
        updatedBy: ctx.actor.userId,
      })
      .where(eq(actionPlans.id, draft.id))
      .returning();
    await auditPlan(tx, ctx, p!, 'update');
    return { ok: p! };
  }
  if (rowVersion !== undefined)
    throw conflict('plan_shared', 'Planen er delt i mellemtiden. Genindlæs og ret igen.');
  const [last] = await tx
    .select({ version: actionPlans.version })
    .from(actionPlans)
    .where(eq(actionPlans.caseId, caseId))
    .orderBy(desc(actionPlans.version))
    .limit(1);
  const [p] = await tx
    .insert(actionPlans)
    .values({
      ...fields,
      municipalityId: ctx.actor.municipalityId,
      citizenId: c.citizenId,
      caseId,
      version: (last?.version ?? 0) + 1,
      createdBy: ctx.actor.userId,
      updatedBy: ctx.actor.userId,
    })
    .returning();
  await auditPlan(tx, ctx, p!, 'create', { version: p!.version });
  return { ok: p! };
}

/** What the plan's goals and services looked like when it was shared (the demo seed takes them so too). */
export async function snapshots(tx: Tx, ref: Reference, c: Pick<CaseRow, 'id'>) {
  const g = await tx
    .select()
    .from(goals)
    .where(
      and(
        eq(goals.caseId, c.id),
        ne(goals.status, 'cancelled'),
        inArray(goals.kind, ['citizen_goal', 'purpose', 'intervention']),
      ),
    )
    .orderBy(goals.createdAt);
  const untraced = untracedGoals(g);
  const s = await tx
    .select({ service: services, unit: orgUnits.name })
    .from(services)
    .innerJoin(orgUnits, eq(orgUnits.id, services.providerUnitId))
    .where(and(eq(services.caseId, c.id), ne(services.status, 'ended')))
    .orderBy(services.createdAt);
  return {
    goalsSnapshot: g.map((x) => ({
      id: x.id,
      kind: x.kind,
      title: x.title,
      wordsOf: x.wordsOf,
      what: x.what,
      measure: x.measure,
      dueOn: x.dueOn,
      helpers: x.helpers,
      status: x.status,
      subtheme: ref.display(x.ffbList, x.subthemeCode),
      untraced: untraced.has(x.id),
    })),
    servicesSnapshot: s.map(({ service: x, unit }) => ({
      id: x.id,
      paragraph: x.paragraphCode,
      ydelse: ref.display(x.ffbList, x.ydelseCode),
      provider: unit,
      status: x.status,
      startOn: x.startOn,
      endOn: x.endOn,
      hoursPerWeek: x.hoursPerWeek,
    })),
  };
}

/** Shares the draft: it freezes (a trigger refuses later changes) with the goals and services as they are. */
export async function sharePlan(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  id: string,
  rowVersion: number,
): Promise<Change<PlanRow>> {
  const [p] = await tx.select().from(actionPlans).where(eq(actionPlans.id, id));
  if (!p) {
    await denyPlan(tx, ctx, id, 'update');
    return { notFound: true };
  }
  const c = await loadCaseAllowed(tx, ctx, p.caseId, 'case.write', 'update', 'action_plan');
  if (!c) return { notFound: true };
  if (p.status === 'shared') throw conflict('plan_shared', 'Denne version er allerede delt.');
  if (p.rowVersion !== rowVersion) return { conflict: p };
  const [shared] = await tx
    .update(actionPlans)
    .set({
      ...(await snapshots(tx, ref, c)),
      status: 'shared',
      sharedAt: sql`now()`,
      sharedBy: ctx.actor.userId,
      rowVersion: sql`${actionPlans.rowVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(actionPlans.id, id))
    .returning();
  await auditPlan(tx, ctx, shared!, 'update', { shared: true, version: shared!.version });
  return { ok: shared! };
}

/** One version and the one before it (for the diff). Provider staff see shared versions only. */
export async function readPlan(tx: Tx, ctx: AuditContext, ref: Reference, id: string) {
  const [p] = await tx.select().from(actionPlans).where(eq(actionPlans.id, id));
  if (!p) {
    await denyPlan(tx, ctx, id, 'read');
    return null;
  }
  const c = await loadCaseAllowed(tx, ctx, p.caseId, 'case.read', 'read', 'action_plan');
  if (!c || (p.status === 'draft' && !readsAsAuthority(ctx.actor, c))) {
    if (p && c)
      await audit(tx, ctx, {
        action: 'read',
        policy: 'case.read',
        resourceType: 'action_plan',
        resourceId: id,
        outcome: 'denied',
        citizenId: c.citizenId,
        caseId: c.id,
      });
    return null;
  }
  const [previous] = await tx
    .select()
    .from(actionPlans)
    .where(
      and(
        eq(actionPlans.caseId, p.caseId),
        eq(actionPlans.status, 'shared'),
        sql`${actionPlans.version} < ${p.version}`,
      ),
    )
    .orderBy(desc(actionPlans.version))
    .limit(1);
  await auditPlan(tx, ctx, p, 'read');
  // A draft shows the goals and services as they are now; a shared version as they were when shared.
  const plan = p.status === 'draft' ? { ...p, ...(await snapshots(tx, ref, c)) } : p;
  return { plan, previous: previous ?? null, caseRow: c };
}

export interface PlanDiff {
  fields: { field: string; before: string; after: string }[];
  participants: { added: string[]; removed: string[] };
  goals: { added: string[]; removed: string[]; changed: string[] };
  services: { added: string[]; removed: string[] };
}

const participantKey = (p: { kind: string; name: string; responsibility: string }) =>
  `${p.name} (${p.kind}): ${p.responsibility}`;

/** What changed from one version to the next: texts, participants, goals and services. */
export function diffPlans(before: PlanRow | null, after: PlanRow): PlanDiff | null {
  if (!before) return null;
  const fields = [...PLAN_TEXT_FIELDS, 'offer' as const]
    .filter((f) => (before[f] ?? '') !== (after[f] ?? ''))
    .map((f) => ({ field: f, before: String(before[f] ?? ''), after: String(after[f] ?? '') }));
  const set = (xs: string[]) => new Set(xs);
  const minus = (a: string[], b: Set<string>) => a.filter((x) => !b.has(x));
  const pb = before.participants.map(participantKey);
  const pa = after.participants.map(participantKey);
  type Snap = {
    id?: unknown;
    title?: unknown;
    status?: unknown;
    what?: unknown;
    measure?: unknown;
    dueOn?: unknown;
  };
  const gb = (before.goalsSnapshot ?? []) as Snap[];
  const ga = (after.goalsSnapshot ?? []) as Snap[];
  const title = (g: Snap) => String(g.title);
  const sig = (g: Snap) => JSON.stringify([g.title, g.status, g.what, g.measure, g.dueOn]);
  const sb = (
    (before.servicesSnapshot ?? []) as { paragraph?: unknown; ydelse?: unknown; provider?: unknown }[]
  ).map((s) => `${s.paragraph} ${s.ydelse} (${s.provider})`);
  const sa = (
    (after.servicesSnapshot ?? []) as { paragraph?: unknown; ydelse?: unknown; provider?: unknown }[]
  ).map((s) => `${s.paragraph} ${s.ydelse} (${s.provider})`);
  const beforeById = new Map(gb.map((g) => [String(g.id), g]));
  return {
    fields,
    participants: { added: minus(pa, set(pb)), removed: minus(pb, set(pa)) },
    goals: {
      added: ga.filter((g) => !beforeById.has(String(g.id))).map(title),
      removed: gb.filter((g) => !ga.some((x) => String(x.id) === String(g.id))).map(title),
      changed: ga
        .filter((g) => beforeById.has(String(g.id)) && sig(beforeById.get(String(g.id))!) !== sig(g))
        .map(title),
    },
    services: { added: minus(sa, set(sb)), removed: minus(sb, set(sa)) },
  };
}
