import { z } from 'zod';

/**
 * The field builders every request schema is made of (issue 12, item 1). Whatever reaches the database
 * passed one of these, so a new route inherits their limits instead of repeating them:
 * - text refuses control characters (NUL crashes PostgreSQL's text input; the others are never typed),
 *   with tab and newline allowed where text may span lines;
 * - every integer is bounded to its column (int4 unless smaller), every decimal to a finite range;
 * - every date is a real calendar date in the years the domain can mean.
 * tests/schemas.test.ts walks every route's schema and fails on a field that bypasses them.
 */

/**
 * Characters no text may hold: C0 controls other than tab, line feed and carriage return, DEL, C1, and
 * (the patterns run with the u flag, so a surrogate pair is one character) a lone surrogate half, which
 * cannot be encoded as UTF-8.
 */
const REFUSED = '\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\uD800-\\uDFFF';
/** Multi-line text: no control characters but tab and newline (carriage returns are normalised away). */
export const MULTI_LINE = new RegExp(`^[^${REFUSED}\\r]*$`, 'u');
/** One line: no control characters at all, and no tab or newline. */
export const SINGLE_LINE = new RegExp(`^[^${REFUSED}\\t\\n\\r]*$`, 'u');
/** A whole document (a CSV or NDJSON file): line ends of any platform, tabs, nothing else. */
export const DOCUMENT = new RegExp(`^[^${REFUSED}]*$`, 'u');

const CONTROL_MESSAGE = 'Teksten indeholder et tegn, der ikke kan gemmes (et kontroltegn).';
const NEWLINE_MESSAGE = 'Skal stå på én linje uden kontroltegn.';

/** The stable code of a field error: control characters get their own, so the UI can say so. */
export function issueCode(issue: { code: string; format?: string; pattern?: string | RegExp }): string {
  if (issue.code === 'invalid_format' && issue.format === 'regex') {
    const p = String(issue.pattern);
    if (p === String(MULTI_LINE) || p === String(SINGLE_LINE) || p === String(DOCUMENT))
      return 'control_characters';
  }
  return issue.code;
}

const crlf = (s: string) => s.replace(/\r\n?/g, '\n');

/** One line of text (names, titles, addresses), trimmed; may be empty. */
export const line = (max: number) => z.string().trim().max(max).regex(SINGLE_LINE, NEWLINE_MESSAGE);
/** One line of text that must be filled in. */
export const requiredLine = (max: number) =>
  z.string().trim().min(1, 'Skal udfyldes').max(max).regex(SINGLE_LINE, NEWLINE_MESSAGE);
/** One line or nothing: empty text becomes null. */
export const optionalLine = (max: number) =>
  line(max)
    .nullish()
    .transform((v) => (v ? v : null));

/** Text that may span lines (notes, own words, plans): line ends normalised to \n, trimmed. */
export const text = (max: number) =>
  z.string().overwrite(crlf).trim().max(max).regex(MULTI_LINE, CONTROL_MESSAGE);
/** Multi-line text that must be filled in. */
export const requiredText = (max: number) =>
  z.string().overwrite(crlf).trim().min(1, 'Skal udfyldes').max(max).regex(MULTI_LINE, CONTROL_MESSAGE);
/** Multi-line text kept exactly as written (own words): line ends normalised, nothing trimmed. */
export const verbatim = (max: number) =>
  z.string().overwrite(crlf).max(max).regex(MULTI_LINE, CONTROL_MESSAGE);
/** A whole file sent as text (CSV, NDJSON): any line ends, no other control characters. */
export const document = (max: number) => z.string().min(1).max(max).regex(DOCUMENT, CONTROL_MESSAGE);

/** A code or key of a fixed shape; the pattern must exclude control characters itself. */
export const token = (pattern: RegExp, message = 'Ugyldig kode', max = 200) =>
  z.string().max(max).regex(pattern, message);
/** A code as the outside world writes it (FFB, KL, paragraph, instrument): one short line, trimmed. */
export const codeText = (max = 60) => requiredLine(max);

export const INT4_MIN = -2_147_483_648;
export const INT4_MAX = 2_147_483_647;

/** An integer within [min, max], which must lie inside the int4 column it is stored in (or compared with). */
export function int(min: number, max: number) {
  if (min < INT4_MIN || max > INT4_MAX || min > max) throw new Error(`int(${min}, ${max}) is outside int4`);
  return z.int().min(min).max(max);
}
/** The row version of optimistic concurrency (an int4 column). */
export const version = () => int(1, INT4_MAX);
/** A row version from a query string. */
export const versionParam = () =>
  token(/^[1-9][0-9]{0,9}$/, 'Ugyldig version', 10)
    .transform(Number)
    .pipe(version());

/** The largest decimal the API takes (numeric(16,2) columns hold less than 10^14). */
export const DECIMAL_LIMIT = 1e12;
/** A finite decimal within [min, max]. */
export function decimal(min: number, max: number) {
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max))
    throw new Error(`decimal(${min}, ${max}) needs finite bounds`);
  if (Math.abs(min) > DECIMAL_LIMIT || Math.abs(max) > DECIMAL_LIMIT)
    throw new Error(`decimal(${min}, ${max}) exceeds ±${DECIMAL_LIMIT}`);
  return z.number().min(min).max(max);
}

/** The years a date in Retning can fall in: births, cases, plans, reports. */
export const FIRST_DATE = '1900-01-01';
export const LAST_DATE = '2199-12-31';

/** A calendar date (YYYY-MM-DD) that exists, between 1900 and 2199. */
export const isoDate = (message = 'Ugyldig dato (ÅÅÅÅ-MM-DD)') =>
  z.iso
    .date(message)
    .max(10)
    .refine((d) => d >= FIRST_DATE && d <= LAST_DATE, { message: 'Datoen ligger uden for 1900–2199' });

/** A moment with its offset (ISO 8601), between 1900 and 2199. */
export const isoDateTime = () =>
  z.iso
    .datetime({ offset: true, message: 'Ugyldigt tidspunkt (ISO 8601)' })
    .max(40)
    .refine((d) => d >= FIRST_DATE && d.slice(0, 10) <= LAST_DATE, {
      message: 'Tidspunktet ligger uden for 1900–2199',
    });

export const uuid = () => z.uuid('Ugyldigt id');

/** An optional field that is null when absent (undefined and null both become null). */
export const nullable = <T extends z.ZodType>(s: T) => s.nullish().transform((v) => v ?? null);
