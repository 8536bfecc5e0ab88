import type { Reference } from '../reference/reference';
import { type GoalRow, untracedGoals } from './goals.service';

export interface OfferLinkRow {
  id: string;
  goalId: string;
  offerId: string;
  offerName: string;
  status: string;
  startedOn: string | null;
  checkedOn: string | null;
  note: string;
  version: number;
}

export interface GoalEventRow {
  id: string;
  goalId: string;
  kind: string;
  snapshot: Record<string, unknown> | null;
  body: string | null;
  authorName: string | null;
  createdAt: Date;
}

export function presentGoal(
  ref: Reference,
  g: GoalRow,
  untraced: boolean,
  events: GoalEventRow[] = [],
  links: OfferLinkRow[] = [],
) {
  return {
    id: g.id,
    caseId: g.caseId,
    kind: g.kind,
    parentGoalId: g.parentGoalId,
    citizenGoalId: g.citizenGoalId,
    wordsOf: g.wordsOf,
    title: g.title,
    what: g.what,
    measure: g.measure,
    dueOn: g.dueOn,
    helpers: g.helpers,
    status: g.status,
    subtheme: ref.coded(g.ffbList, g.subthemeCode),
    expectedLevel: g.expectedLevel,
    goalType: ref.coded(g.ffbList, g.goalTypeCode),
    gasWeight: g.gasWeight,
    /** The goal's GAS scale in words and its baseline; null when the goal has none (so it is not rated). */
    gas: g.gasLevels ? { levels: g.gasLevels, baseline: g.gasBaseline } : null,
    untraced,
    notes: events
      .filter((e) => e.goalId === g.id && e.kind === 'note')
      .map((e) => ({ body: e.body ?? '', authorName: e.authorName, createdAt: e.createdAt })),
    serviceId: g.serviceId,
    offers: links.filter((l) => l.goalId === g.id).map(({ goalId: _g, ...l }) => l),
    version: g.version,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  };
}

export function presentGoals(
  ref: Reference,
  goals: GoalRow[],
  events: GoalEventRow[],
  links: OfferLinkRow[] = [],
  /** All goals of the case, when only some are shown: traceability follows links outside the shown ones. */
  context: Parameters<typeof untracedGoals>[0] = goals,
) {
  const untraced = untracedGoals(context);
  return goals.map((g) => presentGoal(ref, g, untraced.has(g.id), events, links));
}
