import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Config } from '../config';
import { Problem, problemFromDatabaseError } from './errors';

export const CPR_PATTERN = /\b\d{6}-?\d{4}\b/g;

/** Keeps incoming request ids only when they are harmless tokens; otherwise makes one. */
export function genReqId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(incoming) ? incoming : randomUUID();
}

/** Wraps a log destination so anything shaped like a CPR number is masked: the last line of defence. */
export function scrubbing(stream: { write(line: string): void }) {
  return { write: (line: string) => stream.write(line.replace(CPR_PATTERN, '[cpr]')) };
}

export const logSerializers = {
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
        code: v.keyword,
      }));
      return sendProblem(reply, new Problem(400, 'validation', 'Input er ugyldigt.', { errors }));
    }
    if (err instanceof Problem) return sendProblem(reply, err);
    const dbProblem = problemFromDatabaseError(err);
    if (dbProblem) return sendProblem(reply, dbProblem);
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 415 ? 'unsupported_media_type' : status === 413 ? 'too_large' : 'bad_request';
      return sendProblem(reply, new Problem(status, code, 'Forespørgslen kunne ikke behandles.'));
    }
    // Log what helps operators without the database's detail field, which can quote values.
    req.log.error(
      { err: { type: err.name, message: err.message, code: err.code, stack: err.stack } },
      'request failed',
    );
    const problem = internalError();
    if (config.env !== 'production') problem.extra.requestId = req.id;
    return sendProblem(reply, problem);
  });
}
