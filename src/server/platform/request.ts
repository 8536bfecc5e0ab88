import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditContext } from './audit';
import { unauthenticated } from './errors';
import type { Actor } from './policy';
import { type Tx, withTenant } from './tenancy';

/** The authenticated actor; routes with a non-public policy always have one. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthenticated();
  return req.actor;
}

/** Runs fn in the actor's tenant transaction with the audit context of this request. */
export function inTenant<T>(
  app: FastifyInstance,
  req: FastifyRequest,
  fn: (tx: Tx, ctx: AuditContext) => Promise<T>,
): Promise<T> {
  const actor = actorOf(req);
  return withTenant(app.ctx.db, { municipalityId: actor.municipalityId, userId: actor.userId }, (tx) =>
    fn(tx, { actor, requestId: req.id }),
  );
}
