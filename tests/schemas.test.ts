import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DECIMAL_LIMIT, INT4_MAX, INT4_MIN, issueCode, text } from '../src/shared/fields';
import { createTestApp, type TestApp } from './helpers';

/**
 * Every route's request schema is built from the shared field builders (src/shared/fields.ts), so nothing
 * that reaches the database can crash it: a string without a pattern that refuses control characters, an
 * integer without int4 bounds or a number without finite bounds fails this test, for any route added later.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Json = Record<string, unknown>;
/** The characters no text field may hold: C0 controls but tab and newline, DEL, C1. */
const CONTROLS = [
  ...[...Array(0xa0).keys()]
    .filter((c) => c < 0x20 || c >= 0x7f)
    .filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d)
    .map((c) => String.fromCharCode(c)),
  '\ud800',
  '\udfff',
];

/** Every place in a JSON Schema where a value's rules are stated, with its path. */
function* leaves(s: Json, path: string): Generator<[string, Json]> {
  yield [path, s];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
    for (const [i, sub] of ((s[key] as Json[] | undefined) ?? []).entries())
      yield* leaves(sub, `${path}|${i}`);
  for (const [k, sub] of Object.entries((s.properties as Record<string, Json> | undefined) ?? {}))
    yield* leaves(sub, `${path}.${k}`);
  if (s.items && typeof s.items === 'object') yield* leaves(s.items as Json, `${path}[]`);
  for (const [i, sub] of ((s.prefixItems as Json[] | undefined) ?? []).entries())
    yield* leaves(sub, `${path}[${i}]`);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    yield* leaves(s.additionalProperties as Json, `${path}{}`);
  if (s.propertyNames) yield* leaves(s.propertyNames as Json, `${path}{key}`);
}

/** The patterns a string schema states, its own and those of an allOf beside it. */
const patternsOf = (s: Json): string[] => [
  ...(typeof s.pattern === 'string' ? [s.pattern] : []),
  ...((s.allOf as Json[] | undefined) ?? []).flatMap(patternsOf),
];

function problemsOf(schema: Json, where: string): string[] {
  const problems: string[] = [];
  for (const [path, s] of leaves(schema, where)) {
    const types = [s.type].flat();
    if (types.includes('string') && s.const === undefined && s.enum === undefined) {
      if (s.format === 'uuid') continue;
      if (typeof s.maxLength !== 'number') problems.push(`${path}: string without maxLength`);
      const patterns = patternsOf(s);
      if (!patterns.length) {
        problems.push(`${path}: string without a pattern`);
        continue;
      }
      // A value the patterns accept, with a control character put in anywhere, is refused.
      const accepted = patterns.map((p) => new RegExp(p, 'u'));
      const run = fc.check(
        fc.property(
          fc.stringMatching(accepted[0]!, { size: 'small' }),
          fc.nat(),
          fc.constantFrom(...CONTROLS),
          fc.boolean(),
          (v, at, c, replace) => {
            const i = at % (v.length + 1);
            const w = v.slice(0, i) + c + v.slice(replace ? i + 1 : i);
            // A surrogate half that happens to complete a pair is a real character, not a hostile one.
            if (!LONE_SURROGATE.test(w) && /[\ud800-\udfff]/.test(c)) return true;
            return !accepted.every((re) => re.test(w));
          },
        ),
        { numRuns: 40 },
      );
      if (run.failed)
        problems.push(`${path}: accepts a control character (${JSON.stringify(run.counterexample)})`);
    }
    if ((types.includes('integer') || types.includes('number')) && (s.const !== undefined || s.enum))
      continue;
    if (types.includes('integer')) {
      if (!(typeof s.minimum === 'number' && s.minimum >= INT4_MIN))
        problems.push(`${path}: integer without an int4 minimum`);
      if (!(typeof s.maximum === 'number' && s.maximum <= INT4_MAX))
        problems.push(`${path}: integer without an int4 maximum`);
    } else if (types.includes('number')) {
      if (!(typeof s.minimum === 'number' && Math.abs(s.minimum) <= DECIMAL_LIMIT))
        problems.push(`${path}: number without a finite minimum`);
      if (!(typeof s.maximum === 'number' && Math.abs(s.maximum) <= DECIMAL_LIMIT))
        problems.push(`${path}: number without a finite maximum`);
    }
    if (types.includes('array') && typeof s.maxItems !== 'number')
      problems.push(`${path}: array without maxItems`);
  }
  return problems;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('request schemas', () => {
  it('bound every string, number, date and array on every route', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const r of t.app.routeInventory) {
      for (const [part, schema] of Object.entries(r.schema)) {
        if (!schema) continue;
        checked++;
        const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Json;
        problems.push(...problemsOf(json, `${r.method} ${r.url} ${part}`));
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it('would catch a field that bypasses the builders', () => {
    const bare = z.toJSONSchema(
      z.object({ a: z.string(), n: z.int(), x: z.number(), l: z.array(z.uuid()) }),
    ) as Json;
    expect(problemsOf(bare, 'bare')).toEqual([
      'bare.a: string without maxLength',
      'bare.a: string without a pattern',
      'bare.n: integer without an int4 minimum',
      'bare.n: integer without an int4 maximum',
      'bare.x: number without a finite minimum',
      'bare.x: number without a finite maximum',
      'bare.l: array without maxItems',
    ]);
    const loose = z.toJSONSchema(z.object({ a: z.string().max(5).regex(/^.*$/) })) as Json;
    expect(problemsOf(loose, 'loose')).toEqual([
      expect.stringMatching(/^loose.a: accepts a control character/),
    ]);
  });

  it('names control characters as their own error, with tab and newline allowed in text', () => {
    const r = text(50).safeParse('før\u0000efter');
    expect(r.success).toBe(false);
    expect(issueCode(r.error!.issues[0] as Parameters<typeof issueCode>[0])).toBe('control_characters');
    expect(text(50).parse(' a\r\n\tb ')).toBe('a\n\tb');
    // A surrogate pair is one character (an emoji in a name is fine); a lone half cannot be stored.
    expect(text(50).safeParse('Anne 😀').success).toBe(true);
    expect(text(50).safeParse('Anne \ud800').success).toBe(false);
    expect(text(50).safeParse('Anne \ude00x').success).toBe(false);
  });
});
