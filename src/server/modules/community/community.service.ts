import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AuditResource } from '../../../shared/enums';
import type { offerBody, offerLinkBody, offerLinkUpdateBody, offerUpdateBody } from '../../../shared/pathway';
import { communityOffers, goalOfferLinks, goals } from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { type Change, conflict, unprocessable } from '../../platform/errors';
import type { Tx } from '../../platform/tenancy';
import { loadCaseAllowed } from '../cases/cases.service';

/** The municipality's directory of civil-society and community offers. */
export function listOffers(tx: Tx, activeOnly: boolean) {
  return tx
    .select()
    .from(communityOffers)
    .where(activeOnly ? eq(communityOffers.active, true) : undefined)
    .orderBy(asc(communityOffers.name));
}

export async function createOffer(tx: Tx, ctx: AuditContext, body: z.infer<typeof offerBody>) {
  const [o] = await tx
    .insert(communityOffers)
    .values({ ...body, municipalityId: ctx.actor.municipalityId })
    .returning();
  return o!;
}

export async function updateOffer(
  tx: Tx,
  id: string,
  body: z.infer<typeof offerUpdateBody>,
): Promise<Change<typeof communityOffers.$inferSelect>> {
  const { version, ...fields } = body;
  const [o] = await tx
    .update(communityOffers)
    .set({ ...fields, version: sql`${communityOffers.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(communityOffers.id, id), eq(communityOffers.version, version)))
    .returning();
  if (o) return { ok: o };
  const [current] = await tx.select().from(communityOffers).where(eq(communityOffers.id, id));
  return current ? { conflict: current } : { notFound: true };
}

const deny = (tx: Tx, ctx: AuditContext, id: string, resourceType: AuditResource) =>
  audit(tx, ctx, { action: 'update', policy: 'case.write', resourceType, resourceId: id, outcome: 'denied' });

/** Links an offer to a goal on a case the actor works on (bridge-building: principle 3). */
export async function linkOffer(
  tx: Tx,
  ctx: AuditContext,
  goalId: string,
  body: z.infer<typeof offerLinkBody>,
) {
  const [g] = await tx.select().from(goals).where(eq(goals.id, goalId));
  if (!g) {
    await deny(tx, ctx, goalId, 'goal');
    return null;
  }
  const c = await loadCaseAllowed(tx, ctx, g.caseId, 'case.write', 'update', 'goal');
  if (!c) return null;
  const [offer] = await tx
    .select({ id: communityOffers.id })
    .from(communityOffers)
    .where(eq(communityOffers.id, body.offerId));
  if (!offer)
    throw unprocessable('link_invalid', 'Tilbuddet findes ikke.', [
      { field: 'offerId', message: 'Vælg et tilbud', code: 'invalid_link' },
    ]);
  if (body.status !== 'suggested' && !body.startedOn)
    throw unprocessable('link_invalid', 'Angiv hvornår borgeren startede.', [
      { field: 'startedOn', message: 'Angiv startdato', code: 'required' },
    ]);
  const [existing] = await tx
    .select({ id: goalOfferLinks.id })
    .from(goalOfferLinks)
    .where(and(eq(goalOfferLinks.goalId, goalId), eq(goalOfferLinks.offerId, body.offerId)));
  if (existing) throw conflict('duplicate', 'Tilbuddet er allerede knyttet til målet.');
  const [l] = await tx
    .insert(goalOfferLinks)
    .values({ ...body, municipalityId: ctx.actor.municipalityId, citizenId: g.citizenId, goalId })
    .returning();
  await audit(tx, ctx, {
    action: 'create',
    policy: 'case.write',
    resourceType: 'community_link',
    resourceId: l!.id,
    citizenId: g.citizenId,
    caseId: g.caseId,
  });
  return { link: l!, caseId: g.caseId };
}

export async function updateLink(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  body: z.infer<typeof offerLinkUpdateBody>,
): Promise<Change<typeof goalOfferLinks.$inferSelect>> {
  const [l] = await tx.select().from(goalOfferLinks).where(eq(goalOfferLinks.id, id));
  const [g] = l ? await tx.select().from(goals).where(eq(goals.id, l.goalId)) : [];
  if (!l || !g) {
    await deny(tx, ctx, id, 'community_link');
    return { notFound: true };
  }
  const c = await loadCaseAllowed(tx, ctx, g.caseId, 'case.write', 'update', 'community_link');
  if (!c) return { notFound: true };
  if (l.version !== body.version) return { conflict: l };
  if (body.status !== 'suggested' && !body.startedOn)
    throw unprocessable('link_invalid', 'Angiv hvornår borgeren startede.', [
      { field: 'startedOn', message: 'Angiv startdato', code: 'required' },
    ]);
  const { version, ...fields } = body;
  const [u] = await tx
    .update(goalOfferLinks)
    .set({ ...fields, version: sql`${goalOfferLinks.version} + 1`, updatedAt: sql`now()` })
    .where(eq(goalOfferLinks.id, id))
    .returning();
  await audit(tx, ctx, {
    action: 'update',
    policy: 'case.write',
    resourceType: 'community_link',
    resourceId: id,
    citizenId: g.citizenId,
    caseId: g.caseId,
    criteria: { status: body.status },
  });
  return { ok: u! };
}

/** The offers linked to the given goals, with the offer's name (for the case page). */
export function linksOfGoals(tx: Tx, goalIds: string[]) {
  if (!goalIds.length) return Promise.resolve([]);
  return tx
    .select({
      id: goalOfferLinks.id,
      goalId: goalOfferLinks.goalId,
      offerId: goalOfferLinks.offerId,
      offerName: communityOffers.name,
      status: goalOfferLinks.status,
      startedOn: goalOfferLinks.startedOn,
      checkedOn: goalOfferLinks.checkedOn,
      note: goalOfferLinks.note,
      version: goalOfferLinks.version,
    })
    .from(goalOfferLinks)
    .innerJoin(communityOffers, eq(communityOffers.id, goalOfferLinks.offerId))
    .where(inArray(goalOfferLinks.goalId, goalIds));
}
