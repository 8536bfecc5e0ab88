import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { issueCode } from '../../shared/fields';
import type { Config } from '../config';
import { Problem, problemFromDatabaseError } from './errors';

/**
 * Anything shaped like a CPR number: a date (DDMMYY, day 01–31, month 01–12) and four digits, with or
 * without a separator (hyphen, space, '+', or their URL encodings), and no digit right before or after.
 * Letters may touch it (x2705750830, cpr2705750830); a longer number (2147483648 is no date) does not match.
 */
export const CPR_PATTERN =
  /(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}(?:-|\s|\+|%20|%2[Dd]|%2[Bb])?\d{4}(?!\d)/g;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Request ids are the server's own; a client-sent id is kept only if it is a UUID (so it carries nothing). */
export function genReqId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && UUID.test(incoming) ? incoming.toLowerCase() : randomUUID();
}

/** Wraps a log destination so anything shaped like a CPR number is masked: the last line of defence. */
export function scrubbing(stream: { write(line: string): void }) {
  return { write: (line: string) => stream.write(line.replace(CPR_PATTERN, '[cpr]')) };
}

/**
 * What of an error may be logged: its class, the SQL state or error code, the constraint, table and column,
 * and where in the code it happened. Never its message, detail or hint: a database error's message quotes
 * the query and its parameters (Drizzle's "Failed query … params: …"), and an SMTP error the address.
 */
export function loggableError(err: unknown): LoggedError {
  if (logged.has(err as object)) return err as LoggedError;
  const e = (err ?? {}) as Record<string, unknown> & { cause?: Record<string, unknown> };
  const db = typeof e.cause === 'object' && e.cause && 'code' in e.cause ? e.cause : e;
  const field = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? v : undefined);
  const stack = typeof e.stack === 'string' ? e.stack : '';
  const type = (err as object | null)?.constructor?.name ?? typeof err;
  const code = field(db.code) ?? field(e.code);
  const out: LoggedError = {
    type,
    // Pino's error shape wants a message: the class and code, never the error's own text.
    message: code === undefined ? type : `${type} ${code}`,
    ...(db !== e ? { causeType: (db as object).constructor?.name } : {}),
    code,
    constraint: field(db.constraint),
    table: field(db.table),
    column: field(db.column),
    routine: field(db.routine),
    responseCode: field(e.responseCode),
    // The frames only: the first line of a stack is the message.
    stack: stack
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 12)
      .join('\n'),
  };
  logged.add(out);
  return out;
}
const logged = new WeakSet<object>();
export interface LoggedError {
  [key: string]: unknown;
  type: string;
  message: string;
  causeType?: string | undefined;
  code: string | number | undefined;
  constraint: string | number | undefined;
  table: string | number | undefined;
  column: string | number | undefined;
  routine: string | number | undefined;
  responseCode: string | number | undefined;
  stack: string;
}

export const logSerializers = {
  err: loggableError,
  req(req: { method: string; url: string; id: string }) {
    // Path only: queries may carry personal data, and headers carry cookies.
    return { method: req.method, url: req.url.split('?')[0], id: req.id };
  },
  res(res: { statusCode: number }) {
    return { statusCode: res.statusCode };
  },
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Security headers on every response, errors and 404s included. */
export function applySecurityHeaders(req: FastifyRequest, reply: FastifyReply): void {
  reply.header('content-security-policy', CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  reply.header('x-request-id', req.id);
  if (req.protocol === 'https') {
    reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  }
  if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
}

export function problemBody(p: Problem) {
  return { type: 'about:blank', title: p.message, status: p.status, code: p.code, ...p.extra };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(problemBody(p));
}

export const internalError = () =>
  new Problem(500, 'internal', 'Der opstod en fejl. Prøv igen, eller kontakt support.');

/** Errors become RFC 9457 problem details with a stable code; no stack trace leaves the server. */
export function installErrorHandling(app: FastifyInstance, config: Config): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.map((v) => ({
        field: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(body)',
        message: v.message ?? 'Ugyldig værdi',
        code: issueCode({ ...(v.params as object), code: v.keyword }),
      }));
      return sendProblem(reply, new Problem(400, 'validation', 'Input er ugyldigt.', { errors }));
    }
    if (err instanceof Problem) return sendProblem(reply, err);
    const dbProblem = problemFromDatabaseError(err);
    if (dbProblem) {
      req.log.warn({ err: loggableError(err) }, 'request refused by the database');
      return sendProblem(reply, dbProblem);
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 415 ? 'unsupported_media_type' : status === 413 ? 'too_large' : 'bad_request';
      return sendProblem(reply, new Problem(status, code, 'Forespørgslen kunne ikke behandles.'));
    }
    req.log.error({ err: loggableError(err) }, 'request failed');
    const problem = internalError();
    if (config.env !== 'production') problem.extra.requestId = req.id;
    return sendProblem(reply, problem);
  });
}
