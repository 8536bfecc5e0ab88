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
  cutoffs: { value: number; label: string; kind: string }[];
  /** "below_or_equal_is_clinical": a score at or under the first cut-off is in the clinical range. */
  cutoffRule: 'below_or_equal_is_clinical' | 'below_is_under_expected';
  reliableChange: number | null;
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
  | 'deterioration';

/**
 * Change from the first administration: reliable when it is at least the reliable-change index;
 * clinically significant when reliable and the score leaves the clinical range (ORS: from ≤ 25 to > 25).
 */
export function classifyChange(def: InstrumentDefinition, first: number, current: number): ChangeCategory {
  const rc = def.reliableChange;
  const delta = (current - first) * (def.higherIsBetter ? 1 : -1);
  if (rc === null)
    return delta > 0 ? 'reliable_improvement' : delta < 0 ? 'deterioration' : 'no_reliable_change';
  if (delta <= -rc) return 'deterioration';
  if (delta >= rc) {
    return isClinical(def, first) === true && isClinical(def, current) === false
      ? 'clinically_significant_improvement'
      : 'reliable_improvement';
  }
  return 'no_reliable_change';
}

export interface SeriesFlags {
  /** The latest score is reliably worse than the first. */
  deterioration: boolean;
  /** Three or more administrations and no reliable improvement yet: review the approach (FIT). */
  noChangeAfterThree: boolean;
}

/** Flags for a worklist from a series of scores in time order. */
export function seriesFlags(def: InstrumentDefinition, scores: readonly number[]): SeriesFlags {
  if (scores.length < 2) return { deterioration: false, noChangeAfterThree: false };
  const first = scores[0]!;
  const last = scores[scores.length - 1]!;
  const category = classifyChange(def, first, last);
  return {
    deterioration: category === 'deterioration',
    noChangeAfterThree:
      scores.length >= 3 &&
      category !== 'reliable_improvement' &&
      category !== 'clinically_significant_improvement',
  };
}
