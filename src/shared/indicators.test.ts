import { describe, expect, it } from 'vitest';
import { periodEnd, periodInProgress } from './indicators';

describe('periods in progress', () => {
  it('ends a period on its last day, across years and in February', () => {
    expect(periodEnd('month', '2026-12-01')).toBe('2026-12-31');
    expect(periodEnd('month', '2028-02-01')).toBe('2028-02-29');
    expect(periodEnd('quarter', '2026-10-01')).toBe('2026-12-31');
    expect(periodEnd('quarter', '2026-04-01')).toBe('2026-06-30');
    expect(periodEnd('year', '2026-01-01')).toBe('2026-12-31');
  });

  it('marks the period that holds today as in progress, until its last day has passed', () => {
    expect(periodInProgress('month', '2026-12-01', '2026-12-06')).toBe(true);
    expect(periodInProgress('month', '2026-11-01', '2026-12-06')).toBe(false);
    expect(periodInProgress('quarter', '2026-10-01', '2026-12-31')).toBe(true);
    expect(periodInProgress('quarter', '2026-10-01', '2027-01-01')).toBe(false);
    expect(periodInProgress('year', '2026-01-01', '2026-12-06')).toBe(true);
    expect(periodInProgress('year', '2025-01-01', '2026-12-06')).toBe(false);
    // A future period (never published, but the rule holds) is in progress too.
    expect(periodInProgress('month', '2027-01-01', '2026-12-06')).toBe(true);
  });
});
