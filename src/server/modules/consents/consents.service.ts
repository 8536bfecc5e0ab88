import { and, asc, desc, eq, gte, inArray, isNull, lte } from 'drizzle-orm';
import { addMonths, danishDate } from '../../../shared/domain/dates';
import type { ConsentScope } from '../../../shared/enums';
import type { PortalConsentGive, PortalConsentNarrow, StaffConsentRecord } from '../../../shared/schemas';
import { actionPlans, citizens, consents, goals, measurements, orgUnits } from '../../db/schema';
import { type AuditContext, audit, auditCitizen, type PortalAuditContext } from '../../platform/audit';
import { unprocessable } from '../../platform/errors';
import { unitsWithRole } from '../../platform/policy';
import { inOrder, type Tx } from '../../platform/tenancy';
import type { Reference } from '../reference/reference';

/**
 * Consent as data (issue 14): a citizen lets a partner organisation see part of their data, for a purpose,
 * until a date. Whether a partner may see something is decided here, at every request, from the consents
 * valid today; nothing is cached, so a withdrawal or an end date takes effect at the next request.
 */

/** The longest a consent may run: two years, after which the citizen is asked again. */
const MAX_MONTHS = 24;

const consentColumns = {
  id: consents.id,
  citizenId: consents.citizenId,
  partnerUnitId: consents.partnerUnitId,
  scopes: consents.scopes,
  lifeAreas: consents.lifeAreas,
  purpose: consents.purpose,
  validFrom: consents.validFrom,
  validUntil: consents.validUntil,
  givenHow: consents.givenHow,
  replacesId: consents.replacesId,
  withdrawnAt: consents.withdrawnAt,
  withdrawnBy: consents.withdrawnBy,
  createdAt: consents.createdAt,
};
type ConsentRow = {
  id: string;
  citizenId: string;
  partnerUnitId: string;
  scopes: string[];
  lifeAreas: string[];
  purpose: string;
  validFrom: string;
  validUntil: string;
  givenHow: string;
  replacesId: string | null;
  withdrawnAt: Date | null;
  withdrawnBy: string | null;
  createdAt: Date;
};

export type ConsentStatus = 'active' | 'upcoming' | 'expired' | 'withdrawn';
export const consentStatus = (c: ConsentRow, today: string): ConsentStatus =>
  c.withdrawnAt
    ? 'withdrawn'
    : c.validUntil < today
      ? 'expired'
      : c.validFrom > today
        ? 'upcoming'
        : 'active';

/** The consents valid today for these partner units (and one citizen, if given). */
function validConsents(tx: Tx, partnerUnitIds: string[], today: string, citizenId?: string) {
  if (!partnerUnitIds.length) return Promise.resolve([] as ConsentRow[]);
  return tx
    .select(consentColumns)
    .from(consents)
    .where(
      and(
        inArray(consents.partnerUnitId, partnerUnitIds),
        isNull(consents.withdrawnAt),
        lte(consents.validFrom, today),
        gte(consents.validUntil, today),
        citizenId ? eq(consents.citizenId, citizenId) : undefined,
      ),
    ) as Promise<ConsentRow[]>;
}

/** What a set of valid consents allows together: the union of their scopes and, for goals, their life areas. */
export function allowance(valid: Pick<ConsentRow, 'scopes' | 'lifeAreas'>[]) {
  const scopes = new Set(valid.flatMap((c) => c.scopes as ConsentScope[]));
  const goalConsents = valid.filter((c) => c.scopes.includes('goals'));
  const everyArea = goalConsents.some((c) => c.lifeAreas.length === 0);
  const areas = everyArea ? null : new Set(goalConsents.flatMap((c) => c.lifeAreas));
  return { scopes, areas };
}

/** A goal's life area: the FFB theme of its subtheme (intervention goals and their sub-goals). */
const themeOf = (ref: Reference, g: { ffbList: string | null; subthemeCode: string | null }) =>
  ref.code(g.ffbList, g.subthemeCode)?.parentCode ?? null;

export const lifeAreaOptions = (ref: Reference) =>
  ref.ofKind(ref.current('ffb').key, 'theme').map((t) => ({ code: t.code, name: t.display }));

// ---------- the partner's side ----------

/** Citizens who have given one of the partner's units a consent valid today. */
export async function partnerCitizens(tx: Tx, ctx: AuditContext, now: Date) {
  const today = danishDate(now);
  const units = unitsWithRole(ctx.actor, ['partner']);
  const valid = await validConsents(tx, units, today);
  const ids = [...new Set(valid.map((c) => c.citizenId))];
  const people = ids.length
    ? await tx
        .select({ id: citizens.id, firstName: citizens.firstName, lastName: citizens.lastName })
        .from(citizens)
        .where(inArray(citizens.id, ids))
        .orderBy(asc(citizens.lastName), asc(citizens.firstName))
    : [];
  for (const p of people)
    await audit(tx, ctx, {
      action: 'search',
      policy: 'partner.read',
      resourceType: 'partner_citizen_list',
      citizenId: p.id,
      criteria: { consentIds: valid.filter((c) => c.citizenId === p.id).map((c) => c.id) },
    });
  return people.map((p) => {
    const mine = valid.filter((c) => c.citizenId === p.id);
    return {
      id: p.id,
      name: `${p.firstName} ${p.lastName}`,
      scopes: [...allowance(mine).scopes],
      validUntil: mine
        .map((c) => c.validUntil)
        .sort()
        .at(-1)!,
    };
  });
}

/**
 * What the partner may see of one citizen: exactly what the consents valid today allow, or null (404: a
 * citizen without consent is, to the partner, a citizen that does not exist). Every read is audited with the
 * consents it relied on.
 */
export async function partnerView(tx: Tx, ctx: AuditContext, ref: Reference, citizenId: string, now: Date) {
  const today = danishDate(now);
  const valid = await validConsents(tx, unitsWithRole(ctx.actor, ['partner']), today, citizenId);
  if (!valid.length) {
    // The refusal is the citizen's to see in Min log too, when the citizen exists in this municipality.
    const [known] = await tx.select({ id: citizens.id }).from(citizens).where(eq(citizens.id, citizenId));
    await audit(tx, ctx, {
      action: 'read',
      policy: 'partner.read',
      resourceType: 'partner_view',
      resourceId: citizenId,
      citizenId: known ? citizenId : null,
      outcome: 'denied',
      criteria: { reason: 'no_valid_consent' },
    });
    return null;
  }
  const { scopes, areas } = allowance(valid);
  const [[person], goalRows, [plan], measureRows] = await inOrder([
    tx
      .select({
        firstName: citizens.firstName,
        lastName: citizens.lastName,
        phone: citizens.phone,
        email: citizens.email,
        address: citizens.address,
        postalCode: citizens.postalCode,
        city: citizens.city,
      })
      .from(citizens)
      .where(eq(citizens.id, citizenId)),
    scopes.has('goals')
      ? tx
          .select({
            id: goals.id,
            kind: goals.kind,
            title: goals.title,
            wordsOf: goals.wordsOf,
            status: goals.status,
            dueOn: goals.dueOn,
            parentGoalId: goals.parentGoalId,
            citizenGoalId: goals.citizenGoalId,
            ffbList: goals.ffbList,
            subthemeCode: goals.subthemeCode,
          })
          .from(goals)
          .where(and(eq(goals.citizenId, citizenId), inArray(goals.status, ['proposed', 'active'])))
          .orderBy(asc(goals.createdAt), asc(goals.id))
      : Promise.resolve([]),
    scopes.has('plan')
      ? tx
          .select({
            version: actionPlans.version,
            purpose: actionPlans.purpose,
            employment: actionPlans.employment,
            housing: actionPlans.housing,
            treatment: actionPlans.treatment,
            sharedAt: actionPlans.sharedAt,
          })
          .from(actionPlans)
          .where(and(eq(actionPlans.citizenId, citizenId), eq(actionPlans.status, 'shared')))
          .orderBy(desc(actionPlans.sharedAt))
          .limit(1)
      : Promise.resolve([]),
    scopes.has('measures')
      ? tx
          .select({
            instrumentKey: measurements.instrumentKey,
            administeredOn: measurements.administeredOn,
            score: measurements.score,
          })
          .from(measurements)
          .where(eq(measurements.citizenId, citizenId))
          .orderBy(asc(measurements.administeredOn))
      : Promise.resolve([]),
  ] as const);
  if (!person) return null;
  // Goals: intervention goals of the allowed life areas, their sub-goals, and the citizen's own goals they
  // serve. A citizen goal with no intervention in an allowed area is not shown.
  const interventions = goalRows.filter(
    (g) => g.kind === 'intervention' && (areas === null || areas.has(themeOf(ref, g) ?? '')),
  );
  const shownCitizenGoals = new Set(interventions.map((i) => i.citizenGoalId).filter(Boolean));
  const present = (g: (typeof goalRows)[number]) => ({
    id: g.id,
    title: g.title,
    wordsOf: g.wordsOf,
    status: g.status,
    dueOn: g.dueOn,
    lifeArea: ref.coded(g.ffbList, themeOf(ref, g)),
  });
  const goalsShown = scopes.has('goals')
    ? [
        ...goalRows
          .filter((g) => g.kind === 'citizen_goal' && (areas === null || shownCitizenGoals.has(g.id)))
          .map((cg) => ({
            ...present(cg),
            workedOnBy: interventions
              .filter((i) => i.citizenGoalId === cg.id)
              .map((i) => ({
                ...present(i),
                subGoals: goalRows.filter((s) => s.kind === 'sub' && s.parentGoalId === i.id).map(present),
              })),
          })),
        ...interventions
          .filter((i) => !i.citizenGoalId)
          .map((i) => ({
            ...present(i),
            workedOnBy: [],
            subGoals: goalRows.filter((s) => s.kind === 'sub' && s.parentGoalId === i.id).map(present),
          })),
      ]
    : null;
  await audit(tx, ctx, {
    action: 'read',
    policy: 'partner.read',
    resourceType: 'partner_view',
    resourceId: citizenId,
    citizenId,
    criteria: { consentIds: valid.map((c) => c.id), scopes: [...scopes] },
  });
  return {
    id: citizenId,
    name: `${person.firstName} ${person.lastName}`,
    consents: valid.map((c) => ({
      id: c.id,
      scopes: c.scopes,
      lifeAreas: c.lifeAreas.map((a) => ref.coded(ref.current('ffb').key, a)),
      purpose: c.purpose,
      validUntil: c.validUntil,
    })),
    contact: scopes.has('contact')
      ? {
          phone: person.phone,
          email: person.email,
          address: [person.address, [person.postalCode, person.city].filter(Boolean).join(' ')]
            .filter(Boolean)
            .join(', '),
        }
      : null,
    goals: goalsShown,
    plan: scopes.has('plan') ? (plan ?? null) : null,
    measures: scopes.has('measures')
      ? measureRows.map((r) => ({
          instrument: r.instrumentKey,
          on: r.administeredOn,
          score: Number(r.score),
        }))
      : null,
  };
}

// ---------- the citizen's side (portal, as retning_citizen) and staff recording ----------

async function partnerUnits(tx: Tx) {
  return tx
    .select({ id: orgUnits.id, name: orgUnits.name, type: orgUnits.providerType })
    .from(orgUnits)
    .where(eq(orgUnits.kind, 'partner'))
    .orderBy(asc(orgUnits.name));
}

function presentConsent(ref: Reference, c: ConsentRow, units: Map<string, string>, today: string) {
  return {
    id: c.id,
    partner: { id: c.partnerUnitId, name: units.get(c.partnerUnitId) ?? null },
    scopes: c.scopes,
    lifeAreas: c.lifeAreas.map((a) => ref.coded(ref.current('ffb').key, a)),
    purpose: c.purpose,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    givenHow: c.givenHow,
    status: consentStatus(c, today),
    withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
    withdrawnBy: c.withdrawnBy,
    replacesId: c.replacesId,
  };
}

/** A consent's scopes and life areas as stored: sorted, once each; life areas only with goals. */
function normalised(scopes: readonly string[], lifeAreas: readonly string[]) {
  const sorted = [...new Set(scopes)].sort();
  return {
    scopes: sorted,
    lifeAreas: sorted.includes('goals') ? [...new Set(lifeAreas)].sort() : [],
  };
}

/** Checks what a consent may say: a partner unit, known life areas, a date from today up to two years on. */
async function checkConsent(
  tx: Tx,
  ref: Reference,
  body: { partnerUnitId: string; lifeAreas: string[]; validUntil: string },
  from: string,
) {
  const partner = (await partnerUnits(tx)).find((u) => u.id === body.partnerUnitId);
  if (!partner)
    throw unprocessable('invalid_partner', 'Vælg en samarbejdspartner fra listen.', [
      { field: 'partnerUnitId', message: 'Ukendt samarbejdspartner', code: 'invalid_partner' },
    ]);
  const themes = new Set(lifeAreaOptions(ref).map((a) => a.code));
  if (body.lifeAreas.some((a) => !themes.has(a)))
    throw unprocessable('invalid_life_area', 'Et livsområde findes ikke.', [
      { field: 'lifeAreas', message: 'Ukendt livsområde', code: 'invalid_life_area' },
    ]);
  if (body.validUntil < from || body.validUntil > addMonths(from, MAX_MONTHS))
    throw unprocessable('invalid_until', 'Et samtykke gælder fra i dag og højst to år frem.', [
      { field: 'validUntil', message: 'Fra i dag og højst to år frem', code: 'invalid_until' },
    ]);
}

/** My consents (all, newest first), the partners I can choose and the life areas. */
export async function myConsents(tx: Tx, ctx: PortalAuditContext, ref: Reference, now: Date) {
  const today = danishDate(now);
  const [rows, units] = await inOrder([
    tx.select(consentColumns).from(consents).orderBy(desc(consents.createdAt)),
    tx.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits),
  ] as const);
  const names = new Map(units.map((u) => [u.id, u.name]));
  auditCitizen(ctx, { action: 'read', resourceType: 'consent', criteria: { count: rows.length } });
  return {
    items: (rows as ConsentRow[]).map((c) => presentConsent(ref, c, names, today)),
    partners: await partnerUnits(tx),
    lifeAreas: lifeAreaOptions(ref),
    maxUntil: addMonths(today, MAX_MONTHS),
  };
}

export async function giveConsent(
  tx: Tx,
  ctx: PortalAuditContext,
  ref: Reference,
  body: PortalConsentGive,
  now: Date,
) {
  const today = danishDate(now);
  await checkConsent(tx, ref, body, today);
  const [row] = await tx
    .insert(consents)
    .values({
      municipalityId: ctx.citizen.municipalityId,
      citizenId: ctx.citizen.citizenId,
      partnerUnitId: body.partnerUnitId,
      ...normalised(body.scopes, body.lifeAreas),
      purpose: body.purpose,
      validFrom: today,
      validUntil: body.validUntil,
      givenHow: 'portal',
    })
    .returning({ id: consents.id });
  auditCitizen(ctx, { action: 'create', resourceType: 'consent', resourceId: row!.id });
  return row!.id;
}

/** Withdraws one of my consents; it stops counting at the partner's next request. */
export async function withdrawConsent(tx: Tx, ctx: PortalAuditContext, id: string, now: Date) {
  const done = await tx
    .update(consents)
    .set({ withdrawnAt: now, withdrawnBy: 'citizen' })
    .where(and(eq(consents.id, id), isNull(consents.withdrawnAt)))
    .returning({ id: consents.id });
  if (done.length)
    auditCitizen(ctx, {
      action: 'update',
      resourceType: 'consent',
      resourceId: id,
      criteria: { withdrawn: true },
    });
  return done.length > 0;
}

/**
 * Narrows one of my consents: fewer scopes, fewer life areas, or an earlier end; never more. The old one is
 * withdrawn and a new one, naming it as replaced, takes over from today.
 */
export async function narrowConsent(
  tx: Tx,
  ctx: PortalAuditContext,
  ref: Reference,
  id: string,
  body: PortalConsentNarrow,
  now: Date,
) {
  const today = danishDate(now);
  const [old] = (await tx.select(consentColumns).from(consents).where(eq(consents.id, id))) as ConsentRow[];
  if (!old || consentStatus(old, today) !== 'active') return null;
  const narrowed = normalised(body.scopes, body.lifeAreas);
  const newAreas = narrowed.lifeAreas;
  const widerScopes = narrowed.scopes.some((s) => !old.scopes.includes(s));
  const widerAreas =
    narrowed.scopes.includes('goals') &&
    old.lifeAreas.length > 0 &&
    (newAreas.length === 0 || newAreas.some((a) => !old.lifeAreas.includes(a)));
  if (widerScopes || widerAreas || body.validUntil > old.validUntil)
    throw unprocessable(
      'not_narrower',
      'Et samtykke kan kun gøres smallere her. Giv et nyt, hvis du vil give mere.',
    );
  await checkConsent(
    tx,
    ref,
    { partnerUnitId: old.partnerUnitId, lifeAreas: newAreas, validUntil: body.validUntil },
    today,
  );
  await tx.update(consents).set({ withdrawnAt: now, withdrawnBy: 'citizen' }).where(eq(consents.id, id));
  const [row] = await tx
    .insert(consents)
    .values({
      municipalityId: ctx.citizen.municipalityId,
      citizenId: ctx.citizen.citizenId,
      partnerUnitId: old.partnerUnitId,
      ...narrowed,
      purpose: old.purpose,
      validFrom: today,
      validUntil: body.validUntil,
      givenHow: 'portal',
      replacesId: old.id,
    })
    .returning({ id: consents.id });
  auditCitizen(ctx, {
    action: 'update',
    resourceType: 'consent',
    resourceId: id,
    criteria: { replacedBy: row!.id },
  });
  return row!.id;
}

/** Staff record a consent the citizen gave on paper, at a meeting or by phone, with the date and how. */
export async function recordConsent(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  citizenId: string,
  body: StaffConsentRecord,
  now: Date,
) {
  const today = danishDate(now);
  if (body.givenOn > today)
    throw unprocessable('invalid_given_on', 'Datoen for samtykket kan ikke ligge i fremtiden.', [
      { field: 'givenOn', message: 'Kan ikke ligge i fremtiden', code: 'invalid_given_on' },
    ]);
  await checkConsent(tx, ref, body, body.givenOn);
  const [row] = await tx
    .insert(consents)
    .values({
      municipalityId: ctx.actor.municipalityId,
      citizenId,
      partnerUnitId: body.partnerUnitId,
      ...normalised(body.scopes, body.lifeAreas),
      purpose: body.purpose,
      validFrom: body.givenOn,
      validUntil: body.validUntil,
      givenHow: body.givenHow,
      recordedBy: ctx.actor.userId,
    })
    .returning({ id: consents.id });
  await audit(tx, ctx, {
    action: 'create',
    policy: 'citizen.update',
    resourceType: 'consent',
    resourceId: row!.id,
    citizenId,
  });
  return row!.id;
}

/** A citizen's consents, for staff, with the partners and life areas a recorded consent chooses from. */
export async function citizenConsents(tx: Tx, ref: Reference, citizenId: string, now: Date) {
  const today = danishDate(now);
  const [rows, units] = await inOrder([
    tx
      .select(consentColumns)
      .from(consents)
      .where(eq(consents.citizenId, citizenId))
      .orderBy(desc(consents.createdAt)),
    tx.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits),
  ] as const);
  const names = new Map(units.map((u) => [u.id, u.name]));
  return {
    items: (rows as ConsentRow[]).map((c) => presentConsent(ref, c, names, today)),
    /** What the form to record a consent chooses from. */
    partners: await partnerUnits(tx),
    lifeAreas: lifeAreaOptions(ref),
    maxUntil: addMonths(today, MAX_MONTHS),
  };
}
