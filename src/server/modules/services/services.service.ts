import { aliasedTable, and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Cadence, nextFollowUpDue } from '../../../shared/domain/cadence';
import { addMonths } from '../../../shared/domain/dates';
import { grantProblems, ydelseFitsParagraph } from '../../../shared/domain/grant';
import type {
  FollowUpCreate,
  GoalCreate,
  ProviderPlanSave,
  ServiceCreate,
  ServiceStatusChange,
  ServiceUpdate,
} from '../../../shared/pathway';
import {
  catalogueItems,
  followUpPreparations,
  followUpRatings,
  followUps,
  goals,
  orgUnits,
  providerPlans,
  serviceEvents,
  serviceGoals,
  services,
  users,
} from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { type Change, conflict, type FieldError, unprocessable } from '../../platform/errors';
import { can } from '../../platform/policy';
import { inOrder, type Tx } from '../../platform/tenancy';
import { type CaseRow, caseResource, loadCaseAllowed } from '../cases/cases.service';
import { insertGoal, setGoalStatuses } from '../goals/goals.service';
import type { Reference } from '../reference/reference';

export type ServiceRow = typeof services.$inferSelect;

const author = aliasedTable(users, 'author');

/** What may be done with a service: read it, change it (the authority), or work on it (its provider). */
export type ServiceAccess = 'read' | 'write' | 'provide';

/**
 * Loads a service with its case. Reading follows the case; changing it is the authority's (case.write);
 * providing (plan, delmål, follow-up, measures) is also open to staff of the provider unit delivering it.
 */
export async function loadServiceAllowed(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  access: ServiceAccess,
): Promise<{ service: ServiceRow; caseRow: CaseRow } | null> {
  const action = access === 'read' ? 'read' : 'update';
  const [s] = await tx.select().from(services).where(eq(services.id, id));
  const deny = () =>
    audit(tx, ctx, {
      action,
      policy: access === 'read' ? 'case.read' : 'case.write',
      resourceType: 'service',
      resourceId: id,
      citizenId: s?.citizenId ?? null,
      caseId: s?.caseId ?? null,
      outcome: 'denied',
    });
  if (!s) {
    await deny();
    return null;
  }
  const provider =
    s.status !== 'proposed' &&
    can(ctx.actor, 'service.provide', { type: 'service', unitIds: [], providerUnitIds: [s.providerUnitId] });
  const policy = access === 'read' ? 'case.read' : 'case.write';
  if (access === 'provide' && provider) {
    const c = await loadCaseAllowed(tx, ctx, s.caseId, 'case.read', action, 'service');
    return c ? { service: s, caseRow: c } : null;
  }
  const c = await loadCaseAllowed(tx, ctx, s.caseId, policy, action, 'service');
  if (!c) return null;
  // A provider reads only the services its own unit delivers.
  if (
    access === 'read' &&
    !can(ctx.actor, 'case.read', { type: 'case', unitIds: [c.authorityUnitId] }) &&
    !provider
  ) {
    await deny();
    return null;
  }
  return { service: s, caseRow: c };
}

const auditService = (
  tx: Tx,
  ctx: AuditContext,
  s: ServiceRow,
  action: 'create' | 'update' | 'read',
  criteria?: Record<string, unknown>,
) =>
  audit(tx, ctx, {
    action,
    policy: action === 'read' ? 'case.read' : 'case.write',
    resourceType: 'service',
    resourceId: s.id,
    citizenId: s.citizenId,
    caseId: s.caseId,
    criteria: criteria ?? null,
  });

const cadenceOf = (s: Pick<ServiceRow, 'cadenceKind' | 'cadenceMonths'>): Cadence =>
  s.cadenceKind === 'close'
    ? { kind: 'close', months: (s.cadenceMonths ?? 3) as 1 | 2 | 3 }
    : { kind: 'standard' };

/** The paragraph's time limit (§82b: 6 months) from the reference data. */
const maxMonthsOf = (ref: Reference, s: Pick<ServiceRow, 'paragraphList' | 'paragraphCode'>) =>
  (ref.code(s.paragraphList, s.paragraphCode)?.attrs.maxMonths as number | null | undefined) ?? null;

/** The next follow-up of a running service by its cadence; none before it starts or after it ends. */
export function computeNextFollowUp(ref: Reference, s: ServiceRow): string | null {
  if (!s.startOn || s.status === 'ended' || s.status === 'proposed') return null;
  return nextFollowUpDue({
    startDate: s.startOn,
    endDate: s.endOn,
    lastFollowUpDate: s.lastFollowUpOn,
    cadence: cadenceOf(s),
    maxMonths: maxMonthsOf(ref, s),
    agreedNextDate: s.agreedNextOn,
  });
}

async function refreshNextFollowUp(tx: Tx, ref: Reference, id: string) {
  const [s] = await tx.select().from(services).where(eq(services.id, id));
  const next = computeNextFollowUp(ref, s!);
  if (next !== s!.nextFollowUpOn)
    await tx.update(services).set({ nextFollowUpOn: next }).where(eq(services.id, id));
}

/** Codes, provider unit, goals and the paragraph's time limit; returns field errors. */
async function validateService(
  tx: Tx,
  ref: Reference,
  c: CaseRow,
  body: ServiceCreate | ServiceUpdate,
  /** The status the service will have: granted and active services need the grant's facts. */
  status: string,
): Promise<{ errors: FieldError[]; price: { priceAmount: string | null; priceUnit: string | null } }> {
  const errors: FieldError[] = [];
  const ffb = ref.current('ffb').key;
  const sel = ref.current('serviceloven');
  const ydelse = ref.codeOfKind(ffb, body.ydelseCode, 'ydelse');
  if (!ydelse) errors.push({ field: 'ydelseCode', message: 'Vælg en ydelse fra FFB', code: 'invalid_code' });
  const paragraph = ref.codeOfKind(sel.key, body.paragraphCode, 'paragraph');
  if (!paragraph) errors.push({ field: 'paragraphCode', message: 'Vælg en paragraf', code: 'invalid_code' });
  else if (ydelse && !ydelseFitsParagraph(body.ydelseCode, (paragraph.attrs.ydelser as string[]) ?? null))
    errors.push({
      field: 'ydelseCode',
      message: `«${ydelse.display}» gives ikke efter ${body.paragraphCode}`,
      code: 'ydelse_not_under_paragraph',
    });
  if (body.supportNeedCode && !ref.codeOfKind(ffb, body.supportNeedCode, 'support_need'))
    errors.push({ field: 'supportNeedCode', message: 'Ukendt støttebehovsniveau', code: 'invalid_code' });
  if (!ref.codeOfKind(ffb, body.primaryTargetGroupCode, 'target_group'))
    errors.push({
      field: 'primaryTargetGroupCode',
      message: 'Vælg den primære målgruppe',
      code: 'invalid_code',
    });
  body.secondaryTargetGroupCodes.forEach((g, i) => {
    if (!ref.codeOfKind(ffb, g, 'target_group') || g === body.primaryTargetGroupCode)
      errors.push({
        field: `secondaryTargetGroupCodes.${i}`,
        message: 'Ugyldig sekundær målgruppe',
        code: 'invalid_code',
      });
  });
  const [unit] = await tx
    .select({ kind: orgUnits.kind, active: orgUnits.active })
    .from(orgUnits)
    .where(eq(orgUnits.id, body.providerUnitId));
  if (unit?.kind !== 'tilbud' || !unit.active)
    errors.push({
      field: 'providerUnitId',
      message: 'Vælg et aktivt tilbud som leverandør',
      code: 'invalid_unit',
    });
  if (body.startOn && body.endOn && body.endOn < body.startOn)
    errors.push({ field: 'endOn', message: 'Slutdatoen ligger før startdatoen', code: 'invalid_range' });
  const maxMonths = (paragraph?.attrs.maxMonths as number | null | undefined) ?? null;
  if (maxMonths && body.startOn && body.endOn) {
    if (body.endOn > addMonths(body.startOn, maxMonths))
      errors.push({
        field: 'endOn',
        message: `${body.paragraphCode} gives i højst ${maxMonths} måneder`,
        code: 'too_long',
      });
  }
  if (body.goalIds.length) {
    const found = await tx
      .select({ id: goals.id })
      .from(goals)
      .where(and(inArray(goals.id, body.goalIds), eq(goals.caseId, c.id), eq(goals.kind, 'intervention')));
    if (found.length !== new Set(body.goalIds).size)
      errors.push({ field: 'goalIds', message: 'Vælg indsatsmål fra sagen', code: 'invalid_link' });
  }
  errors.push(
    ...grantProblems({
      status,
      supportNeedCode: body.supportNeedCode,
      primaryTargetGroupCode: body.primaryTargetGroupCode,
      startOn: body.startOn,
      interventionGoals: new Set(body.goalIds).size,
    }),
  );
  let price: { priceAmount: string | null; priceUnit: string | null } = {
    priceAmount: body.priceAmount?.toFixed(2) ?? null,
    priceUnit: body.priceUnit,
  };
  if ((body.priceAmount === null) !== (body.priceUnit === null))
    errors.push({ field: 'priceUnit', message: 'Angiv både pris og enhed', code: 'required' });
  if (body.catalogueItemId) {
    const [item] = await tx
      .select()
      .from(catalogueItems)
      .where(and(eq(catalogueItems.id, body.catalogueItemId), eq(catalogueItems.kind, 'local_service')));
    if (!item)
      errors.push({ field: 'catalogueItemId', message: 'Ukendt lokal ydelse', code: 'invalid_link' });
    else if (body.priceAmount === null && item.priceAmount !== null)
      price = { priceAmount: item.priceAmount, priceUnit: item.priceUnit };
  }
  return { errors, price };
}

const cadenceColumns = (c: Cadence) => ({
  cadenceKind: c.kind,
  cadenceMonths: c.kind === 'close' ? c.months : null,
});

/**
 * The columns a create or update writes from the request. Codes were validated against the current code
 * lists, so they are stored with those lists' keys.
 */
function serviceColumns(
  ref: Reference,
  body: ServiceCreate | ServiceUpdate,
  price: { priceAmount: string | null; priceUnit: string | null },
) {
  return {
    ffbList: ref.current('ffb').key,
    ydelseCode: body.ydelseCode,
    paragraphList: ref.current('serviceloven').key,
    paragraphCode: body.paragraphCode,
    providerUnitId: body.providerUnitId,
    catalogueItemId: body.catalogueItemId,
    primaryTargetGroupCode: body.primaryTargetGroupCode,
    secondaryTargetGroupCodes: body.secondaryTargetGroupCodes,
    supportNeedCode: body.supportNeedCode,
    startOn: body.startOn,
    endOn: body.endOn,
    hoursPerWeek: body.hoursPerWeek?.toFixed(2) ?? null,
    ...price,
    ...cadenceColumns(body.cadence),
  };
}

async function linkGoals(tx: Tx, municipalityId: string, serviceId: string, goalIds: string[]) {
  await tx.delete(serviceGoals).where(eq(serviceGoals.serviceId, serviceId));
  if (goalIds.length)
    await tx
      .insert(serviceGoals)
      .values([...new Set(goalIds)].map((goalId) => ({ municipalityId, serviceId, goalId })));
}

/** Proposes or grants a service on a case. */
export async function createService(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  caseId: string,
  body: ServiceCreate,
  today: string,
) {
  const c = await loadCaseAllowed(tx, ctx, caseId, 'case.write', 'create', 'service');
  if (!c) return null;
  if (c.phase === 'closed') throw conflict('case_closed', 'Sagen er lukket.');
  const { errors, price } = await validateService(tx, ref, c, body, body.status);
  if (errors.length) throw unprocessable('service_invalid', 'Ydelsen har fejl.', errors);
  const m = ctx.actor.municipalityId;
  const [s] = await tx
    .insert(services)
    .values({
      municipalityId: m,
      citizenId: c.citizenId,
      caseId,
      ...serviceColumns(ref, body, price),
      status: body.status,
      createdBy: ctx.actor.userId,
      updatedBy: ctx.actor.userId,
    })
    .returning();
  await linkGoals(tx, m, s!.id, body.goalIds);
  await tx.insert(serviceEvents).values({
    municipalityId: m,
    serviceId: s!.id,
    fromStatus: null,
    toStatus: body.status,
    on: today,
    authorUserId: ctx.actor.userId,
  });
  await auditService(tx, ctx, s!, 'create', { status: body.status });
  return s!;
}

/** Changes a service that has not ended (optimistic concurrency). */
export async function updateService(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  id: string,
  body: ServiceUpdate,
): Promise<Change<ServiceRow>> {
  const found = await loadServiceAllowed(tx, ctx, id, 'write');
  if (!found) return { notFound: true };
  const { service: s, caseRow } = found;
  if (s.status === 'ended') throw conflict('service_ended', 'Ydelsen er afsluttet.');
  if (s.version !== body.version) return { conflict: s };
  if (s.status === 'active' && !body.startOn)
    throw unprocessable('service_invalid', 'Ydelsen har fejl.', [
      { field: 'startOn', message: 'En aktiv ydelse har en startdato', code: 'required' },
    ]);
  const { errors, price } = await validateService(tx, ref, caseRow, body, s.status);
  if (errors.length) throw unprocessable('service_invalid', 'Ydelsen har fejl.', errors);
  const [u] = await tx
    .update(services)
    .set({
      ...serviceColumns(ref, body, price),
      version: sql`${services.version} + 1`,
      updatedAt: sql`now()`,
      updatedBy: ctx.actor.userId,
    })
    .where(eq(services.id, id))
    .returning();
  await linkGoals(tx, ctx.actor.municipalityId, id, body.goalIds);
  await refreshNextFollowUp(tx, ref, id);
  await auditService(tx, ctx, u!, 'update');
  return { ok: u! };
}

const NEXT: Record<string, string[]> = {
  proposed: ['granted', 'ended'],
  granted: ['active', 'ended'],
  active: ['ended'],
  ended: [],
};

/** proposed → granted → active → ended; ending needs a coded reason (KL "Begrundelse for indsatsophør"). */
export async function changeServiceStatus(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  id: string,
  body: ServiceStatusChange,
  today: string,
): Promise<Change<ServiceRow>> {
  const found = await loadServiceAllowed(tx, ctx, id, 'write');
  if (!found) return { notFound: true };
  const s = found.service;
  if (s.version !== body.version) return { conflict: s };
  if (!NEXT[s.status]!.includes(body.status))
    throw conflict('invalid_transition', 'Ydelsen kan ikke skifte til den status herfra.', {
      from: s.status,
      to: body.status,
    });
  const on = body.on ?? today;
  const kl = ref.current('kl-caresocial');
  const patch: Partial<typeof services.$inferInsert> = { status: body.status };
  if (body.status === 'active') patch.startOn = s.startOn && s.startOn <= on ? s.startOn : on;
  const [{ n: interventionGoals } = { n: 0 }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(serviceGoals)
    .innerJoin(goals, eq(goals.id, serviceGoals.goalId))
    .where(and(eq(serviceGoals.serviceId, id), eq(goals.kind, 'intervention')));
  const missing = grantProblems({
    status: body.status,
    supportNeedCode: s.supportNeedCode,
    primaryTargetGroupCode: s.primaryTargetGroupCode,
    startOn: patch.startOn ?? s.startOn,
    interventionGoals,
  });
  if (missing.length)
    throw unprocessable(
      'grant_incomplete',
      `Ydelsen kan ikke ${body.status === 'granted' ? 'bevilges' : 'startes'} endnu: ${missing.map((p) => p.message.toLowerCase()).join('; ')}.`,
      missing,
    );
  if (body.status === 'ended') {
    if (!ref.codeOfKind(kl.key, body.endReasonCode, 'end_reason'))
      throw unprocessable('service_invalid', 'Vælg en begrundelse for ophør.', [
        { field: 'endReasonCode', message: 'Vælg en begrundelse for ophør', code: 'required' },
      ]);
    patch.endReasonList = kl.key;
    patch.endReasonCode = body.endReasonCode;
    patch.endOn = s.endOn && s.endOn < on ? s.endOn : on;
    if (s.startOn && patch.endOn < s.startOn) patch.endOn = s.startOn;
    patch.nextFollowUpOn = null;
  }
  const [u] = await tx
    .update(services)
    .set({
      ...patch,
      version: sql`${services.version} + 1`,
      updatedAt: sql`now()`,
      updatedBy: ctx.actor.userId,
    })
    .where(eq(services.id, id))
    .returning();
  await tx.insert(serviceEvents).values({
    municipalityId: ctx.actor.municipalityId,
    serviceId: id,
    fromStatus: s.status,
    toStatus: body.status,
    on,
    authorUserId: ctx.actor.userId,
  });
  await refreshNextFollowUp(tx, ref, id);
  await auditService(tx, ctx, u!, 'update', { status: body.status });
  const [fresh] = await tx.select().from(services).where(eq(services.id, id));
  return { ok: fresh! };
}

/** A new version of the provider's plan (indsatsplan) with the methods used. */
export async function saveProviderPlan(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  id: string,
  body: ProviderPlanSave,
) {
  const found = await loadServiceAllowed(tx, ctx, id, 'provide');
  if (!found) return null;
  const known = new Set(ref.ofKind(ref.current('methods').key, 'method').map((m) => m.code));
  const local = await tx
    .select({ code: catalogueItems.code })
    .from(catalogueItems)
    .where(and(eq(catalogueItems.kind, 'method'), eq(catalogueItems.active, true)));
  for (const l of local) known.add(l.code);
  const errors = body.methodCodes
    .map((c, i) =>
      known.has(c) ? null : { field: `methodCodes.${i}`, message: 'Ukendt metode', code: 'invalid_code' },
    )
    .filter((e): e is FieldError => e !== null);
  if (errors.length) throw unprocessable('plan_invalid', 'Planen har fejl.', errors);
  const [last] = await tx
    .select({ version: providerPlans.version })
    .from(providerPlans)
    .where(eq(providerPlans.serviceId, id))
    .orderBy(desc(providerPlans.version))
    .limit(1);
  await tx.insert(providerPlans).values({
    municipalityId: ctx.actor.municipalityId,
    serviceId: id,
    version: (last?.version ?? 0) + 1,
    approach: body.approach,
    methodCodes: [...new Set(body.methodCodes)],
    authorUserId: ctx.actor.userId,
  });
  await auditService(tx, ctx, found.service, 'update', { providerPlan: (last?.version ?? 0) + 1 });
  return found.service;
}

/** The provider's delmål under one of the service's indsatsmål. */
export async function addSubGoal(tx: Tx, ctx: AuditContext, ref: Reference, id: string, body: GoalCreate) {
  const found = await loadServiceAllowed(tx, ctx, id, 'provide');
  if (!found) return null;
  const linked = await tx
    .select({ goalId: serviceGoals.goalId })
    .from(serviceGoals)
    .where(eq(serviceGoals.serviceId, id));
  if (!body.parentGoalId || !linked.some((l) => l.goalId === body.parentGoalId))
    throw unprocessable('goal_invalid', 'Målet har fejl.', [
      { field: 'parentGoalId', message: 'Vælg et af ydelsens indsatsmål', code: 'invalid_link' },
    ]);
  await insertGoal(tx, ctx, ref, found.caseRow, { ...body, kind: 'sub' }, id);
  return found.service;
}

/**
 * Records a follow-up: GAS per goal by the citizen and the professional, the coded result, notes, goal
 * statuses and the next date. "End" and "end and refer" need a coded reason: recorded by the authority they
 * end the service; recorded by the provider they recommend ending it, and the caseworker decides.
 */
export async function recordFollowUp(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  id: string,
  body: FollowUpCreate,
  today: string,
) {
  const found = await loadServiceAllowed(tx, ctx, id, 'provide');
  if (!found) return null;
  const { service: s, caseRow } = found;
  if (s.status !== 'active') throw conflict('service_not_active', 'Der følges kun op på aktive ydelser.');
  // Ending a service is the authority's decision: the provider's follow-up may recommend it, and the
  // service ends only when a caseworker on the case records the follow-up or ends it.
  const authority = can(ctx.actor, 'case.write', caseResource(caseRow));
  const ffb = ref.current('ffb').key;
  const kl = ref.current('kl-caresocial').key;
  const errors: FieldError[] = [];
  const result = ref.codeOfKind(ffb, body.resultCode, 'follow_up_result');
  if (!result)
    errors.push({ field: 'resultCode', message: 'Vælg resultat af opfølgningen', code: 'invalid_code' });
  const ends = result?.attrs.ends === true;
  if (ends && !ref.codeOfKind(kl, body.endReasonCode, 'end_reason'))
    errors.push({ field: 'endReasonCode', message: 'Vælg en begrundelse for ophør', code: 'required' });
  if (body.heldOn > today)
    errors.push({ field: 'heldOn', message: 'Opfølgningen kan ikke ligge i fremtiden', code: 'future' });
  if (s.startOn && body.heldOn < s.startOn)
    errors.push({
      field: 'heldOn',
      message: 'Opfølgningen ligger før ydelsens start',
      code: 'invalid_range',
    });
  if (body.nextOn && body.nextOn <= body.heldOn)
    errors.push({
      field: 'nextOn',
      message: 'Næste opfølgning skal ligge efter denne',
      code: 'invalid_range',
    });
  const goalIds = [
    ...new Set([...body.ratings.map((r) => r.goalId), ...body.goalStatuses.map((g) => g.goalId)]),
  ];
  const caseGoals = goalIds.length
    ? await tx
        .select({
          id: goals.id,
          gasWeight: goals.gasWeight,
          scaled: sql<boolean>`${goals.gasLevels} is not null`,
        })
        .from(goals)
        .where(and(inArray(goals.id, goalIds), eq(goals.caseId, s.caseId)))
    : [];
  const seen = new Set<string>();
  body.ratings.forEach((r, i) => {
    const goal = caseGoals.find((g) => g.id === r.goalId);
    if (!goal)
      errors.push({
        field: `ratings.${i}.goalId`,
        message: 'Målet hører ikke til sagen',
        code: 'invalid_link',
      });
    else if (!goal.scaled)
      errors.push({
        field: `ratings.${i}.goalId`,
        message: 'Målet har ingen GAS-skala. Beskriv skalaen på målet, før det kan vurderes med GAS.',
        code: 'no_gas_scale',
      });
    if (!ref.codeOfKind(kl, r.informantCode, 'informant'))
      errors.push({ field: `ratings.${i}.informantCode`, message: 'Ukendt kilde', code: 'invalid_code' });
    const key = `${r.goalId}|${r.rater}`;
    if (seen.has(key))
      errors.push({ field: `ratings.${i}.rater`, message: 'Målet er vurderet to gange', code: 'duplicate' });
    seen.add(key);
  });
  if (errors.length) throw unprocessable('follow_up_invalid', 'Opfølgningen har fejl.', errors);
  const m = ctx.actor.municipalityId;
  const [f] = await tx
    .insert(followUps)
    .values({
      municipalityId: m,
      citizenId: s.citizenId,
      caseId: s.caseId,
      serviceId: id,
      heldOn: body.heldOn,
      ffbList: ffb,
      resultCode: body.resultCode,
      notes: body.notes,
      citizenView: body.citizenView,
      nextOn: body.nextOn,
      ...(ends ? { endReasonList: kl, endReasonCode: body.endReasonCode, endRecommended: !authority } : {}),
      ...body.life,
      authorUserId: ctx.actor.userId,
    })
    .returning();
  if (body.ratings.length)
    await tx.insert(followUpRatings).values(
      body.ratings.map((r) => ({
        municipalityId: m,
        followUpId: f!.id,
        goalId: r.goalId,
        rater: r.rater,
        informantList: kl,
        informantCode: r.informantCode,
        score: r.score,
        weight: caseGoals.find((g) => g.id === r.goalId)?.gasWeight ?? 1,
      })),
    );
  // The citizen's preparation in the portal (Før opfølgningen) was for this follow-up: it is used now, and
  // the next one starts fresh.
  await tx
    .update(followUpPreparations)
    .set({ usedAt: new Date(), usedInFollowUpId: f!.id })
    .where(and(eq(followUpPreparations.citizenId, s.citizenId), isNull(followUpPreparations.usedAt)));
  const statusErrors = await setGoalStatuses(tx, ctx, s.caseId, body.goalStatuses);
  if (statusErrors.length) throw unprocessable('follow_up_invalid', 'Opfølgningen har fejl.', statusErrors);
  const latest = s.lastFollowUpOn && s.lastFollowUpOn > body.heldOn ? s.lastFollowUpOn : body.heldOn;
  await tx
    .update(services)
    .set({
      lastFollowUpOn: latest,
      agreedNextOn: body.nextOn,
      ...(body.cadence ? cadenceColumns(body.cadence) : {}),
      version: sql`${services.version} + 1`,
      updatedAt: sql`now()`,
      updatedBy: ctx.actor.userId,
    })
    .where(eq(services.id, id));
  if (ends && authority) {
    const [fresh] = await tx.select().from(services).where(eq(services.id, id));
    await tx
      .update(services)
      .set({
        status: 'ended',
        endOn: body.heldOn,
        endReasonList: kl,
        endReasonCode: body.endReasonCode,
        nextFollowUpOn: null,
        version: sql`${services.version} + 1`,
      })
      .where(eq(services.id, id));
    await tx.insert(serviceEvents).values({
      municipalityId: m,
      serviceId: id,
      fromStatus: fresh!.status,
      toStatus: 'ended',
      on: body.heldOn,
      authorUserId: ctx.actor.userId,
    });
  } else {
    await refreshNextFollowUp(tx, ref, id);
  }
  await audit(tx, ctx, {
    action: 'create',
    policy: 'case.write',
    resourceType: 'follow_up',
    resourceId: f!.id,
    citizenId: s.citizenId,
    caseId: s.caseId,
    criteria: { serviceId: id, result: result!.display, endRecommended: f!.endRecommended || undefined },
  });
  return f!;
}

/** Everything on one service: linked goals and delmål, provider plans, follow-ups with ratings. */
export async function serviceDetail(tx: Tx, id: string) {
  const [linked, subGoals, plans, follow, events] = await inOrder([
    tx
      .select({ goal: goals })
      .from(serviceGoals)
      .innerJoin(goals, eq(goals.id, serviceGoals.goalId))
      .where(eq(serviceGoals.serviceId, id)),
    tx.select().from(goals).where(eq(goals.serviceId, id)).orderBy(asc(goals.createdAt)),
    tx
      .select({
        version: providerPlans.version,
        approach: providerPlans.approach,
        methodCodes: providerPlans.methodCodes,
        authorName: author.displayName,
        createdAt: providerPlans.createdAt,
      })
      .from(providerPlans)
      .leftJoin(author, eq(author.id, providerPlans.authorUserId))
      .where(eq(providerPlans.serviceId, id))
      .orderBy(desc(providerPlans.version)),
    tx
      .select({
        id: followUps.id,
        heldOn: followUps.heldOn,
        ffbList: followUps.ffbList,
        resultCode: followUps.resultCode,
        notes: followUps.notes,
        citizenView: followUps.citizenView,
        nextOn: followUps.nextOn,
        endReasonList: followUps.endReasonList,
        endReasonCode: followUps.endReasonCode,
        endRecommended: followUps.endRecommended,
        housing: followUps.housing,
        employment: followUps.employment,
        education: followUps.education,
        psychiatryContact: followUps.psychiatryContact,
        admissions12m: followUps.admissions12m,
        admissionDays12m: followUps.admissionDays12m,
        authorName: author.displayName,
        createdAt: followUps.createdAt,
      })
      .from(followUps)
      .leftJoin(author, eq(author.id, followUps.authorUserId))
      .where(eq(followUps.serviceId, id))
      .orderBy(asc(followUps.heldOn), asc(followUps.createdAt)),
    tx
      .select({
        fromStatus: serviceEvents.fromStatus,
        toStatus: serviceEvents.toStatus,
        on: serviceEvents.on,
      })
      .from(serviceEvents)
      .where(eq(serviceEvents.serviceId, id))
      .orderBy(asc(serviceEvents.createdAt)),
  ]);
  const caseGoals = await tx
    .select({
      id: goals.id,
      wordsOf: goals.wordsOf,
      citizenGoalId: goals.citizenGoalId,
      parentGoalId: goals.parentGoalId,
    })
    .from(goals)
    .innerJoin(services, eq(services.caseId, goals.caseId))
    .where(eq(services.id, id));
  const ratings = follow.length
    ? await tx
        .select()
        .from(followUpRatings)
        .where(
          inArray(
            followUpRatings.followUpId,
            follow.map((f) => f.id),
          ),
        )
    : [];
  // What the citizen prepared in the portal for the next follow-up (topics, their own GAS levels).
  const [preparation] = await tx
    .select({
      topics: followUpPreparations.topics,
      ratings: followUpPreparations.ratings,
      updatedAt: followUpPreparations.updatedAt,
    })
    .from(followUpPreparations)
    .innerJoin(services, eq(services.citizenId, followUpPreparations.citizenId))
    .where(and(eq(services.id, id), isNull(followUpPreparations.usedAt)));
  return {
    goals: linked.map((l) => l.goal),
    subGoals,
    caseGoals,
    plans,
    followUps: follow,
    ratings,
    events,
    preparation: preparation ?? null,
  };
}

export async function readService(tx: Tx, ctx: AuditContext, id: string) {
  const found = await loadServiceAllowed(tx, ctx, id, 'read');
  if (!found) return null;
  const detail = await serviceDetail(tx, id);
  await auditService(tx, ctx, found.service, 'read');
  return { ...found, detail };
}

/** The services of a case with their provider's name and linked goals (for the case page), oldest first. */
export async function servicesWithGoals(tx: Tx, caseId: string) {
  const rows = await tx
    .select({ service: services, unitName: orgUnits.name })
    .from(services)
    .innerJoin(orgUnits, eq(orgUnits.id, services.providerUnitId))
    .where(eq(services.caseId, caseId))
    .orderBy(asc(services.createdAt));
  const links = rows.length
    ? await tx
        .select()
        .from(serviceGoals)
        .where(
          inArray(
            serviceGoals.serviceId,
            rows.map((r) => r.service.id),
          ),
        )
    : [];
  return rows.map((r) => ({
    ...r,
    goalIds: links.filter((l) => l.serviceId === r.service.id).map((l) => l.goalId),
  }));
}
