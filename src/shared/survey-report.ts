import type { SurveyRole } from './survey';

/**
 * The published, protected results of a survey round: what every results endpoint, export and chart is
 * built from. Nothing here is a group of fewer than 3 answers, or lets one be computed (see
 * docs/disclosure-control.md). Figures that were withheld are null with the reason.
 */
export type Suppression = 'too_few' | 'all_identical' | 'complementary';

/** An average 0–5 score of a group of respondents; null (with the reason) where withheld. */
export interface ScoreCell {
  n: number | null;
  mean: number | null;
  suppressed?: Suppression;
}

export interface PejlemaerkeResult {
  code: string;
  title: string;
  theme: string;
  themeTitle: string;
  /** The roles the pejlemærke's items are asked of. */
  roles: SurveyRole[];
  byRole: Partial<Record<SurveyRole, ScoreCell>>;
  total: ScoreCell;
}

export interface DistributionGroup {
  /** The answer categories the group covers (several where merged). */
  labels: string[];
  count: number;
  share: number;
}

export interface ItemResult {
  code: string;
  pejlemaerke: string;
  text: string;
  kind: string;
  roles: SurveyRole[];
  /** Municipalities with an answer (other than "Ved ikke"). */
  municipalities: number;
  /** Scale and number items: the municipalities' averages in categories, merged to groups of ≥ 3. */
  distribution?: { groups: DistributionGroup[]; merged: boolean } | { suppressed: Suppression };
  /** Choice items: municipalities naming each option (counted once per municipality). */
  options?: { code: string; label: string; count: number | null; share: number | null }[];
}

export interface ResponseCounts {
  byRole: { role: SurveyRole; answers: number; invited: number }[];
  answers: number;
  invited: number;
  municipalities: { participating: number; responding: number };
}

export interface MunicipalityResult {
  code: string;
  name: string;
  answers: number;
  pejlemaerker: { code: string; byRole: Partial<Record<SurveyRole, ScoreCell>>; total: ScoreCell }[];
}

export interface SurveyReport {
  minGroup: number;
  questionnaire: { key: string; title: string; version: number };
  responses: ResponseCounts;
  pejlemaerker: PejlemaerkeResult[];
  items: ItemResult[];
  municipalities: MunicipalityResult[];
}
