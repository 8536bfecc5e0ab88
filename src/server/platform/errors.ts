/** A problem (RFC 9457) with a stable code; the UI translates the code, never the English title. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'Ressourcen') => new Problem(404, 'not_found', `${what} findes ikke.`);
export const forbidden = () => new Problem(403, 'forbidden', 'Du har ikke adgang til denne handling.');
export const unauthenticated = () => new Problem(401, 'unauthenticated', 'Du er ikke logget ind.');
/** A field that breaks a rule: the same shape as a 400's field errors, so the UI shows both alike. */
export type FieldError = { field: string; message: string; code: string };

/** A request that is well-formed but breaks a domain rule; errors name the fields like a 400 does. */
export const unprocessable = (code: string, message: string, errors: FieldError[] = []) =>
  new Problem(422, code, message, errors.length ? { errors } : {});
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new Problem(409, code, message, extra);

/**
 * Maps PostgreSQL errors that bad input can cause to 4xx; anything else stays a 500. The answer never names
 * the constraint or quotes the database's message (that would describe the schema to a caller); the log
 * line keeps the constraint for operators (loggableError). The field builders (shared/fields.ts) refuse
 * such input before it gets here; this is the net below them.
 */
export function problemFromDatabaseError(err: unknown): Problem | null {
  const e = err as { code?: string; cause?: { code?: string } };
  switch (e.cause?.code ?? e.code) {
    case '23505':
      return new Problem(409, 'duplicate', 'Der findes allerede en post med de samme oplysninger.');
    case '23503':
      return new Problem(422, 'invalid_reference', 'En henvisning peger på noget, der ikke findes.');
    case '23514': // check_violation
    case '23502': // not_null_violation
    case '22P02': // invalid_text_representation
    case '22001': // string_data_right_truncation
    case '22003': // numeric_value_out_of_range
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22021': // character_not_in_repertoire (NUL in text)
    case '22P05': // untranslatable_character (\u0000 in jsonb)
    case '2202E': // array_subscript_error
      return new Problem(422, 'invalid_value', 'En værdi er ugyldig.');
    case '42501':
      return new Problem(403, 'forbidden', 'Du har ikke adgang til denne handling.');
    default:
      return null;
  }
}

/** The outcome of an optimistic-concurrency change: done, not found (or not allowed), or stale. */
export type Change<T, C = T> = { ok: T } | { notFound: true } | { conflict: C };
