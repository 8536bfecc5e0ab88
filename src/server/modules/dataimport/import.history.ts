import { eq, inArray, sql } from 'drizzle-orm';
import { checkFunctioningLevel, type FfbCategory } from '../../../shared/domain/ffb';
import type { ImportRecord } from '../../../shared/import';
import { actionPlans, assessmentAccounts, assessmentConditions, assessments } from '../../db/schema';
import type { AuditContext } from '../../platform/audit';
import type { Tx } from '../../platform/tenancy';
import type { Reference } from '../reference/reference';

/**
 * The history a municipality brings from another system (issue 12, item 13): udredninger (assessments)
 * and §141 plan versions. Checked per line with the main file, written after the cases. A completed
 * assessment and a shared plan are history: importing them again leaves them as they are; a draft is
 * brought up to date.
 */
type Rec<T extends ImportRecord['type']> = Extract<ImportRecord, { type: T }> & { line: number };

export interface HistoryRecords {
  assessments: Rec<'assessment'>[];
  plans: Rec<'plan'>[];
}

export interface HistoryExisting {
  assessments: Map<string, { id: string; status: string; caseId: string }>;
  plans: Map<string, { id: string; status: string; caseId: string; version: number }>;
  /** Plan versions the file's existing cases already have: "caseId|version" → external id (or null). */
  planVersions: Map<string, string | null>;
}

/** Rows already imported, by the external ids in the file, and the plan versions of its existing cases. */
export async function loadHistory(tx: Tx, r: HistoryRecords, caseIds: string[]): Promise<HistoryExisting> {
  const ids = (xs: { id: string }[]) => [...new Set(xs.map((x) => x.id))];
  const a = r.assessments.length
    ? await tx
        .select({
          externalId: assessments.externalId,
          id: assessments.id,
          status: assessments.status,
          caseId: assessments.caseId,
        })
        .from(assessments)
        .where(inArray(assessments.externalId, ids(r.assessments)))
    : [];
  const p = r.plans.length
    ? await tx
        .select({
          externalId: actionPlans.externalId,
          id: actionPlans.id,
          status: actionPlans.status,
          caseId: actionPlans.caseId,
          version: actionPlans.version,
        })
        .from(actionPlans)
        .where(inArray(actionPlans.externalId, ids(r.plans)))
    : [];
  const versions =
    r.plans.length && caseIds.length
      ? await tx
          .select({
            caseId: actionPlans.caseId,
            version: actionPlans.version,
            externalId: actionPlans.externalId,
          })
          .from(actionPlans)
          .where(inArray(actionPlans.caseId, caseIds))
      : [];
  return {
    assessments: new Map(a.map((x) => [x.externalId!, x])),
    plans: new Map(p.map((x) => [x.externalId!, x])),
    planVersions: new Map(versions.map((v) => [`${v.caseId}|${v.version}`, v.externalId])),
  };
}

/** Every rule a line breaks, as (line, field, message); nothing is written here. */
export function checkHistory(
  ref: Reference,
  today: string,
  r: HistoryRecords,
  old: HistoryExisting,
  caseKnown: (external: string) => boolean,
  /** The id of a case already in Retning, or undefined when it comes with the file. */
  existingCase: (external: string) => string | undefined,
  err: (line: number, field: string, message: string) => void,
): void {
  const ffb = ref.current('ffb').key;
  const kl = ref.current('kl-caresocial').key;
  for (const a of r.assessments) {
    if (!caseKnown(a.case)) err(a.line, 'case', `Sagen ${a.case} findes hverken i filen eller i Retning`);
    if (a.assessedOn > today) err(a.line, 'assessedOn', 'Udredningen ligger i fremtiden');
    if (a.supportNeed && !ref.codeOfKind(ffb, a.supportNeed, 'support_need'))
      err(a.line, 'supportNeed', 'Ukendt FFB-støttebehovsniveau');
    const seen = new Set<string>();
    (a.conditions ?? []).forEach((c, i) => {
      const sub = ref.codeOfKind(ffb, c.subtheme, 'subtheme');
      if (!sub) {
        err(a.line, `conditions.${i}.subtheme`, 'Ukendt FFB-undertema');
        return;
      }
      if (seen.has(c.subtheme)) err(a.line, `conditions.${i}.subtheme`, 'Undertemaet står to gange');
      seen.add(c.subtheme);
      const v = checkFunctioningLevel(sub.attrs.category as FfbCategory, c.level, c.notAssessed ?? false);
      if (v)
        err(
          a.line,
          `conditions.${i}.level`,
          v === 'level_required'
            ? `${sub.display}: angiv funktionsevneniveau 0–4 eller notAssessed (Aktivitet og deltagelse)`
            : v === 'level_and_not_assessed'
              ? `${sub.display}: enten et niveau eller notAssessed, ikke begge`
              : `${sub.display}: funktionsevneniveau bruges kun under Aktivitet og deltagelse`,
        );
    });
    (a.accounts ?? []).forEach((x, i) => {
      if (!ref.codeOfKind(ffb, x.theme, 'theme')) err(a.line, `accounts.${i}.theme`, 'Ukendt FFB-tema');
      if (!ref.codeOfKind(kl, x.informant, 'informant'))
        err(a.line, `accounts.${i}.informant`, 'Ukendt kilde (KL-kode)');
    });
  }
  const versions = new Map<string, number>();
  for (const p of r.plans) {
    if (!caseKnown(p.case)) err(p.line, 'case', `Sagen ${p.case} findes hverken i filen eller i Retning`);
    const key = `${p.case}|${p.version}`;
    if (versions.has(key)) err(p.line, 'version', `Version ${p.version} af planen står to gange`);
    versions.set(key, p.line);
    if (p.status === 'shared' && !p.sharedOn) err(p.line, 'sharedOn', 'En delt plan har en dato for deling');
    if (p.sharedOn && p.sharedOn > today) err(p.line, 'sharedOn', 'Planen er delt i fremtiden');
    const before = old.plans.get(p.id);
    if (before && before.version !== p.version)
      err(p.line, 'version', 'Planen er allerede indlæst som en anden version');
    const caseId = existingCase(p.case);
    const taken = caseId === undefined ? undefined : old.planVersions.get(`${caseId}|${p.version}`);
    if (taken !== undefined && taken !== p.id)
      err(p.line, 'version', `Sagen har allerede version ${p.version} af handleplanen`);
  }
}

const at = (day: string) => new Date(`${day}T12:00:00Z`);

/** Writes the assessments and plan versions; returns what it did. */
export async function writeHistory(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  r: HistoryRecords,
  old: HistoryExisting,
  caseIdOf: (external: string) => string,
  citizenOfCase: (caseId: string) => string,
  today: string,
) {
  const m = ctx.actor.municipalityId;
  const ffb = ref.current('ffb').key;
  const kl = ref.current('kl-caresocial').key;
  const result = {
    assessments: { created: 0, updated: 0, unchanged: 0 },
    plans: { created: 0, updated: 0, unchanged: 0 },
  };
  for (const a of r.assessments) {
    const before = old.assessments.get(a.id);
    if (before?.status === 'completed') {
      result.assessments.unchanged++;
      continue;
    }
    const caseId = caseIdOf(a.case);
    const fields = {
      kind: a.kind,
      assessedOn: a.assessedOn,
      ffbList: ffb,
      supportNeedCode: a.supportNeed ?? null,
      supportNeedNote: a.supportNeedNote ?? '',
      citizenPerspective: a.citizenPerspective ?? '',
      citizenResources: a.citizenResources ?? '',
      professionalJudgement: a.professionalJudgement ?? '',
      ...a.life,
      updatedBy: ctx.actor.userId,
    };
    let id: string;
    if (before) {
      id = before.id;
      await tx
        .update(assessments)
        .set({ ...fields, version: sql`${assessments.version} + 1`, updatedAt: sql`now()` })
        .where(eq(assessments.id, id));
      await tx.delete(assessmentConditions).where(eq(assessmentConditions.assessmentId, id));
      await tx.delete(assessmentAccounts).where(eq(assessmentAccounts.assessmentId, id));
      result.assessments.updated++;
    } else {
      // Made as a draft (conditions and accounts go in), then completed: completed rows are immutable.
      const [row] = await tx
        .insert(assessments)
        .values({
          ...fields,
          municipalityId: m,
          caseId,
          citizenId: citizenOfCase(caseId),
          status: 'draft',
          createdAt: at(a.assessedOn),
          createdBy: ctx.actor.userId,
          externalId: a.id,
        })
        .returning({ id: assessments.id });
      id = row!.id;
      result.assessments.created++;
    }
    if (a.conditions?.length)
      await tx.insert(assessmentConditions).values(
        a.conditions.map((c) => ({
          municipalityId: m,
          assessmentId: id,
          ffbList: ffb,
          subthemeCode: c.subtheme,
          level: c.level ?? null,
          notAssessed: c.notAssessed ?? false,
          note: c.note ?? '',
          inFocus: c.inFocus ?? false,
        })),
      );
    if (a.accounts?.length)
      await tx.insert(assessmentAccounts).values(
        a.accounts.map((x) => ({
          municipalityId: m,
          assessmentId: id,
          ffbList: ffb,
          themeCode: x.theme,
          informantList: kl,
          informantCode: x.informant,
          body: x.text,
        })),
      );
    if (a.status === 'completed')
      await tx
        .update(assessments)
        .set({ status: 'completed', completedAt: at(a.assessedOn), completedBy: ctx.actor.userId })
        .where(eq(assessments.id, id));
  }
  for (const p of r.plans) {
    const before = old.plans.get(p.id);
    if (before?.status === 'shared') {
      result.plans.unchanged++;
      continue;
    }
    const caseId = caseIdOf(p.case);
    const fields = {
      status: p.status,
      purpose: p.purpose ?? '',
      servicesNeeded: p.servicesNeeded ?? '',
      expectedDuration: p.expectedDuration ?? '',
      housing: p.housing ?? '',
      employment: p.employment ?? '',
      personalHelp: p.personalHelp ?? '',
      treatment: p.treatment ?? '',
      aids: p.aids ?? '',
      offer: p.offer ?? 'not_offered',
      offeredOn: p.offeredOn ?? null,
      agreementOn: p.agreementOn ?? null,
      agreementHow: p.agreementHow ?? null,
      participants: (p.participants ?? []).map((x) => ({ ...x, responsibility: x.responsibility ?? '' })),
      sharedAt: p.sharedOn ? at(p.sharedOn) : null,
      sharedBy: p.sharedOn ? ctx.actor.userId : null,
      updatedBy: ctx.actor.userId,
    };
    if (before) {
      await tx
        .update(actionPlans)
        .set({ ...fields, rowVersion: sql`${actionPlans.rowVersion} + 1`, updatedAt: sql`now()` })
        .where(eq(actionPlans.id, before.id));
      result.plans.updated++;
    } else {
      await tx.insert(actionPlans).values({
        ...fields,
        municipalityId: m,
        caseId,
        citizenId: citizenOfCase(caseId),
        version: p.version,
        createdAt: at(p.offeredOn ?? p.agreementOn ?? p.sharedOn ?? today),
        createdBy: ctx.actor.userId,
        externalId: p.id,
      });
      result.plans.created++;
    }
  }
  return result;
}
