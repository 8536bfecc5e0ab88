import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BREAKDOWNS,
  INDICATORS,
  indicatorsMarkdown,
  PRINCIPLES,
  TARGET_AREAS,
} from '../src/shared/indicators';

describe('the key-figure catalogue', () => {
  it('is documented: docs/indicators.md is generated from the code and has not drifted', () => {
    expect(readFileSync('docs/indicators.md', 'utf8')).toBe(indicatorsMarkdown());
  });

  it('names for every indicator its principles, target areas, definition and source', () => {
    expect(new Set(INDICATORS.map((i) => i.key)).size).toBe(INDICATORS.length);
    for (const i of INDICATORS) {
      expect(i.principles.length, i.key).toBeGreaterThan(0);
      for (const p of i.principles) expect(PRINCIPLES[p], i.key).toBeTruthy();
      expect(i.targetAreas.length, i.key).toBeGreaterThan(0);
      for (const a of i.targetAreas) expect(TARGET_AREAS[a], i.key).toBeTruthy();
      for (const b of i.breakdowns) expect(BREAKDOWNS[b], i.key).toBeTruthy();
      expect(i.numerator.length, i.key).toBeGreaterThan(10);
      expect(i.source.length, i.key).toBeGreaterThan(5);
      // A rate has a denominator; a plain count has none.
      if (i.kind === 'rate') expect(i.denominator, i.key).toBeTruthy();
      if (i.kind === 'count' && !i.key.startsWith('step_')) expect(i.denominator, i.key).toBeNull();
    }
  });

  it('covers what issue 5 lists, and all four national target areas', () => {
    const keys = INDICATORS.map((i) => i.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'citizens',
        'new_citizens',
        'step_down',
        'step_up',
        'days_on_step',
        'ended_need_met',
        'gas_attainment',
        'goals_own_words',
        'who5_improved',
        'qpr_improved',
        'follow_up_on_time',
        'follow_up_interval',
        'plan_offered',
        'plan_accepted',
        'community_started',
        'community_kept',
        'education_employment',
        'psychiatric_admission',
        'spend',
        'spend_per_citizen',
        'spend_per_goal_achieved',
      ]),
    );
    expect(new Set(INDICATORS.flatMap((i) => i.targetAreas))).toEqual(new Set(Object.keys(TARGET_AREAS)));
  });
});
