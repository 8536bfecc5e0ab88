import { aliasedTable, and, asc, eq, inArray, sql } from 'drizzle-orm';
import { checkPrimarySubtheme, type FfbCategory } from '../../../shared/domain/ffb';
import { GAS_KINDS, type GoalCreate, type GoalKind, type GoalUpdate } from '../../../shared/pathway';
import { goalEvents, goals, users } from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { type Change, conflict, type FieldError, unprocessable } from '../../platform/errors';
import type { Tx } from '../../platform/tenancy';
import { type CaseRow, loadCaseAllowed } from '../cases/cases.service';
import type { Reference } from '../reference/reference';

export type GoalRow = typeof goals.$inferSelect;

const author = aliasedTable(users, 'author');

/** What a goal looked like at a change, kept in its history. */
const snapshot = (g: GoalRow) => ({
  title: g.title,
  wordsOf: g.wordsOf,
  what: g.what,
  measure: g.measure,
  dueOn: g.dueOn,
  helpers: g.helpers,
  status: g.status,
  citizenGoalId: g.citizenGoalId,
  subthemeCode: g.subthemeCode,
  expectedLevel: g.expectedLevel,
  goalTypeCode: g.goalTypeCode,
  gasWeight: g.gasWeight,
  gasLevels: g.gasLevels,
  gasBaseline: g.gasBaseline,
});

/** The columns of a goal's GAS scale from a request (none for a citizen's own goal or a purpose). */
const gasColumns = (kind: GoalKind, body: GoalCreate | GoalUpdate) =>
  GAS_KINDS.includes(kind) && body.gas
    ? { gasLevels: body.gas.levels, gasBaseline: body.gas.baseline }
    : { gasLevels: null, gasBaseline: null };

/**
 * Checks a goal against the FFB goal hierarchy: an indsatsmål has exactly one primary subtheme under
 * Aktivitet og deltagelse, an expected level and a goal type; a delmål hangs under an indsatsmål; links
 * stay inside the case; one indsatsformål per case.
 */
async function validateGoal(
  tx: Tx,
  ref: Reference,
  c: CaseRow,
  kind: GoalKind,
  body: GoalUpdate | GoalCreate,
  parentGoalId: string | null,
  selfId: string | null,
): Promise<{ errors: FieldError[]; ffbList: string | null }> {
  const errors: FieldError[] = [];
  const ffb = ref.current('ffb').key;
  let ffbList: string | null = null;
  if (kind === 'intervention') {
    ffbList = ffb;
    const sub = ref.codeOfKind(ffb, body.subthemeCode, 'subtheme');
    if (!body.subthemeCode)
      errors.push({ field: 'subthemeCode', message: 'Vælg det primære undertema', code: 'required' });
    else if (!sub) errors.push({ field: 'subthemeCode', message: 'Ukendt undertema', code: 'invalid_code' });
    else if (checkPrimarySubtheme(sub.attrs.category as FfbCategory))
      errors.push({
        field: 'subthemeCode',
        message: 'Indsatsmålets primære undertema skal ligge under Aktivitet og deltagelse',
        code: 'primary_must_be_activity',
      });
    if (body.expectedLevel === null)
      errors.push({
        field: 'expectedLevel',
        message: 'Angiv forventet funktionsevneniveau',
        code: 'required',
      });
    if (!body.goalTypeCode) errors.push({ field: 'goalTypeCode', message: 'Vælg måltype', code: 'required' });
    else if (!ref.codeOfKind(ffb, body.goalTypeCode, 'goal_type'))
      errors.push({ field: 'goalTypeCode', message: 'Ukendt måltype', code: 'invalid_code' });
  } else if (body.subthemeCode || body.expectedLevel !== null || body.goalTypeCode) {
    errors.push({
      field: 'subthemeCode',
      message: 'Undertema, niveau og måltype hører kun til indsatsmål',
      code: 'not_allowed',
    });
  }
  // GAS is a scale written for the goal: an indsatsmål or delmål is set with what −1, 0 and +1 (and
  // preferably −2 and +2) look like for this citizen, and where they stand now.
  if (GAS_KINDS.includes(kind) && !body.gas)
    errors.push({
      field: 'gas',
      message: 'Beskriv GAS-skalaen: det forventede resultat (0), lidt mindre (−1) og lidt mere (+1)',
      code: 'required',
    });
  else if (!GAS_KINDS.includes(kind) && body.gas)
    errors.push({
      field: 'gas',
      message: 'GAS-skalaen hører til indsatsmål og delmål',
      code: 'not_allowed',
    });
  const linked = [body.citizenGoalId, parentGoalId].filter((x): x is string => !!x);
  const found = linked.length
    ? await tx
        .select({ id: goals.id, kind: goals.kind, caseId: goals.caseId })
        .from(goals)
        .where(inArray(goals.id, linked))
    : [];
  const get = (id: string | null) => found.find((g) => g.id === id && g.caseId === c.id);
  if (body.citizenGoalId) {
    if (kind === 'citizen_goal')
      errors.push({
        field: 'citizenGoalId',
        message: 'Borgerens mål er selv udgangspunktet',
        code: 'not_allowed',
      });
    else if (get(body.citizenGoalId)?.kind !== 'citizen_goal')
      errors.push({
        field: 'citizenGoalId',
        message: 'Vælg et af borgerens mål på sagen',
        code: 'invalid_link',
      });
  }
  if (kind === 'sub') {
    if (get(parentGoalId)?.kind !== 'intervention')
      errors.push({
        field: 'parentGoalId',
        message: 'Et delmål skal høre til et indsatsmål',
        code: 'invalid_link',
      });
  } else if (parentGoalId) {
    errors.push({ field: 'parentGoalId', message: 'Kun delmål har et overordnet mål', code: 'not_allowed' });
  }
  if (kind === 'purpose') {
    const [other] = await tx
      .select({ id: goals.id })
      .from(goals)
      .where(
        and(
          eq(goals.caseId, c.id),
          eq(goals.kind, 'purpose'),
          selfId ? sql`${goals.id} <> ${selfId}` : undefined,
          sql`${goals.status} <> 'cancelled'`,
        ),
      );
    if (other)
      errors.push({ field: 'kind', message: 'Sagen har allerede et indsatsformål', code: 'purpose_exists' });
  }
  return { errors, ffbList };
}

const auditGoal = (
  tx: Tx,
  ctx: AuditContext,
  g: GoalRow,
  action: 'create' | 'update' | 'read',
  criteria?: object,
) =>
  audit(tx, ctx, {
    action,
    policy: action === 'read' ? 'case.read' : 'case.write',
    resourceType: 'goal',
    resourceId: g.id,
    citizenId: g.citizenId,
    caseId: g.caseId,
    criteria: (criteria as Record<string, unknown>) ?? null,
  });

/** Adds a goal to a case; its creation is the first entry of its history. */
export async function createGoal(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  caseId: string,
  body: GoalCreate,
) {
  const c = await loadCaseAllowed(tx, ctx, caseId, 'case.write', 'create', 'goal');
  if (!c) return null;
  return insertGoal(tx, ctx, ref, c, body, null);
}

/**
 * Validates and inserts a goal on a case the caller has already authorised; a provider's delmål carries
 * the service it belongs to.
 */
export async function insertGoal(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  c: CaseRow,
  body: GoalCreate,
  serviceId: string | null,
): Promise<GoalRow> {
  if (c.phase === 'closed') throw conflict('case_closed', 'Sagen er lukket.');
  const { errors, ffbList } = await validateGoal(tx, ref, c, body.kind, body, body.parentGoalId, null);
  if (errors.length) throw unprocessable('goal_invalid', 'Målet har fejl.', errors);
  const { gas: _gas, ...fields } = body;
  const [g] = await tx
    .insert(goals)
    .values({
      ...fields,
      ...gasColumns(body.kind, body),
      municipalityId: ctx.actor.municipalityId,
      citizenId: c.citizenId,
      caseId: c.id,
      ffbList,
      serviceId,
      createdBy: ctx.actor.userId,
      updatedBy: ctx.actor.userId,
    })
    .returning();
  await tx.insert(goalEvents).values({
    municipalityId: ctx.actor.municipalityId,
    goalId: g!.id,
    kind: 'created',
    snapshot: snapshot(g!),
    authorUserId: ctx.actor.userId,
  });
  await auditGoal(tx, ctx, g!, 'create', { kind: body.kind, serviceId: serviceId ?? undefined });
  return g!;
}

/** Sets goal statuses decided at a follow-up (each change goes into the goal's history). */
export async function setGoalStatuses(
  tx: Tx,
  ctx: AuditContext,
  caseId: string,
  changes: { goalId: string; status: string }[],
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const [i, ch] of changes.entries()) {
    const [g] = await tx
      .update(goals)
      .set({
        status: ch.status,
        version: sql`${goals.version} + 1`,
        updatedAt: sql`now()`,
        updatedBy: ctx.actor.userId,
      })
      .where(and(eq(goals.id, ch.goalId), eq(goals.caseId, caseId)))
      .returning();
    if (!g) {
      errors.push({
        field: `goalStatuses.${i}.goalId`,
        message: 'Målet hører ikke til sagen',
        code: 'invalid_link',
      });
      continue;
    }
    await tx.insert(goalEvents).values({
      municipalityId: ctx.actor.municipalityId,
      goalId: g.id,
      kind: 'updated',
      snapshot: snapshot(g),
      authorUserId: ctx.actor.userId,
    });
  }
  return errors;
}

async function loadGoalAllowed(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  policy: 'case.read' | 'case.write',
): Promise<{ goal: GoalRow; case: CaseRow } | null> {
  const action = policy === 'case.read' ? 'read' : 'update';
  const [g] = await tx.select().from(goals).where(eq(goals.id, id));
  if (!g) {
    await audit(tx, ctx, { action, policy, resourceType: 'goal', resourceId: id, outcome: 'denied' });
    return null;
  }
  const c = await loadCaseAllowed(tx, ctx, g.caseId, policy, action, 'goal');
  return c ? { goal: g, case: c } : null;
}

/** Changes a goal (optimistic concurrency); each change is kept as a snapshot in its history. */
export async function updateGoal(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  id: string,
  body: GoalUpdate,
): Promise<Change<GoalRow>> {
  const found = await loadGoalAllowed(tx, ctx, id, 'case.write');
  if (!found) return { notFound: true };
  const { goal, case: c } = found;
  if (c.phase === 'closed') throw conflict('case_closed', 'Sagen er lukket.');
  if (goal.version !== body.version) return { conflict: goal };
  const kind = goal.kind as GoalKind;
  const { errors, ffbList } = await validateGoal(tx, ref, c, kind, body, goal.parentGoalId, goal.id);
  if (errors.length) throw unprocessable('goal_invalid', 'Målet har fejl.', errors);
  const { version, gas: _gas, ...fields } = body;
  const [g] = await tx
    .update(goals)
    .set({
      ...fields,
      ...gasColumns(kind, body),
      ffbList,
      version: sql`${goals.version} + 1`,
      updatedAt: sql`now()`,
      updatedBy: ctx.actor.userId,
    })
    .where(eq(goals.id, id))
    .returning();
  await tx.insert(goalEvents).values({
    municipalityId: ctx.actor.municipalityId,
    goalId: id,
    kind: 'updated',
    snapshot: snapshot(g!),
    authorUserId: ctx.actor.userId,
  });
  await auditGoal(tx, ctx, g!, 'update', { status: g!.status });
  return { ok: g! };
}

/** A dated note on a goal, with its author (målnotat). */
export async function addGoalNote(tx: Tx, ctx: AuditContext, id: string, body: string) {
  const found = await loadGoalAllowed(tx, ctx, id, 'case.write');
  if (!found) return null;
  await tx.insert(goalEvents).values({
    municipalityId: ctx.actor.municipalityId,
    goalId: id,
    kind: 'note',
    body,
    authorUserId: ctx.actor.userId,
  });
  await auditGoal(tx, ctx, found.goal, 'update', { note: true });
  return found.goal;
}

export async function goalHistory(tx: Tx, ctx: AuditContext, id: string) {
  const found = await loadGoalAllowed(tx, ctx, id, 'case.read');
  if (!found) return null;
  await auditGoal(tx, ctx, found.goal, 'read', { history: true });
  return goalEventsOf(tx, [id]);
}

export async function goalEventsOf(tx: Tx, goalIds: string[]) {
  if (!goalIds.length) return [];
  return tx
    .select({
      id: goalEvents.id,
      goalId: goalEvents.goalId,
      kind: goalEvents.kind,
      snapshot: goalEvents.snapshot,
      body: goalEvents.body,
      authorName: author.displayName,
      createdAt: goalEvents.createdAt,
    })
    .from(goalEvents)
    .leftJoin(author, eq(author.id, goalEvents.authorUserId))
    .where(inArray(goalEvents.goalId, goalIds))
    .orderBy(asc(goalEvents.createdAt), asc(goalEvents.id));
}

export function goalsOfCase(tx: Tx, caseId: string) {
  return tx.select().from(goals).where(eq(goals.caseId, caseId)).orderBy(asc(goals.createdAt), asc(goals.id));
}

const CITIZEN_WORDS = new Set(['citizen', 'citizen_supported']);

/**
 * Goal ids that cannot be traced to something the citizen said: not in the citizen's own words and not
 * linked (directly or through the indsatsmål above it) to one of the citizen's own goals in their words.
 */
export function untracedGoals(all: Pick<GoalRow, 'id' | 'wordsOf' | 'citizenGoalId' | 'parentGoalId'>[]) {
  const byId = new Map(all.map((g) => [g.id, g]));
  const memo = new Map<string, boolean>();
  const traced = (id: string | null, depth = 0): boolean => {
    if (!id || depth > 5) return false;
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    const g = byId.get(id);
    const r =
      !!g &&
      (CITIZEN_WORDS.has(g.wordsOf) ||
        traced(g.citizenGoalId, depth + 1) ||
        traced(g.parentGoalId, depth + 1));
    memo.set(id, r);
    return r;
  };
  return new Set(all.filter((g) => !traced(g.id)).map((g) => g.id));
}
