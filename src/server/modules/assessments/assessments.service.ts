import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { checkFunctioningLevel, type FfbCategory } from '../../../shared/domain/ffb';
import type { AssessmentKind, AssessmentUpdate } from '../../../shared/pathway';
import { assessmentAccounts, assessmentConditions, assessments } from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { type Change, conflict, type FieldError, unprocessable } from '../../platform/errors';
import type { Tx } from '../../platform/tenancy';
import { type CaseRow, loadCaseAllowed, readsAsAuthority } from '../cases/cases.service';
import type { Reference } from '../reference/reference';

export type AssessmentRow = typeof assessments.$inferSelect;
export type ConditionRow = typeof assessmentConditions.$inferSelect;
export type AccountRow = typeof assessmentAccounts.$inferSelect;

export interface LoadedAssessment {
  row: AssessmentRow;
  conditions: ConditionRow[];
  accounts: AccountRow[];
}
/** An assessment with the case it belongs to (which decides access). */
export type AssessmentView = LoadedAssessment & { caseRow: CaseRow };

async function loadAssessment(tx: Tx, id: string): Promise<LoadedAssessment | null> {
  const [row] = await tx.select().from(assessments).where(eq(assessments.id, id));
  if (!row) return null;
  const conditions = await tx
    .select()
    .from(assessmentConditions)
    .where(eq(assessmentConditions.assessmentId, id));
  const accounts = await tx.select().from(assessmentAccounts).where(eq(assessmentAccounts.assessmentId, id));
  return { row, conditions, accounts };
}

/** An assessment whose case the actor may act on (the case decides access). */
async function loadAllowed(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  policy: 'case.read' | 'case.write',
  action: 'read' | 'update',
): Promise<AssessmentView | null> {
  const loaded = await loadAssessment(tx, id);
  if (!loaded) {
    await audit(tx, ctx, { action, policy, resourceType: 'assessment', resourceId: id, outcome: 'denied' });
    return null;
  }
  const c = await loadCaseAllowed(tx, ctx, loaded.row.caseId, policy, action, 'assessment');
  if (!c) return null;
  // The assessment is the authority's: provider staff get the goals and their service, not the udredning.
  if (!readsAsAuthority(ctx.actor, c)) {
    await audit(tx, ctx, {
      action,
      policy,
      resourceType: 'assessment',
      resourceId: id,
      citizenId: c.citizenId,
      caseId: c.id,
      outcome: 'denied',
    });
    return null;
  }
  return { ...loaded, caseRow: c };
}

const auditAssessment = (
  tx: Tx,
  ctx: AuditContext,
  a: AssessmentRow,
  action: 'read' | 'create' | 'update',
  criteria?: Record<string, unknown>,
) =>
  audit(tx, ctx, {
    action,
    policy: action === 'read' ? 'case.read' : 'case.write',
    resourceType: 'assessment',
    resourceId: a.id,
    citizenId: a.citizenId,
    caseId: a.caseId,
    criteria: criteria ?? null,
  });

/**
 * Starts a draft assessment on a case. A re-assessment or follow-up starts from the last completed one, so
 * the caseworker records what changed; the completed one stays as it was. One draft per case at a time.
 */
export async function startAssessment(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  caseId: string,
  body: { kind: AssessmentKind; assessedOn?: string | undefined },
  today: string,
): Promise<AssessmentView | null> {
  const c = await loadCaseAllowed(tx, ctx, caseId, 'case.write', 'create', 'assessment');
  if (!c) return null;
  if (c.phase === 'closed') throw conflict('case_closed', 'Sagen er lukket.');
  const [draft] = await tx
    .select({ id: assessments.id })
    .from(assessments)
    .where(and(eq(assessments.caseId, caseId), eq(assessments.status, 'draft')));
  if (draft)
    throw conflict('draft_exists', 'Der er allerede en udredning under arbejde på sagen.', {
      assessmentId: draft.id,
    });
  const [previous] = await tx
    .select()
    .from(assessments)
    .where(and(eq(assessments.caseId, caseId), eq(assessments.status, 'completed')))
    .orderBy(desc(assessments.assessedOn), desc(assessments.completedAt))
    .limit(1);
  const ffb = ref.current('ffb');
  // A previous assessment made with an older FFB version is carried over only where its codes still exist.
  const carry = previous && previous.ffbList === ffb.key ? previous : null;
  const [created] = await tx
    .insert(assessments)
    .values({
      municipalityId: ctx.actor.municipalityId,
      caseId,
      citizenId: c.citizenId,
      kind: body.kind,
      assessedOn: body.assessedOn ?? today,
      ffbList: ffb.key,
      supportNeedCode: carry?.supportNeedCode ?? null,
      supportNeedNote: carry?.supportNeedNote ?? '',
      citizenPerspective: carry?.citizenPerspective ?? '',
      citizenResources: carry?.citizenResources ?? '',
      professionalJudgement: carry?.professionalJudgement ?? '',
      housing: previous?.housing ?? null,
      employment: previous?.employment ?? null,
      education: previous?.education ?? null,
      psychiatryContact: previous?.psychiatryContact ?? null,
      admissions12m: previous?.admissions12m ?? null,
      admissionDays12m: previous?.admissionDays12m ?? null,
      createdBy: ctx.actor.userId,
      updatedBy: ctx.actor.userId,
    })
    .returning({ id: assessments.id });
  const id = created!.id;
  if (carry) {
    await tx.execute(sql`
      insert into assessment_conditions (municipality_id, assessment_id, ffb_list, subtheme_code, level, not_assessed, note, in_focus)
      select municipality_id, ${id}, ffb_list, subtheme_code, level, not_assessed, note, in_focus
        from assessment_conditions where assessment_id = ${carry.id}`);
    await tx.execute(sql`
      insert into assessment_accounts (municipality_id, assessment_id, ffb_list, theme_code, informant_list, informant_code, body)
      select municipality_id, ${id}, ffb_list, theme_code, informant_list, informant_code, body
        from assessment_accounts where assessment_id = ${carry.id}`);
  }
  const loaded = (await loadAssessment(tx, id))!;
  await auditAssessment(tx, ctx, loaded.row, 'create', { kind: body.kind, basedOn: previous?.id });
  return { ...loaded, caseRow: c };
}

export async function readAssessment(tx: Tx, ctx: AuditContext, id: string) {
  const loaded = await loadAllowed(tx, ctx, id, 'case.read', 'read');
  if (!loaded) return null;
  await auditAssessment(tx, ctx, loaded.row, 'read');
  return loaded;
}

/** Checks codes against the assessment's FFB version and KL's level rule; returns field errors. */
export function validateAssessment(ref: Reference, ffbList: string, body: AssessmentUpdate): FieldError[] {
  const errors: FieldError[] = [];
  const kl = ref.current('kl-caresocial');
  if (body.supportNeedCode && !ref.codeOfKind(ffbList, body.supportNeedCode, 'support_need'))
    errors.push({ field: 'supportNeedCode', message: 'Ukendt støttebehovsniveau', code: 'invalid_code' });
  const seenSub = new Set<string>();
  body.conditions.forEach((c, i) => {
    const sub = ref.codeOfKind(ffbList, c.subthemeCode, 'subtheme');
    if (!sub) {
      errors.push({
        field: `conditions.${i}.subthemeCode`,
        message: 'Ukendt undertema',
        code: 'invalid_code',
      });
      return;
    }
    if (seenSub.has(c.subthemeCode))
      errors.push({
        field: `conditions.${i}.subthemeCode`,
        message: 'Undertemaet står to gange',
        code: 'duplicate',
      });
    seenSub.add(c.subthemeCode);
    const violation = checkFunctioningLevel(sub.attrs.category as FfbCategory, c.level, c.notAssessed);
    if (violation)
      errors.push({
        field: `conditions.${i}.level`,
        code: violation,
        message:
          violation === 'level_required'
            ? `${sub.display}: angiv funktionsevneniveau 0–4 eller «Ikke vurderet» (Aktivitet og deltagelse)`
            : violation === 'level_not_allowed'
              ? `${sub.display}: funktionsevneniveau bruges kun under Aktivitet og deltagelse; beskriv i tekst`
              : violation === 'level_and_not_assessed'
                ? `${sub.display}: vælg enten et niveau eller «Ikke vurderet»`
                : `${sub.display}: niveauet skal være 0–4`,
      });
  });
  const seenAccount = new Set<string>();
  body.accounts.forEach((a, i) => {
    if (!ref.codeOfKind(ffbList, a.themeCode, 'theme'))
      errors.push({ field: `accounts.${i}.themeCode`, message: 'Ukendt tema', code: 'invalid_code' });
    if (!ref.codeOfKind(kl.key, a.informantCode, 'informant'))
      errors.push({ field: `accounts.${i}.informantCode`, message: 'Ukendt kilde', code: 'invalid_code' });
    const key = `${a.themeCode}|${a.informantCode}`;
    if (seenAccount.has(key))
      errors.push({
        field: `accounts.${i}.informantCode`,
        message: 'Samme kilde står to gange under temaet',
        code: 'duplicate',
      });
    seenAccount.add(key);
  });
  return errors;
}

/** Saves a draft assessment as a whole (optimistic concurrency); a completed assessment never changes. */
export async function saveAssessment(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  id: string,
  body: AssessmentUpdate,
): Promise<Change<AssessmentView>> {
  const loaded = await loadAllowed(tx, ctx, id, 'case.write', 'update');
  if (!loaded) return { notFound: true };
  if (loaded.row.status === 'completed')
    throw conflict(
      'assessment_completed',
      'Udredningen er afsluttet og kan ikke ændres. Start en revurdering.',
    );
  if (loaded.row.version !== body.version) return { conflict: loaded };
  const errors = validateAssessment(ref, loaded.row.ffbList, body);
  if (errors.length) throw unprocessable('assessment_invalid', 'Udredningen har fejl.', errors);
  const kl = ref.current('kl-caresocial');
  const m = ctx.actor.municipalityId;
  await tx
    .update(assessments)
    .set({
      assessedOn: body.assessedOn,
      supportNeedCode: body.supportNeedCode,
      supportNeedNote: body.supportNeedNote,
      citizenPerspective: body.citizenPerspective,
      citizenResources: body.citizenResources,
      professionalJudgement: body.professionalJudgement,
      ...body.life,
      version: sql`${assessments.version} + 1`,
      updatedAt: sql`now()`,
      updatedBy: ctx.actor.userId,
    })
    .where(eq(assessments.id, id));
  await tx.delete(assessmentConditions).where(eq(assessmentConditions.assessmentId, id));
  await tx.delete(assessmentAccounts).where(eq(assessmentAccounts.assessmentId, id));
  if (body.conditions.length)
    await tx.insert(assessmentConditions).values(
      body.conditions.map((c) => ({
        ...c,
        municipalityId: m,
        assessmentId: id,
        ffbList: loaded.row.ffbList,
      })),
    );
  if (body.accounts.length)
    await tx.insert(assessmentAccounts).values(
      body.accounts.map((a) => ({
        ...a,
        municipalityId: m,
        assessmentId: id,
        ffbList: loaded.row.ffbList,
        informantList: kl.key,
      })),
    );
  const saved = (await loadAssessment(tx, id))!;
  await auditAssessment(tx, ctx, saved.row, 'update');
  return { ok: { ...saved, caseRow: loaded.caseRow } };
}

/** Completes a draft: from now on it is history, shown in the level and status movements. */
export async function completeAssessment(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  version: number,
): Promise<Change<AssessmentView>> {
  const loaded = await loadAllowed(tx, ctx, id, 'case.write', 'update');
  if (!loaded) return { notFound: true };
  if (loaded.row.status === 'completed')
    throw conflict('assessment_completed', 'Udredningen er allerede afsluttet.');
  if (loaded.row.version !== version) return { conflict: loaded };
  await tx
    .update(assessments)
    .set({
      status: 'completed',
      completedAt: sql`now()`,
      completedBy: ctx.actor.userId,
      version: sql`${assessments.version} + 1`,
      updatedAt: sql`now()`,
      updatedBy: ctx.actor.userId,
    })
    .where(eq(assessments.id, id));
  const saved = (await loadAssessment(tx, id))!;
  await auditAssessment(tx, ctx, saved.row, 'update', { status: 'completed' });
  return { ok: { ...saved, caseRow: loaded.caseRow } };
}

/** The assessments of a case, oldest first, with the levels recorded in each (for the movement view). */
export async function caseAssessments(tx: Tx, caseId: string) {
  const rows = await tx
    .select()
    .from(assessments)
    .where(eq(assessments.caseId, caseId))
    .orderBy(asc(assessments.assessedOn), asc(assessments.createdAt));
  const levels = rows.length
    ? await tx
        .select({
          assessmentId: assessmentConditions.assessmentId,
          ffbList: assessmentConditions.ffbList,
          subthemeCode: assessmentConditions.subthemeCode,
          level: assessmentConditions.level,
        })
        .from(assessmentConditions)
        .innerJoin(assessments, eq(assessments.id, assessmentConditions.assessmentId))
        .where(eq(assessments.caseId, caseId))
    : [];
  return { rows, levels };
}
