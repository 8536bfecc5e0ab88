import type { FastifyRequest } from 'fastify';
import type { AuditContext, PortalAuditContext } from './audit';
import { unauthenticated } from './errors';
import type { Actor, CitizenActor } from './policy';
import type { Tx } from './tenancy';

/** The authenticated actor; routes with a non-public policy always have one. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthenticated();
  return req.actor;
}

/**
 * Runs fn in the request's tenant transaction with the audit context of this request. If fn throws, the
 * request's work is rolled back; if it returns, it is committed with its audit rows before the response.
 */
export async function inTenant<T>(
  req: FastifyRequest,
  fn: (tx: Tx, ctx: AuditContext) => Promise<T>,
): Promise<T> {
  const actor = actorOf(req);
  const uow = req.unitOfWork;
  if (!uow || uow.closed) throw new Error('inTenant outside an authenticated request');
  try {
    return await fn(uow.tx.db, { actor, requestId: req.id, pending: uow.pending });
  } catch (err) {
    uow.failed = true;
    throw err;
  }
}

/** The citizen of a portal request; portal routes (policy `citizen`) always have one. */
export function citizenOf(req: FastifyRequest): CitizenActor {
  if (!req.citizen) throw unauthenticated();
  return req.citizen;
}

/**
 * inTenant for the portal: fn runs in the request's transaction as retning_citizen (row-level security
 * confines it to the citizen's own rows), and its audit rows are committed with it.
 */
export async function inPortal<T>(
  req: FastifyRequest,
  fn: (tx: Tx, ctx: PortalAuditContext) => Promise<T>,
): Promise<T> {
  const citizen = citizenOf(req);
  const uow = req.unitOfWork;
  if (!uow || uow.closed) throw new Error('inPortal outside a portal request');
  try {
    return await fn(uow.tx.db, { citizen, requestId: req.id, pending: uow.pending });
  } catch (err) {
    uow.failed = true;
    throw err;
  }
}
