/**
 * Outcome instruments are data (data/instruments/*.json): items, response scale, scoring, cut-offs and
 * reliable change. These functions score an administration and classify change from the first one.
 */
export interface InstrumentDefinition {
  key: string;
  version: string;
  name: string;
  licence: { required: boolean; note: string };
  period: string;
  items: { id: string; text: string }[];
  scale: { min: number; max: number; step: number; labels: { value: number; label: string }[] };
  scoring:
    | { method: 'sum'; multiplier: number; min: number; max: number; unit: string }
    | {
        method: 'gas_t';
        rho: number;
        weights: { min: number; max: number; default: number };
        min: null;
        max: null;
        unit: string;
      };
  higherIsBetter: boolean;
  /** Lines on the chart, the first being the clinical one; each names where it comes from. */
  cutoffs: { value: number; label: string; kind: string; source?: string }[];
  /** "below_or_equal_is_clinical": a score at or under the first cut-off is in the clinical range. */
  cutoffRule: 'below_or_equal_is_clinical' | 'below_is_under_expected';
  /** The smallest change that is reliable, or null when no published index exists. */
  reliableChange: number | null;
  reliableChangeSource?: string;
  /** Given at every session (ORS, SRS) or months apart (WHO-5, QPR-15). Default: periodic. */
  administration?: 'session' | 'periodic';
  /** What it measures: the citizen's outcome, or the alliance in one session (SRS). Default: outcome. */
  measures?: 'outcome' | 'alliance';
  /** Session measures: sessions without reliable improvement before the approach is talked over (ORS: 3). */
  noChangeAfterSessions?: number;
  noChangeAfterSessionsSource?: string;
  /** Alliance measures: an item under this value prompts a check-in (SRS: 9). */
  itemAlertBelow?: number;
  itemAlertSource?: string;
}

export type Answers = Record<string, number>;

export class AnswerError extends Error {
  constructor(
    readonly itemId: string,
    message: string,
  ) {
    super(message);
  }
}

/** Checks every item is answered within the scale (and on its step); throws AnswerError naming the item. */
export function checkAnswers(def: InstrumentDefinition, answers: Answers): void {
  for (const item of def.items) {
    const v = answers[item.id];
    if (v === undefined || v === null) throw new AnswerError(item.id, `Spørgsmål ${item.id} mangler svar`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < def.scale.min || v > def.scale.max)
      throw new AnswerError(
        item.id,
        `Svaret på spørgsmål ${item.id} skal være ${def.scale.min}–${def.scale.max}`,
      );
    const steps = (v - def.scale.min) / def.scale.step;
    if (Math.abs(steps - Math.round(steps)) > 1e-9)
      throw new AnswerError(item.id, `Svaret på spørgsmål ${item.id} skal være i trin på ${def.scale.step}`);
  }
  for (const id of Object.keys(answers))
    if (!def.items.some((i) => i.id === id)) throw new AnswerError(id, `Ukendt spørgsmål ${id}`);
}

export interface Score {
  raw: number;
  score: number;
}

/** Sum-scored instruments: raw = Σ answers, score = raw × multiplier (WHO-5: ×4 → 0–100). */
export function scoreAnswers(def: InstrumentDefinition, answers: Answers): Score {
  if (def.scoring.method !== 'sum') throw new Error(`${def.key} is not sum-scored`);
  checkAnswers(def, answers);
  const raw = Math.round(def.items.reduce((s, i) => s + (answers[i.id] ?? 0), 0) * 10) / 10;
  return { raw, score: Math.round(raw * def.scoring.multiplier * 10) / 10 };
}

/** Whether a score lies in the clinical range by the instrument's first cut-off. */
export function isClinical(def: InstrumentDefinition, score: number): boolean | null {
  const cut = def.cutoffs[0];
  if (!cut) return null;
  return def.cutoffRule === 'below_or_equal_is_clinical' ? score <= cut.value : score < cut.value;
}

export type ChangeCategory =
  | 'baseline'
  | 'clinically_significant_improvement'
  | 'reliable_improvement'
  | 'no_reliable_change'
  | 'deterioration'
  /** No published reliable-change index (QPR-15): the score is higher, lower or the same, nothing more. */
  | 'higher'
  | 'lower'
  | 'unchanged';

/**
 * Change from the first administration: reliable when it is at least the reliable-change index;
 * clinically significant when reliable and the score leaves the clinical range (ORS: from ≤ 25 to > 25).
 * Without an index the change is only called higher or lower, never reliable.
 */
export function classifyChange(def: InstrumentDefinition, first: number, current: number): ChangeCategory {
  const rc = def.reliableChange;
  const delta = (current - first) * (def.higherIsBetter ? 1 : -1);
  if (rc === null) return delta > 0 ? 'higher' : delta < 0 ? 'lower' : 'unchanged';
  if (delta <= -rc) return 'deterioration';
  if (delta >= rc) {
    return isClinical(def, first) === true && isClinical(def, current) === false
      ? 'clinically_significant_improvement'
      : 'reliable_improvement';
  }
  return 'no_reliable_change';
}

export interface SeriesFlags {
  /** An outcome measure's latest score is reliably worse than the first (never without an index). */
  deterioration: boolean;
  /**
   * A session measure (ORS) given in N sessions (3) without reliable improvement: talk the approach over
   * (FIT). Not for measures taken months apart (WHO-5, QPR-15).
   */
  noChangeAfterThree: boolean;
  /** An alliance measure's latest session (SRS) at or under its cut-off, or with an item under 9. */
  allianceAlert: boolean;
}

/** One administration as the flags read it: its score and, for item rules, its answers. */
export interface Administration {
  score: number;
  answers?: Answers | null;
}

/**
 * Flags for a worklist from a series of administrations in time order, read by the instrument's own rules
 * (data/instruments/*.json names the source of each): outcome measures by reliable change, session
 * measures also by early change, alliance measures per session.
 */
export function seriesFlags(def: InstrumentDefinition, series: readonly Administration[]): SeriesFlags {
  const none = { deterioration: false, noChangeAfterThree: false, allianceAlert: false };
  const last = series[series.length - 1];
  if (!last) return none;
  if ((def.measures ?? 'outcome') === 'alliance') {
    const low = isClinical(def, last.score) === true;
    const item =
      def.itemAlertBelow !== undefined &&
      Object.values(last.answers ?? {}).some((v) => typeof v === 'number' && v < def.itemAlertBelow!);
    return { ...none, allianceAlert: low || item };
  }
  if (series.length < 2) return none;
  const category = classifyChange(def, series[0]!.score, last.score);
  const sessions = def.administration === 'session' ? (def.noChangeAfterSessions ?? null) : null;
  return {
    ...none,
    deterioration: category === 'deterioration',
    noChangeAfterThree:
      sessions !== null &&
      series.length >= sessions &&
      category !== 'reliable_improvement' &&
      category !== 'clinically_significant_improvement',
  };
}
