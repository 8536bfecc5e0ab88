import { monthlyCost } from '../../../shared/domain/cost';
import { gasTScore } from '../../../shared/domain/gas';
import { lifeOf } from '../../../shared/pathway';
import { type Actor, can } from '../../platform/policy';
import { type CaseRow, caseResource } from '../cases/cases.service';
import { presentGoals } from '../goals/goals.presenter';
import type { Reference } from '../reference/reference';
import type { ServiceRow, serviceDetail } from './services.service';

const num = (v: string | null) => (v === null ? null : Number(v));
export function presentService(
  actor: Actor,
  ref: Reference,
  s: ServiceRow,
  caseRow: CaseRow,
  unitName?: string | null,
) {
  const paragraph = ref.code(s.paragraphList, s.paragraphCode);
  const hoursPerWeek = num(s.hoursPerWeek);
  const priceAmount = num(s.priceAmount);
  const provider =
    (s.status === 'granted' || s.status === 'active') &&
    can(actor, 'service.provide', { type: 'service', unitIds: [], providerUnitIds: [s.providerUnitId] });
  const authorityWrite = caseRow.phase !== 'closed' && can(actor, 'case.write', caseResource(caseRow));
  return {
    id: s.id,
    caseId: s.caseId,
    citizenId: s.citizenId,
    status: s.status,
    ydelse: ref.coded(s.ffbList, s.ydelseCode)!,
    paragraph: {
      code: s.paragraphCode,
      display: paragraph?.display ?? s.paragraphCode,
      step: (paragraph?.attrs.step as number) ?? null,
    },
    provider: { id: s.providerUnitId, name: unitName ?? null },
    catalogueItemId: s.catalogueItemId,
    primaryTargetGroup: ref.coded(s.ffbList, s.primaryTargetGroupCode)!,
    secondaryTargetGroups: s.secondaryTargetGroupCodes.map((c) => ref.coded(s.ffbList, c)!),
    startOn: s.startOn,
    endOn: s.endOn,
    endReason: ref.coded(s.endReasonList, s.endReasonCode),
    supportNeed: ref.coded(s.ffbList, s.supportNeedCode),
    hoursPerWeek,
    price: priceAmount === null ? null : { amount: priceAmount, unit: s.priceUnit },
    monthlyCost: monthlyCost({ priceAmount, priceUnit: s.priceUnit, hoursPerWeek }),
    cadence: s.cadenceKind === 'close' ? { kind: 'close', months: s.cadenceMonths } : { kind: 'standard' },
    nextFollowUpOn: s.nextFollowUpOn,
    lastFollowUpOn: s.lastFollowUpOn,
    version: s.version,
    permissions: {
      write: authorityWrite && s.status !== 'ended',
      provide: s.status !== 'ended' && s.status !== 'proposed' && (authorityWrite || provider),
    },
  };
}

export function presentServiceDetail(
  actor: Actor,
  ref: Reference,
  s: ServiceRow,
  caseRow: CaseRow,
  unitName: string | null,
  d: Awaited<ReturnType<typeof serviceDetail>>,
) {
  const methods = new Map(ref.ofKind(ref.current('methods').key, 'method').map((m) => [m.code, m.display]));
  return {
    ...presentService(actor, ref, s, caseRow, unitName),
    caseNumber: caseRow.caseNumber,
    citizen: { id: caseRow.citizenId, name: `${caseRow.citizenFirstName} ${caseRow.citizenLastName}` },
    goals: presentGoals(ref, d.goals, [], [], d.caseGoals),
    subGoals: presentGoals(ref, d.subGoals, [], [], d.caseGoals),
    plans: d.plans.map((p) => ({
      ...p,
      methods: p.methodCodes.map((code) => ({ code, name: methods.get(code) ?? code })),
    })),
    followUps: d.followUps.map((f) => {
      const rs = d.ratings.filter((r) => r.followUpId === f.id);
      const t = (rater: string) => {
        const x = rs.filter((r) => r.rater === rater);
        return x.length ? gasTScore(x.map((r) => ({ score: r.score, weight: r.weight }))) : null;
      };
      return {
        id: f.id,
        heldOn: f.heldOn,
        result: ref.coded(f.ffbList, f.resultCode),
        notes: f.notes,
        citizenView: f.citizenView,
        nextOn: f.nextOn,
        /** A result that ends: its reason, and whether the provider only recommended ending. */
        endReason: ref.coded(f.endReasonList, f.endReasonCode),
        endRecommended: f.endRecommended,
        life: lifeOf(f),
        authorName: f.authorName,
        ratings: rs.map((r) => ({
          goalId: r.goalId,
          rater: r.rater,
          informant: ref.display(r.informantList, r.informantCode),
          score: r.score,
        })),
        gas: { citizen: t('citizen'), professional: t('professional') },
      };
    }),
    events: d.events,
    /** What the citizen prepared in the portal for the next follow-up: topics, and their own level per goal
     *  of this service (informant "Borger"). */
    preparation: d.preparation
      ? (() => {
          // The goals this service works on, the intervention goals its delmål build on, and the citizen's
          // own goals above them: the citizen's levels for those belong at this follow-up.
          const byId = new Map(d.caseGoals.map((g) => [g.id, g]));
          const shown = new Set<string>();
          const add = (id: string | null | undefined) => {
            const g = id ? byId.get(id) : undefined;
            if (!g || shown.has(g.id)) return;
            shown.add(g.id);
            add(g.parentGoalId);
            add(g.citizenGoalId);
          };
          for (const g of [...d.goals, ...d.subGoals]) add(g.id);
          return {
            topics: d.preparation.topics,
            ratings: Object.fromEntries(
              Object.entries(d.preparation.ratings).filter(([id]) => shown.has(id)),
            ),
            updatedAt: d.preparation.updatedAt.toISOString(),
          };
        })()
      : null,
    /** The provider's latest follow-up recommends ending, and the service still runs: the caseworker decides. */
    endRecommendation: (() => {
      const last = d.followUps[d.followUps.length - 1];
      return s.status === 'active' && last?.endRecommended
        ? { followUpId: last.id, on: last.heldOn, reason: ref.coded(last.endReasonList, last.endReasonCode) }
        : null;
    })(),
  };
}
