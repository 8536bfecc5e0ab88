import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase, settingsStatement } from './client';

describe('transaction-local settings travel as escaped literals', () => {
  it('refuses setting names that are not plain identifiers', () => {
    expect(() => settingsStatement({ "role'; drop table users; --": 'x' })).toThrow(/invalid setting name/);
  });

  it('round-trips any value exactly, quotes and backslashes included (property, real PGlite)', async () => {
    const database = await openDatabase({ pgliteDir: 'memory://' });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 60 }).filter((s) => !s.includes('\0')),
          async (value) => {
            const [row] = await database.queryOnce<{ v: string }>(
              { 'app.probe': value },
              "SELECT current_setting('app.probe') AS v, $1 AS w",
              [value],
            );
            expect(row!.v).toBe(value);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await database.close();
    }
  });
});
