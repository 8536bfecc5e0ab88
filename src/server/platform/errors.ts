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

/** Maps PostgreSQL errors that bad input can cause to 4xx; anything else stays a 500. */
export function problemFromDatabaseError(err: unknown): Problem | null {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const code = e.code ?? e.cause?.code;
  const constraint = e.constraint ?? e.cause?.constraint;
  switch (code) {
    case '23505':
      return new Problem(409, 'duplicate', 'Der findes allerede en post med de samme oplysninger.', {
        constraint,
      });
    case '23503':
      return new Problem(422, 'invalid_reference', 'En henvisning peger på noget, der ikke findes.', {
        constraint,
      });
    case '23514':
    case '22P02':
    case '22001':
    case '22007':
    case '22008':
      return new Problem(422, 'invalid_value', 'En værdi er ugyldig.', { constraint });
    case '42501':
      return new Problem(403, 'forbidden', 'Du har ikke adgang til denne handling.');
    default:
      return null;
  }
}

/** The outcome of an optimistic-concurrency change: done, not found (or not allowed), or stale. */
export type Change<T, C = T> = { ok: T } | { notFound: true } | { conflict: C };
