import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executeNamed, openDatabase, settingsStatement } from './client';

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

describe('named prepared statements', () => {
  it('run with new parameters, and refuse a name reused for another SQL text on every driver', async () => {
    const database = await openDatabase({ pgliteDir: 'memory://' });
    try {
      const one = await executeNamed<{ n: number }>(database.db, 'test_probe', sql`select ${1}::int as n`);
      const two = await executeNamed<{ n: number }>(database.db, 'test_probe', sql`select ${2}::int as n`);
      expect([one[0]!.n, two[0]!.n]).toEqual([1, 2]);
      await expect(executeNamed(database.db, 'test_probe', sql`select ${1}::int as m`)).rejects.toThrow(
        /two different SQL texts/,
      );
    } finally {
      await database.close();
    }
  });
});
