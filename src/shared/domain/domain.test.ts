import { describe, expect, it } from 'vitest';
import gasDef from '../../../data/instruments/gas.json';
import orsDef from '../../../data/instruments/ors-2026.json';
import qprDef from '../../../data/instruments/qpr-15-2026.json';
import srsDef from '../../../data/instruments/srs-2026.json';
import whoDef from '../../../data/instruments/who-5-2026.json';
import { dueState, nextFollowUpDue } from './cadence';
import { addMonths, daysBetween } from './dates';
import { checkFunctioningLevel, checkPrimarySubtheme } from './ffb';
import { gasTScore } from './gas';
import {
  AnswerError,
  classifyChange,
  type InstrumentDefinition,
  isClinical,
  scoreAnswers,
  seriesFlags,
} from './instruments';

const who5 = whoDef as InstrumentDefinition;
const ors = orsDef as InstrumentDefinition;
const srs = srsDef as InstrumentDefinition;
const qpr = qprDef as InstrumentDefinition;
const flags = (def: InstrumentDefinition, scores: number[], last?: Record<string, number>) =>
  seriesFlags(
    def,
    scores.map((score, i) => ({ score, answers: i === scores.length - 1 ? last : undefined })),
  );
const none = { deterioration: false, noChangeAfterThree: false, allianceAlert: false };
const answers = (values: number[]) => Object.fromEntries(values.map((v, i) => [String(i + 1), v]));

describe('GAS T-score (ρ = 0.3)', () => {
  it('is 50 when every goal is met as expected', () => {
    expect(gasTScore([{ score: 0 }, { score: 0 }, { score: 0 }])).toBe(50);
  });
  it('one goal one step under expected: 50 + 10·(−1)/√(0.7 + 0.3) = 40', () => {
    expect(gasTScore([{ score: -1 }])).toBe(40);
  });
  it('three goals each +1: 50 + 30/√(0.7·3 + 0.3·9) = 63.7', () => {
    expect(gasTScore([{ score: 1 }, { score: 1 }, { score: 1 }])).toBe(63.7);
  });
  it('weights: +2 (w 2) and −1 (w 1): 50 + 10·3/√(0.7·5 + 0.3·9) = 62.0', () => {
    expect(
      gasTScore([
        { score: 2, weight: 2 },
        { score: -1, weight: 1 },
      ]),
    ).toBe(62);
  });
  it('takes ρ from the instrument definition and refuses ratings off the scale', () => {
    expect((gasDef as { scoring: { rho: number } }).scoring.rho).toBe(0.3);
    expect(gasTScore([])).toBeNull();
    expect(() => gasTScore([{ score: 3 }])).toThrow(RangeError);
    expect(() => gasTScore([{ score: 0.5 }])).toThrow(RangeError);
    expect(() => gasTScore([{ score: 1, weight: 5 }])).toThrow(RangeError);
  });
});

describe('WHO-5', () => {
  it('raw 3+3+2+2+3 = 13 gives 52 on the 0–100 scale', () => {
    expect(scoreAnswers(who5, answers([3, 3, 2, 2, 3]))).toEqual({ raw: 13, score: 52 });
  });
  it('names the source of each line: ≤ 50 poor wellbeing, ≤ 35 high risk, ≤ 28 likely depression', () => {
    expect(who5.cutoffs.map((c) => c.value)).toEqual([50, 35, 28]);
    for (const c of who5.cutoffs) expect(c.source, String(c.value)).toBeTruthy();
    expect(who5.cutoffs[2]!.source).toMatch(/Topp/);
    expect(who5.reliableChangeSource).toMatch(/Topp/);
  });
  it('50 or less is below the cut-off; a change of 10 points is reliable', () => {
    expect(isClinical(who5, 50)).toBe(true);
    expect(isClinical(who5, 52)).toBe(false);
    expect(classifyChange(who5, 40, 48)).toBe('no_reliable_change');
    expect(classifyChange(who5, 40, 52)).toBe('clinically_significant_improvement');
    expect(classifyChange(who5, 64, 52)).toBe('deterioration');
  });
  it('names the missing or invalid item', () => {
    expect(() => scoreAnswers(who5, answers([3, 3, 2, 2]))).toThrow(AnswerError);
    try {
      scoreAnswers(who5, answers([3, 3, 6, 2, 1]));
    } catch (e) {
      expect((e as AnswerError).itemId).toBe('3');
    }
    expect(() => scoreAnswers(who5, answers([3, 3, 2.5, 2, 1]))).toThrow(/trin/);
  });
});

describe('QPR-15', () => {
  it('has no published reliable-change index, so a change is only higher or lower', () => {
    expect(qpr.reliableChange).toBeNull();
    expect(qpr.reliableChangeSource).toMatch(/ikke offentliggjort/);
    expect(classifyChange(qpr, 30, 31)).toBe('higher');
    expect(classifyChange(qpr, 30, 29)).toBe('lower');
    expect(classifyChange(qpr, 30, 30)).toBe('unchanged');
    expect(flags(qpr, [40, 20])).toEqual(none);
  });
  it('15 items 0–4 sum to 0–60', () => {
    expect(qpr.items).toHaveLength(15);
    expect(scoreAnswers(qpr, answers(Array(15).fill(4))).score).toBe(60);
    expect(scoreAnswers(qpr, answers(Array(15).fill(2))).score).toBe(30);
  });
});

describe('ORS and SRS', () => {
  it('ORS: four 0–10 lines (one decimal) sum to 0–40; 25 or less is the clinical range', () => {
    expect(scoreAnswers(ors, answers([5.5, 6, 7.2, 6.3]))).toEqual({ raw: 25, score: 25 });
    expect(isClinical(ors, 25)).toBe(true);
    expect(isClinical(ors, 25.1)).toBe(false);
  });
  it('ORS change categories with reliable change 5', () => {
    expect(classifyChange(ors, 20, 26)).toBe('clinically_significant_improvement');
    expect(classifyChange(ors, 27, 33)).toBe('reliable_improvement');
    expect(classifyChange(ors, 20, 24.9)).toBe('no_reliable_change');
    expect(classifyChange(ors, 30, 24.5)).toBe('deterioration');
  });
  it('SRS: 36 or less signals the alliance should be talked about', () => {
    expect(isClinical(srs, 36)).toBe(true);
    expect(isClinical(srs, 37.5)).toBe(false);
  });
  it('both require a licence the municipality switches on', () => {
    expect(ors.licence.required).toBe(true);
    expect(srs.licence.required).toBe(true);
    expect(who5.licence.required).toBe(false);
  });
  it('ORS (given every session): deterioration, and no change after three sessions', () => {
    expect(flags(ors, [20, 22, 23])).toEqual({ ...none, noChangeAfterThree: true });
    expect(flags(ors, [20, 22, 27])).toEqual(none);
    expect(flags(ors, [30, 24])).toEqual({ ...none, deterioration: true });
    expect(flags(ors, [30])).toEqual(none);
  });
  it('SRS measures the alliance per session: 36 or less, or an item under 9; never "reliable change"', () => {
    expect(flags(srs, [38], { '1': 9.5, '2': 9.5, '3': 9.5, '4': 9.5 })).toEqual(none);
    expect(flags(srs, [36], { '1': 9, '2': 9, '3': 9, '4': 9 })).toEqual({ ...none, allianceAlert: true });
    expect(flags(srs, [38.5], { '1': 10, '2': 10, '3': 8.5, '4': 10 })).toEqual({
      ...none,
      allianceAlert: true,
    });
    // A fall from 40 to 37 is no "deterioration" of an alliance measure.
    expect(flags(srs, [40, 37], { '1': 9.2, '2': 9.3, '3': 9.2, '4': 9.3 })).toEqual(none);
    expect(srs.itemAlertSource).toBeTruthy();
  });
  it('WHO-5 and QPR-15 (months apart) are never flagged for "no change after 3"', () => {
    expect(flags(who5, [40, 42, 44])).toEqual(none);
    expect(flags(qpr, [30, 30, 31])).toEqual(none);
    expect(flags(who5, [60, 48])).toEqual({ ...none, deterioration: true });
  });
});

describe('follow-up cadence', () => {
  const base = { endDate: null, lastFollowUpDate: null, maxMonths: null } as const;
  it('first follow-up within 3 months of the start (month ends clamp)', () => {
    expect(nextFollowUpDue({ ...base, startDate: '2026-01-15', cadence: { kind: 'standard' } })).toBe(
      '2026-04-15',
    );
    expect(nextFollowUpDue({ ...base, startDate: '2025-11-30', cadence: { kind: 'standard' } })).toBe(
      '2026-02-28',
    );
  });
  it('then at least every 12 months', () => {
    expect(
      nextFollowUpDue({
        ...base,
        startDate: '2025-01-10',
        lastFollowUpDate: '2025-04-02',
        cadence: { kind: 'standard' },
      }),
    ).toBe('2026-04-02');
  });
  it('close cadence in a recovery window: every 1–3 months', () => {
    expect(
      nextFollowUpDue({
        ...base,
        startDate: '2026-01-10',
        lastFollowUpDate: '2026-03-15',
        cadence: { kind: 'close', months: 2 },
      }),
    ).toBe('2026-05-15');
    expect(nextFollowUpDue({ ...base, startDate: '2026-01-10', cadence: { kind: 'close', months: 1 } })).toBe(
      '2026-02-10',
    );
  });
  it('§82b follows its end date (at most six months)', () => {
    const short = { ...base, startDate: '2026-01-10', cadence: { kind: 'standard' }, maxMonths: 6 } as const;
    expect(nextFollowUpDue(short)).toBe('2026-07-10');
    expect(nextFollowUpDue({ ...short, endDate: '2026-05-01' })).toBe('2026-05-01');
  });
  it('never later than the end of the service; an agreed earlier date wins, a later one does not', () => {
    const s = { ...base, startDate: '2026-01-10', cadence: { kind: 'standard' } } as const;
    expect(nextFollowUpDue({ ...s, endDate: '2026-03-01' })).toBe('2026-03-01');
    expect(nextFollowUpDue({ ...s, agreedNextDate: '2026-02-20' })).toBe('2026-02-20');
    expect(nextFollowUpDue({ ...s, agreedNextDate: '2026-06-01' })).toBe('2026-04-10');
  });
  it('due states for the worklist', () => {
    expect(dueState('2026-11-01', '2026-11-24')).toBe('overdue');
    expect(dueState('2026-12-10', '2026-11-24')).toBe('due_soon');
    expect(dueState('2027-02-01', '2026-11-24')).toBe('later');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
  });
});

describe("KL's functioning-level rule", () => {
  it('requires 0–4 on Aktivitet og deltagelse and refuses a level elsewhere', () => {
    expect(checkFunctioningLevel('activity', 2)).toBeNull();
    expect(checkFunctioningLevel('activity', null)).toBe('level_required');
    expect(checkFunctioningLevel('activity', 5)).toBe('level_out_of_range');
    expect(checkFunctioningLevel('function', 1)).toBe('level_not_allowed');
    expect(checkFunctioningLevel('environment', 0)).toBe('level_not_allowed');
    expect(checkFunctioningLevel('function', null)).toBeNull();
  });
  it('an intervention goal’s primary subtheme must be under Aktivitet og deltagelse', () => {
    expect(checkPrimarySubtheme('activity')).toBeNull();
    expect(checkPrimarySubtheme('function')).toBe('primary_must_be_activity');
  });
});

describe('step-down ladder over time', () => {
  it('takes the highest running step each day and records the moves down', async () => {
    const { ladderSegments, stepOn } = await import('./ladder');
    const segments = ladderSegments([
      { step: 4, startOn: '2025-01-01', endOn: '2025-06-30' }, // §107
      { step: 3, startOn: '2025-06-15', endOn: null }, // §85 in own home, overlapping the move
      { step: 2, startOn: '2026-03-01', endOn: '2026-08-31' }, // §82a group alongside
    ]);
    expect(segments).toEqual([
      { from: '2025-01-01', to: '2025-06-30', step: 4 },
      { from: '2025-07-01', to: null, step: 3 },
    ]);
    expect(stepOn(segments, '2024-12-31')).toBe(0);
    expect(stepOn(segments, '2026-04-01')).toBe(3);
    const ended = ladderSegments([{ step: 3, startOn: '2025-01-01', endOn: '2025-12-31' }]);
    expect(ended).toEqual([
      { from: '2025-01-01', to: '2025-12-31', step: 3 },
      { from: '2026-01-01', to: null, step: 0 },
    ]);
    expect(ladderSegments([{ step: 3, startOn: null, endOn: null }])).toEqual([]);
  });
});

describe('service cost', () => {
  it('hourly price × hours a week × 52 / 12; monthly price as is', async () => {
    const { monthlyCost } = await import('./cost');
    expect(monthlyCost({ priceAmount: 450, priceUnit: 'hour', hoursPerWeek: 3 })).toBe(5850);
    expect(monthlyCost({ priceAmount: 42000, priceUnit: 'month', hoursPerWeek: null })).toBe(42000);
    expect(monthlyCost({ priceAmount: 450, priceUnit: 'hour', hoursPerWeek: null })).toBeNull();
    expect(monthlyCost({ priceAmount: null, priceUnit: null, hoursPerWeek: 2 })).toBeNull();
  });
});
