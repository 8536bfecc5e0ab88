import { lifeOf } from '../../../shared/pathway';
import { type Actor, can } from '../../platform/policy';
import type { AssessmentRow, AssessmentView, ConditionRow } from '../assessments/assessments.service';
import { type GoalEventRow, type OfferLinkRow, presentGoals } from '../goals/goals.presenter';
import type { GoalRow } from '../goals/goals.service';
import type { Reference } from '../reference/reference';
import { presentService } from '../services/services.presenter';
import type { ServiceRow } from '../services/services.service';
import { type CaseRow, caseResource } from './cases.service';

const ordinal = (ref: Reference, list: string | null, code: string | null) =>
  (ref.code(list, code)?.attrs.ordinal as number | undefined) ?? null;

export function presentCaseSummary(c: CaseRow) {
  return {
    id: c.id,
    caseNumber: c.caseNumber,
    phase: c.phase,
    reason: c.reason,
    citizen: { id: c.citizenId, name: `${c.citizenFirstName} ${c.citizenLastName}` },
    authorityUnit: { id: c.authorityUnitId, name: c.authorityUnitName },
    caseworker: c.caseworkerId ? { id: c.caseworkerId, name: c.caseworkerName } : null,
    openedOn: c.openedOn,
    closedOn: c.closedOn,
    version: c.version,
  };
}

/** Level and status movements across the completed assessments of a case, oldest first. */
function movements(
  ref: Reference,
  rows: AssessmentRow[],
  levels: Pick<ConditionRow, 'assessmentId' | 'ffbList' | 'subthemeCode' | 'level'>[],
) {
  const done = rows.filter((a) => a.status === 'completed');
  const bySubtheme = new Map<
    string,
    { code: string; display: string; points: { assessmentId: string; assessedOn: string; level: number }[] }
  >();
  for (const a of done) {
    for (const l of levels) {
      if (l.assessmentId !== a.id || l.level === null) continue;
      const entry = bySubtheme.get(l.subthemeCode) ?? {
        code: l.subthemeCode,
        display: ref.display(l.ffbList, l.subthemeCode) ?? l.subthemeCode,
        points: [],
      };
      entry.points.push({ assessmentId: a.id, assessedOn: a.assessedOn, level: l.level });
      bySubtheme.set(l.subthemeCode, entry);
    }
  }
  return {
    subthemes: [...bySubtheme.values()].sort((x, y) => x.display.localeCompare(y.display, 'da')),
    supportNeed: done.map((a) => ({
      assessmentId: a.id,
      assessedOn: a.assessedOn,
      level: ordinal(ref, a.ffbList, a.supportNeedCode),
      display: ref.display(a.ffbList, a.supportNeedCode),
    })),
    life: done.map((a) => ({
      assessmentId: a.id,
      assessedOn: a.assessedOn,
      ...lifeOf(a),
    })),
  };
}

export interface CaseView {
  row: CaseRow;
  phases: { fromPhase: string | null; toPhase: string; authorName: string | null; createdAt: Date }[];
  assessments: {
    rows: AssessmentRow[];
    levels: Pick<ConditionRow, 'assessmentId' | 'ffbList' | 'subthemeCode' | 'level'>[];
  };
  goals: GoalRow[];
  goalEvents: GoalEventRow[];
  services: { service: ServiceRow; unitName: string; goalIds: string[] }[];
  offerLinks: OfferLinkRow[];
  /** False when the actor reaches the case only as a provider: no assessment, only their services. */
  authority: boolean;
}

export function presentCase(actor: Actor, ref: Reference, v: CaseView) {
  const c = v.row;
  return {
    ...presentCaseSummary(c),
    endReason: ref.coded(c.endReasonList, c.endReasonCode),
    closingNote: c.closingNote,
    phases: v.phases,
    assessments: v.assessments.rows.map((a) => ({
      id: a.id,
      kind: a.kind,
      status: a.status,
      assessedOn: a.assessedOn,
      supportNeed: ref.coded(a.ffbList, a.supportNeedCode),
      completedAt: a.completedAt,
    })),
    movements: movements(ref, v.assessments.rows, v.assessments.levels),
    goals: presentGoals(ref, v.goals, v.goalEvents, v.offerLinks),
    services: v.services.map((s) => ({
      ...presentService(actor, ref, s.service, c, s.unitName),
      goalIds: s.goalIds,
    })),
    view: v.authority ? 'authority' : 'provider',
    permissions: { write: c.phase !== 'closed' && can(actor, 'case.write', caseResource(c)) },
  };
}

export function presentAssessment(actor: Actor, ref: Reference, a: AssessmentView) {
  const r = a.row;
  const caseRow = a.caseRow;
  return {
    id: r.id,
    caseId: r.caseId,
    caseNumber: caseRow.caseNumber,
    citizen: { id: r.citizenId, name: `${caseRow.citizenFirstName} ${caseRow.citizenLastName}` },
    kind: r.kind,
    status: r.status,
    assessedOn: r.assessedOn,
    ffbVersion: ref.lists.get(r.ffbList)?.version ?? r.ffbList,
    supportNeed: ref.coded(r.ffbList, r.supportNeedCode),
    supportNeedNote: r.supportNeedNote,
    citizenPerspective: r.citizenPerspective,
    citizenResources: r.citizenResources,
    professionalJudgement: r.professionalJudgement,
    life: lifeOf(r),
    conditions: a.conditions.map((c) => ({
      subtheme: ref.coded(c.ffbList, c.subthemeCode)!,
      level: c.level,
      notAssessed: c.notAssessed,
      note: c.note,
      inFocus: c.inFocus,
    })),
    accounts: a.accounts.map((x) => ({
      theme: ref.coded(x.ffbList, x.themeCode)!,
      informant: ref.coded(x.informantList, x.informantCode)!,
      body: x.body,
    })),
    version: r.version,
    completedAt: r.completedAt,
    permissions: {
      write:
        r.status === 'draft' && caseRow.phase !== 'closed' && can(actor, 'case.write', caseResource(caseRow)),
    },
  };
}
