import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn, cprBirthDate, formatCpr, isValidCpr, maskCpr, normalizeCpr } from './cpr';

describe('CPR numbers', () => {
  it('reads the century from the seventh digit', () => {
    expect(cprBirthDate('0101851234')?.getUTCFullYear()).toBe(1985);
    expect(cprBirthDate('010110-4123')?.getUTCFullYear()).toBe(2010);
    expect(cprBirthDate('0101404123')?.getUTCFullYear()).toBe(1940);
    expect(cprBirthDate('0101155123')?.getUTCFullYear()).toBe(2015);
    expect(cprBirthDate('0101605123')?.getUTCFullYear()).toBe(1860);
    expect(cprBirthDate('0101309123')?.getUTCFullYear()).toBe(2030);
  });

  it('refuses impossible dates and wrong shapes', () => {
    for (const bad of [
      '3102851234',
      '0013851234',
      '2902851234',
      '010185123',
      '01018512345',
      'abcdefghij',
      '',
    ]) {
      expect(isValidCpr(bad), bad).toBe(false);
    }
    expect(isValidCpr('2902841234')).toBe(true); // 1984 was a leap year
  });

  it('masks the serial part and formats with a dash', () => {
    expect(maskCpr('0101851234')).toBe('010185-xxxx');
    expect(formatCpr('0101851234')).toBe('010185-1234');
    expect(normalizeCpr(' 010185-1234 ')).toBe('0101851234');
  });

  it('accepts every real calendar date in every century code (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('1999-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 3999 }),
        (d, serial) => {
          const pad = (n: number) => String(n).padStart(2, '0');
          const cpr = `${pad(d.getUTCDate())}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCFullYear() % 100)}${String(serial).padStart(4, '0')}`;
          const parsed = cprBirthDate(cpr);
          expect(parsed?.toISOString().slice(0, 10)).toBe(d.toISOString().slice(0, 10));
        },
      ),
    );
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => typeof isValidCpr(s) === 'boolean'));
  });
});

describe('ageOn', () => {
  it('counts whole years, turning a year older on the birthday', () => {
    expect(ageOn('1982-07-12', '2026-07-11')).toBe(43);
    expect(ageOn('1982-07-12', '2026-07-12')).toBe(44);
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageOn('2000-02-29', '2025-03-01')).toBe(25);
  });
});
