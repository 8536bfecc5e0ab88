import fc from 'fast-check';

/**
 * Request bodies for the fuzz test, generated from a route's own JSON Schema: mostly valid, so they get
 * past validation and reach the services and the database, with one value anywhere replaced by something
 * hostile (control characters, numbers past int4/int8/float range, impossible dates, deep nesting, huge
 * arrays, wrong types). A random dictionary of keys rarely passes validation, and so never finds what only
 * the database refuses.
 */

type Json = Record<string, unknown>;

export interface Pools {
  /** Ids of real rows, so references resolve. */
  ids: string[];
  /** Real FFB/KL codes (UUIDs). */
  codes: string[];
  /** Values for fields known by name (paragraphCode, instrumentKey, token, members …), of any type. */
  named: Record<string, unknown[]>;
}

const deep = (depth: number): unknown => {
  let v: unknown = 'bund';
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

/** Values that broke, or could break, a layer below validation. */
export const hostile = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(
      '\u0000',
      'Anne\u0000Hansen',
      '\u0001\u0002\u0007\u001b[31m',
      '\u007f\u0085\u009f',
      'linje\r\nto\u2028tre',
      '\ud800',
      '',
      ' ',
      2147483648,
      -2147483649,
      32768,
      2 ** 63 - 1,
      2 ** 63,
      -(2 ** 63) - 1,
      9007199254740991,
      9007199254740992,
      1e308,
      -1e308,
      5e-324,
      -0,
      0.1,
      '2026-02-30',
      '2026-13-01',
      '0000-01-01',
      '0001-01-01',
      '1899-12-31',
      '2200-01-01',
      '99999-12-31',
      '2026-1-1',
      '2026-11-01T25:00:00Z',
      '2026-11-01T10:00:00',
      'not-a-date',
      '00000000-0000-0000-0000-000000000000',
      "'; drop table citizens; --",
      null,
      true,
      {},
      [],
    ),
    fc.constant(null).map(() => deep(3000)),
    fc.constant(null).map(() => Array.from({ length: 20_000 }, (_, i) => i)),
    fc.constant(null).map(() => Array.from({ length: 2_000 }, () => ({ a: 'x' }))),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.double(),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(Number),
  );

function stringFor(s: Json, pools: Pools): fc.Arbitrary<unknown> {
  if (s.format === 'uuid') return fc.oneof(fc.constantFrom(...pools.ids), fc.uuid());
  if (s.format === 'date') return fc.constantFrom('2026-11-01', '2026-01-15', '2025-06-30', '2027-03-01');
  if (s.format === 'date-time') return fc.constantFrom('2026-11-01T09:00:00Z', '2026-11-24T10:30:00+01:00');
  if (s.format === 'email') return fc.constantFrom('anne@kommune.test', 'x@y.dk');
  const max = typeof s.maxLength === 'number' ? Math.min(s.maxLength, 60) : 60;
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const patterns = [s.pattern, ...((s.allOf as Json[] | undefined) ?? []).map((a) => a.pattern)].filter(
    (p): p is string => typeof p === 'string',
  );
  if (patterns.some((p) => p === '^[0-9a-f-]{36}$')) return fc.constantFrom(...pools.codes);
  const specific = patterns.filter((p) => !p.startsWith('^[^'));
  if (specific.length) {
    return fc.stringMatching(new RegExp(specific[0]!), { size: 'small' });
  }
  return fc.oneof(
    fc.string({ minLength: Math.max(min, 1), maxLength: max }),
    fc.constantFrom('Anne', 'Hansen', 'Rådhusvej 1', 'Noter om forløbet\nlinje to'),
  );
}

/** A value for the schema: mostly valid, from real ids and codes where it asks for them. */
export function valueFor(s: Json, pools: Pools, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  const named = pools.named[name];
  if (named?.length) return fc.constantFrom(...named);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key] as Json[] | undefined;
    if (options?.length) return fc.oneof(...options.map((o) => valueFor(o, pools, name, depth + 1)));
  }
  const type = [s.type].flat()[0];
  switch (type) {
    case 'string':
      return stringFor(s, pools);
    case 'integer': {
      const min = typeof s.minimum === 'number' ? s.minimum : -1000;
      const max = typeof s.maximum === 'number' ? s.maximum : 1000;
      return fc.oneof(fc.integer({ min, max: Math.min(max, min + 10) }), fc.integer({ min, max }));
    }
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : -1000;
      const max = typeof s.maximum === 'number' ? s.maximum : 1000;
      return fc.oneof(
        fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
        fc.double({ min, max, noNaN: true }),
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (s.items as Json | undefined) ?? {};
      const maxLength = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 3, 3);
      const minLength = Math.min(typeof s.minItems === 'number' ? s.minItems : 0, maxLength);
      return fc.array(valueFor(items, pools, name, depth + 1), { minLength, maxLength });
    }
    case 'object': {
      const props = (s.properties as Record<string, Json> | undefined) ?? {};
      const required = new Set((s.required as string[] | undefined) ?? []);
      if (
        !Object.keys(props).length &&
        s.additionalProperties &&
        typeof s.additionalProperties === 'object'
      ) {
        const key = s.propertyNames ? valueFor(s.propertyNames as Json, pools, '', depth + 1) : fc.string();
        return fc.dictionary(
          key.map(String),
          valueFor(s.additionalProperties as Json, pools, '', depth + 1),
          { maxKeys: 4 },
        );
      }
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, sub] of Object.entries(props)) record[k] = valueFor(sub, pools, k, depth + 1);
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Replaces the value at one path (chosen by `pick`) with `replacement`. */
export function replaceOne(value: unknown, pick: number, replacement: unknown): unknown {
  const paths: (string | number)[][] = [[]];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
      paths.push([...path, k]);
      walk(x, [...path, k]);
    }
  };
  walk(value, []);
  const path = paths[pick % paths.length]!;
  if (!path.length) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = replacement;
  return copy;
}

/** A body for a route: valid as generated, or with one value (or the whole) made hostile. */
export function bodyFor(schema: Json | undefined, pools: Pools): fc.Arbitrary<unknown> {
  const base = schema ? valueFor(schema, pools) : fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    { weight: 2, arbitrary: base },
    {
      weight: 3,
      arbitrary: fc.tuple(base, fc.nat(), hostile()).map(([v, pick, bad]) => replaceOne(v, pick, bad)),
    },
    // An extra key the schema does not know, holding something hostile.
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, hostile())
        .map(([v, bad]) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...v, extra: bad } : v)),
    },
  );
}
