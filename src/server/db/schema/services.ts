import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { citizens } from './citizens';
import { day, lifeSituationCheck, lifeSituationColumns, ts } from './columns';
import { cases, catalogueItems, goals, tenant } from './pathway';
import { orgUnits } from './platform';
import { codes } from './reference';

/**
 * A service (ydelse) granted on a case: FFB ydelse code, Serviceloven paragraph (which places it on the
 * step-down ladder), provider unit, target groups, status, dates, hours, price and follow-up cadence.
 */
export const services = pgTable(
  'services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The id in the system it was imported from (docs/import-format.md); stable across re-imports. */
    externalId: text('external_id'),
    municipalityId: tenant(),
    citizenId: uuid('citizen_id').notNull(),
    caseId: uuid('case_id').notNull(),
    ffbList: text('ffb_list').notNull(),
    ydelseCode: text('ydelse_code').notNull(),
    paragraphList: text('paragraph_list').notNull(),
    paragraphCode: text('paragraph_code').notNull(),
    providerUnitId: uuid('provider_unit_id').notNull(),
    catalogueItemId: uuid('catalogue_item_id'),
    primaryTargetGroupCode: text('primary_target_group_code').notNull(),
    secondaryTargetGroupCodes: text('secondary_target_group_codes').array().notNull().default(sql`'{}'`),
    /** FFB støttebehovsniveau of the indsats (KL's reporting needs it once the service is granted). */
    supportNeedCode: text('support_need_code'),
    status: text('status').notNull().default('proposed'),
    startOn: day('start_on'),
    endOn: day('end_on'),
    endReasonList: text('end_reason_list'),
    endReasonCode: text('end_reason_code'),
    hoursPerWeek: numeric('hours_per_week', { precision: 5, scale: 2 }),
    priceAmount: numeric('price_amount', { precision: 12, scale: 2 }),
    priceUnit: text('price_unit'),
    cadenceKind: text('cadence_kind').notNull().default('standard'),
    cadenceMonths: smallint('cadence_months'),
    nextFollowUpOn: day('next_follow_up_on'),
    lastFollowUpOn: day('last_follow_up_on'),
    agreedNextOn: day('agreed_next_on'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    uniqueIndex('services_external_id_key')
      .on(t.municipalityId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    unique('services_municipality_id_id_key').on(t.municipalityId, t.id),
    index('services_case_idx').on(t.caseId),
    index('services_citizen_idx').on(t.citizenId),
    index('services_provider_due_idx').on(t.municipalityId, t.providerUnitId, t.nextFollowUpOn),
    index('services_active_due_idx').on(t.nextFollowUpOn).where(sql`${t.status} = 'active'`),
    foreignKey({
      name: 'services_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }),
    foreignKey({
      name: 'services_case_fk',
      columns: [t.municipalityId, t.caseId],
      foreignColumns: [cases.municipalityId, cases.id],
    }),
    foreignKey({
      name: 'services_unit_fk',
      columns: [t.municipalityId, t.providerUnitId],
      foreignColumns: [orgUnits.municipalityId, orgUnits.id],
    }),
    foreignKey({
      name: 'services_catalogue_fk',
      columns: [t.municipalityId, t.catalogueItemId],
      foreignColumns: [catalogueItems.municipalityId, catalogueItems.id],
    }),
    foreignKey({
      name: 'services_ydelse_fk',
      columns: [t.ffbList, t.ydelseCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    foreignKey({
      name: 'services_support_need_fk',
      columns: [t.ffbList, t.supportNeedCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    foreignKey({
      name: 'services_paragraph_fk',
      columns: [t.paragraphList, t.paragraphCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    foreignKey({
      name: 'services_target_group_fk',
      columns: [t.ffbList, t.primaryTargetGroupCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    foreignKey({
      name: 'services_end_reason_fk',
      columns: [t.endReasonList, t.endReasonCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    check('services_status_check', sql`${t.status} in ('proposed','granted','active','ended')`),
    check(
      'services_dates_check',
      sql`(${t.endOn} is null or ${t.startOn} is null or ${t.endOn} >= ${t.startOn})
      and (${t.status} not in ('active','ended') or ${t.startOn} is not null)
      and ((${t.status} = 'ended') = (${t.endReasonCode} is not null))`,
    ),
    check(
      'services_price_check',
      sql`(${t.priceAmount} is null) = (${t.priceUnit} is null) and (${t.priceUnit} is null or ${t.priceUnit} in ('hour','month'))
      and (${t.priceAmount} is null or ${t.priceAmount} >= 0) and (${t.hoursPerWeek} is null or ${t.hoursPerWeek} between 0 and 168)`,
    ),
    check(
      'services_cadence_check',
      sql`(${t.cadenceKind} = 'standard' and ${t.cadenceMonths} is null) or (${t.cadenceKind} = 'close' and ${t.cadenceMonths} between 1 and 3)`,
    ),
  ],
);

/** Intervention goals a service works on. */
export const serviceGoals = pgTable(
  'service_goals',
  {
    municipalityId: tenant(),
    serviceId: uuid('service_id').notNull(),
    goalId: uuid('goal_id').notNull(),
  },
  (t) => [
    unique('service_goals_key').on(t.serviceId, t.goalId),
    index('service_goals_goal_idx').on(t.goalId),
    foreignKey({
      name: 'service_goals_service_fk',
      columns: [t.municipalityId, t.serviceId],
      foreignColumns: [services.municipalityId, services.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'service_goals_goal_fk',
      columns: [t.municipalityId, t.goalId],
      foreignColumns: [goals.municipalityId, goals.id],
    }).onDelete('cascade'),
  ],
);

/** Append-only status history of a service (proposed → granted → active → ended). */
export const serviceEvents = pgTable(
  'service_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    serviceId: uuid('service_id').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    on: day('on').notNull(),
    authorUserId: uuid('author_user_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('service_events_service_idx').on(t.serviceId),
    foreignKey({
      name: 'service_events_service_fk',
      columns: [t.municipalityId, t.serviceId],
      foreignColumns: [services.municipalityId, services.id],
    }).onDelete('cascade'),
  ],
);

/** The provider's plan (indsatsplan) for a service: how they work and with which methods. Versioned. */
export const providerPlans = pgTable(
  'provider_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    serviceId: uuid('service_id').notNull(),
    version: integer('version').notNull(),
    approach: text('approach').notNull(),
    methodCodes: text('method_codes').array().notNull().default(sql`'{}'`),
    authorUserId: uuid('author_user_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('provider_plans_version_key').on(t.serviceId, t.version),
    foreignKey({
      name: 'provider_plans_service_fk',
      columns: [t.municipalityId, t.serviceId],
      foreignColumns: [services.municipalityId, services.id],
    }).onDelete('cascade'),
  ],
);

/** A follow-up (opfølgning) on a service: the coded result, notes and the next date. Append-only. */
export const followUps = pgTable(
  'follow_ups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The id in the system it was imported from (docs/import-format.md); stable across re-imports. */
    externalId: text('external_id'),
    municipalityId: tenant(),
    citizenId: uuid('citizen_id').notNull(),
    caseId: uuid('case_id').notNull(),
    serviceId: uuid('service_id').notNull(),
    heldOn: day('held_on').notNull(),
    ffbList: text('ffb_list').notNull(),
    resultCode: text('result_code').notNull(),
    notes: text('notes').notNull().default(''),
    citizenView: text('citizen_view').notNull().default(''),
    nextOn: day('next_on'),
    /**
     * A result that ends the service: the reason (KL begrundelse for ophør), and whether the follow-up only
     * recommends ending it (recorded by the provider; the authority decides) or ended it (the authority).
     */
    endReasonList: text('end_reason_list'),
    endReasonCode: text('end_reason_code'),
    endRecommended: boolean('end_recommended').notNull().default(false),
    /** The life situation as it is at the follow-up (null: not recorded). */
    ...lifeSituationColumns(),
    authorUserId: uuid('author_user_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    // Key figures read one municipality's rows at a time (issue 5).
    index('follow_ups_tenant_idx').on(t.municipalityId, t.serviceId, t.heldOn),
    uniqueIndex('follow_ups_external_id_key')
      .on(t.municipalityId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    unique('follow_ups_municipality_id_id_key').on(t.municipalityId, t.id),
    lifeSituationCheck('follow_ups_life_check', t),
    index('follow_ups_service_idx').on(t.serviceId, t.heldOn),
    foreignKey({
      name: 'follow_ups_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }),
    index('follow_ups_citizen_idx').on(t.citizenId),
    foreignKey({
      name: 'follow_ups_service_fk',
      columns: [t.municipalityId, t.serviceId],
      foreignColumns: [services.municipalityId, services.id],
    }),
    foreignKey({
      name: 'follow_ups_result_fk',
      columns: [t.ffbList, t.resultCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    foreignKey({
      name: 'follow_ups_end_reason_fk',
      columns: [t.endReasonList, t.endReasonCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    check('follow_ups_end_recommended_check', sql`not ${t.endRecommended} or ${t.endReasonCode} is not null`),
  ],
);

/** Goal Attainment Scaling per goal at a follow-up, by the citizen and by the professional. */
export const followUpRatings = pgTable(
  'follow_up_ratings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    followUpId: uuid('follow_up_id').notNull(),
    goalId: uuid('goal_id').notNull(),
    rater: text('rater').notNull(),
    informantList: text('informant_list').notNull(),
    informantCode: text('informant_code').notNull(),
    score: smallint('score').notNull(),
    weight: smallint('weight').notNull().default(1),
  },
  (t) => [
    // Key figures read one municipality's rows at a time (issue 5).
    index('follow_up_ratings_tenant_idx').on(t.municipalityId, t.followUpId),
    unique('follow_up_ratings_key').on(t.followUpId, t.goalId, t.rater),
    index('follow_up_ratings_goal_idx').on(t.goalId),
    foreignKey({
      name: 'follow_up_ratings_follow_up_fk',
      columns: [t.municipalityId, t.followUpId],
      foreignColumns: [followUps.municipalityId, followUps.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'follow_up_ratings_goal_fk',
      columns: [t.municipalityId, t.goalId],
      foreignColumns: [goals.municipalityId, goals.id],
    }),
    foreignKey({
      name: 'follow_up_ratings_informant_fk',
      columns: [t.informantList, t.informantCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    check('follow_up_ratings_rater_check', sql`${t.rater} in ('citizen','professional')`),
    check('follow_up_ratings_score_check', sql`${t.score} between -2 and 2`),
    check('follow_up_ratings_weight_check', sql`${t.weight} between 1 and 4`),
  ],
);

/** An administration of an outcome instrument (WHO-5, QPR-15, ORS, SRS), scored by its definition. */
export const measurements = pgTable(
  'measurements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The id in the system it was imported from (docs/import-format.md); stable across re-imports. */
    externalId: text('external_id'),
    municipalityId: tenant(),
    citizenId: uuid('citizen_id').notNull(),
    serviceId: uuid('service_id'),
    instrumentKey: text('instrument_key').notNull(),
    instrumentVersion: text('instrument_version').notNull(),
    administeredOn: day('administered_on').notNull(),
    informantList: text('informant_list').notNull(),
    informantCode: text('informant_code').notNull(),
    answers: jsonb('answers').$type<Record<string, number>>().notNull(),
    raw: numeric('raw', { precision: 7, scale: 2 }).notNull(),
    score: numeric('score', { precision: 7, scale: 2 }).notNull(),
    authorUserId: uuid('author_user_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    // Key figures read one municipality's rows at a time (issue 5).
    index('measurements_tenant_idx').on(t.municipalityId, t.instrumentKey, t.citizenId, t.administeredOn),
    uniqueIndex('measurements_external_id_key')
      .on(t.municipalityId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    index('measurements_citizen_idx').on(t.citizenId, t.instrumentKey, t.administeredOn),
    foreignKey({
      name: 'measurements_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }),
    foreignKey({
      name: 'measurements_service_fk',
      columns: [t.municipalityId, t.serviceId],
      foreignColumns: [services.municipalityId, services.id],
    }),
    foreignKey({
      name: 'measurements_informant_fk',
      columns: [t.informantList, t.informantCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
  ],
);

/** Licensed instruments (ORS, SRS) a municipality has switched on. */
export const municipalityInstruments = pgTable(
  'municipality_instruments',
  {
    municipalityId: tenant(),
    instrumentKey: text('instrument_key').notNull(),
    enabledBy: uuid('enabled_by'),
    enabledAt: ts('enabled_at').notNull().defaultNow(),
  },
  (t) => [unique('municipality_instruments_key').on(t.municipalityId, t.instrumentKey)],
);

/**
 * The §141 action plan (handleplan). One draft per case; sharing freezes a version (a trigger enforces it)
 * and the next change starts a new version, so every version the citizen was given stays readable.
 */
export const actionPlans = pgTable(
  'action_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    citizenId: uuid('citizen_id').notNull(),
    caseId: uuid('case_id').notNull(),
    version: integer('version').notNull(),
    status: text('status').notNull().default('draft'),
    purpose: text('purpose').notNull().default(''),
    servicesNeeded: text('services_needed').notNull().default(''),
    expectedDuration: text('expected_duration').notNull().default(''),
    housing: text('housing').notNull().default(''),
    employment: text('employment').notNull().default(''),
    personalHelp: text('personal_help').notNull().default(''),
    treatment: text('treatment').notNull().default(''),
    aids: text('aids').notNull().default(''),
    offer: text('offer').notNull().default('not_offered'),
    offeredOn: day('offered_on'),
    agreementOn: day('agreement_on'),
    agreementHow: text('agreement_how'),
    agreementNote: text('agreement_note').notNull().default(''),
    participants: jsonb('participants')
      .$type<{ kind: string; name: string; responsibility: string }[]>()
      .notNull()
      .default([]),
    goalsSnapshot: jsonb('goals_snapshot').$type<Record<string, unknown>[]>(),
    servicesSnapshot: jsonb('services_snapshot').$type<Record<string, unknown>[]>(),
    rowVersion: integer('row_version').notNull().default(1),
    sharedAt: ts('shared_at'),
    sharedBy: uuid('shared_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
    /** The id in the system it was imported from (docs/import-format.md); stable across re-imports. */
    externalId: text('external_id'),
  },
  (t) => [
    // Key figures read one municipality's rows at a time (issue 5).
    index('action_plans_tenant_idx').on(t.municipalityId, t.caseId, t.version),
    uniqueIndex('action_plans_external_id_key')
      .on(t.municipalityId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    unique('action_plans_version_key').on(t.caseId, t.version),
    index('action_plans_citizen_idx').on(t.citizenId),
    foreignKey({
      name: 'action_plans_case_fk',
      columns: [t.municipalityId, t.caseId],
      foreignColumns: [cases.municipalityId, cases.id],
    }),
    foreignKey({
      name: 'action_plans_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }),
    check('action_plans_status_check', sql`${t.status} in ('draft','shared')`),
    check('action_plans_offer_check', sql`${t.offer} in ('not_offered','offered','accepted','declined')`),
    check(
      'action_plans_agreement_check',
      sql`${t.agreementHow} is null or ${t.agreementHow} in ('meeting','phone','video','digital','letter')`,
    ),
  ],
);

/** A municipality's directory of civil-society and community offers (bridge-building, principle 3). */
export const communityOffers = pgTable(
  'community_offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    name: text('name').notNull(),
    organiser: text('organiser').notNull().default(''),
    category: text('category').notNull(),
    location: text('location').notNull().default(''),
    schedule: text('schedule').notNull().default(''),
    contact: text('contact').notNull().default(''),
    tags: text('tags').array().notNull().default(sql`'{}'`),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('community_offers_municipality_id_id_key').on(t.municipalityId, t.id),
    unique('community_offers_name_key').on(t.municipalityId, t.name),
    check(
      'community_offers_category_check',
      sql`${t.category} in ('community','sport','culture','volunteering','peer_support','education','work','other')`,
    ),
  ],
);

/** A community offer linked to a goal, and whether the citizen started and kept going. */
export const goalOfferLinks = pgTable(
  'goal_offer_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    citizenId: uuid('citizen_id').notNull(),
    goalId: uuid('goal_id').notNull(),
    offerId: uuid('offer_id').notNull(),
    status: text('status').notNull().default('suggested'),
    startedOn: day('started_on'),
    checkedOn: day('checked_on'),
    note: text('note').notNull().default(''),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // Key figures read one municipality's rows at a time (issue 5).
    index('goal_offer_links_tenant_idx').on(t.municipalityId, t.citizenId),
    unique('goal_offer_links_key').on(t.goalId, t.offerId),
    index('goal_offer_links_citizen_idx').on(t.citizenId),
    foreignKey({
      name: 'goal_offer_links_goal_fk',
      columns: [t.municipalityId, t.goalId],
      foreignColumns: [goals.municipalityId, goals.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'goal_offer_links_offer_fk',
      columns: [t.municipalityId, t.offerId],
      foreignColumns: [communityOffers.municipalityId, communityOffers.id],
    }),
    check(
      'goal_offer_links_status_check',
      sql`${t.status} in ('suggested','started','continuing','stopped')`,
    ),
    check('goal_offer_links_started_check', sql`${t.status} = 'suggested' or ${t.startedOn} is not null`),
  ],
);
