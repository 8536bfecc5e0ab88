import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns';
import { municipalities, orgUnits, users } from './platform';

export const citizens = pgTable(
  'citizens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The id in the system it was imported from (docs/import-format.md); stable across re-imports. */
    externalId: text('external_id'),
    municipalityId: uuid('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    cpr: text('cpr').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    postalCode: text('postal_code'),
    city: text('city'),
    responsibleCaseworkerId: uuid('responsible_caseworker_id'),
    responsibleUnitId: uuid('responsible_unit_id'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    uniqueIndex('citizens_external_id_key')
      .on(t.municipalityId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    unique('citizens_municipality_cpr_key').on(t.municipalityId, t.cpr),
    unique('citizens_municipality_id_id_key').on(t.municipalityId, t.id),
    index('citizens_name_idx').on(t.municipalityId, t.lastName, t.firstName),
    foreignKey({
      name: 'citizens_caseworker_fk',
      columns: [t.municipalityId, t.responsibleCaseworkerId],
      foreignColumns: [users.municipalityId, users.id],
    }),
    foreignKey({
      name: 'citizens_unit_fk',
      columns: [t.municipalityId, t.responsibleUnitId],
      foreignColumns: [orgUnits.municipalityId, orgUnits.id],
    }),
    check('citizens_cpr_check', sql`${t.cpr} ~ '^[0-9]{10}$'`),
  ],
);

/**
 * Texts in the citizen's own words (hopes, wishes and dreams; resources). Append-only: each save adds a
 * version, so earlier versions are kept and the current text is the highest version.
 */
export const citizenNarratives = pgTable(
  'citizen_narratives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    body: text('body').notNull(),
    writtenBy: text('written_by').notNull(),
    authorUserId: uuid('author_user_id'),
    /** A representative who wrote it for the citizen in the portal (then written_by is 'representative'). */
    representationId: uuid('representation_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('citizen_narratives_version_key').on(t.citizenId, t.kind, t.version),
    foreignKey({
      name: 'citizen_narratives_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }).onDelete('cascade'),
    check('citizen_narratives_kind_check', sql`${t.kind} in ('hopes','resources')`),
    check(
      'citizen_narratives_written_by_check',
      sql`${t.writtenBy} in ('citizen','staff_on_behalf','representative') and (${t.writtenBy} = 'representative') = (${t.representationId} is not null)`,
    ),
  ],
);

/** A person in the citizen's network. Its content lives in append-only revisions. */
export const networkMembers = pgTable(
  'network_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('network_members_municipality_id_id_key').on(t.municipalityId, t.id),
    index('network_members_citizen_idx').on(t.citizenId),
    foreignKey({
      name: 'network_members_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }).onDelete('cascade'),
  ],
);

export const networkMemberRevisions = pgTable(
  'network_member_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    memberId: uuid('member_id').notNull(),
    revision: integer('revision').notNull(),
    name: text('name').notNull(),
    relation: text('relation').notNull(),
    helpsWith: text('helps_with').notNull().default(''),
    phone: text('phone'),
    contactConsent: text('contact_consent').notNull(),
    removed: boolean('removed').notNull().default(false),
    writtenBy: text('written_by').notNull(),
    authorUserId: uuid('author_user_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('network_member_revisions_key').on(t.memberId, t.revision),
    foreignKey({
      name: 'network_member_revisions_member_fk',
      columns: [t.municipalityId, t.memberId],
      foreignColumns: [networkMembers.municipalityId, networkMembers.id],
    }).onDelete('cascade'),
    check('network_member_revisions_consent_check', sql`${t.contactConsent} in ('yes','no','not_asked')`),
    check('network_member_revisions_written_by_check', sql`${t.writtenBy} in ('citizen','staff_on_behalf')`),
  ],
);

/**
 * A citizen's session in the portal (issue 14): its own table, apart from staff sessions, so a citizen token
 * can never open a staff request. The id is the keyed hash of the cookie's token; the level is the NSIS
 * assurance level the MitID login reached.
 */
/**
 * A relative or representative who may act for the citizen in the portal (issue 14, item 9): given by the
 * citizen in the portal, or recorded by staff from a digital power of attorney (fuldmagt). They log in with
 * their own MitID; the CPR number here is how the login finds them. Scope and end date are the citizen's
 * choice; revoking takes effect at the representative's next request.
 */
export const representations = pgTable(
  'representations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    representativeCpr: text('representative_cpr').notNull(),
    representativeName: text('representative_name').notNull(),
    /** How they are related, in the citizen's words ("min mor", "bisidder"). */
    relation: text('relation').notNull().default(''),
    /** 'read' always; 'write': Mine ord and Mine mål; 'messages': write to staff. */
    scopes: text('scopes').array().notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    givenHow: text('given_how').notNull(),
    /** Staff who recorded a power of attorney; null when the citizen gave access in the portal. */
    recordedBy: uuid('recorded_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
    revokedBy: text('revoked_by'),
  },
  (t) => [
    unique('representations_municipality_id_id_key').on(t.municipalityId, t.id),
    index('representations_citizen_idx').on(t.municipalityId, t.citizenId),
    index('representations_cpr_idx').on(t.municipalityId, t.representativeCpr),
    foreignKey({
      name: 'representations_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }).onDelete('cascade'),
    check('representations_cpr_check', sql`${t.representativeCpr} ~ '^[0-9]{10}$'`),
    check(
      'representations_scopes_check',
      sql`'read' = any(${t.scopes}) and ${t.scopes} <@ array['read','write','messages']`,
    ),
    check('representations_dates_check', sql`${t.validUntil} >= ${t.validFrom}`),
    check('representations_given_how_check', sql`${t.givenHow} in ('portal','power_of_attorney')`),
    check(
      'representations_revoked_check',
      sql`(${t.revokedAt} is null) = (${t.revokedBy} is null) and (${t.revokedBy} is null or ${t.revokedBy} in ('citizen','staff'))`,
    ),
  ],
);

export const citizenSessions = pgTable(
  'citizen_sessions',
  {
    id: text('id').primaryKey(),
    municipalityId: uuid('municipality_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    csrfToken: text('csrf_token').notNull(),
    level: text('level').notNull(),
    createdAt: ts('created_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    /** Set when a representative acts for the citizen: the session is theirs, on the citizen's rows. */
    representationId: uuid('representation_id'),
  },
  (t) => [
    index('citizen_sessions_citizen_idx').on(t.citizenId),
    foreignKey({
      name: 'citizen_sessions_representation_fk',
      columns: [t.municipalityId, t.representationId],
      foreignColumns: [representations.municipalityId, representations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'citizen_sessions_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }).onDelete('cascade'),
    check('citizen_sessions_level_check', sql`${t.level} in ('Substantial','High')`),
  ],
);

/**
 * A citizen's consent that a partner organisation may see part of their data (issue 14): who (a partner
 * unit), what (scopes; for goals, optionally only some life areas, as FFB themes), for what purpose, from
 * when until when. Evaluated at every partner request; a withdrawal or the end date takes effect at the
 * next one. Never edited: narrowing withdraws it and gives a new one that names it as replaced.
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    partnerUnitId: uuid('partner_unit_id').notNull(),
    scopes: text('scopes').array().notNull(),
    /** FFB theme codes the goals are limited to; empty: goals of every life area. */
    lifeAreas: text('life_areas').array().notNull().default(sql`'{}'`),
    purpose: text('purpose').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    givenHow: text('given_how').notNull(),
    /** Staff who recorded a consent given on paper or at a meeting; null when the citizen gave it in the portal. */
    recordedBy: uuid('recorded_by'),
    replacesId: uuid('replaces_id'),
    withdrawnAt: ts('withdrawn_at'),
    withdrawnBy: text('withdrawn_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('consents_municipality_id_id_key').on(t.municipalityId, t.id),
    index('consents_citizen_idx').on(t.municipalityId, t.citizenId),
    index('consents_partner_idx').on(t.municipalityId, t.partnerUnitId),
    foreignKey({
      name: 'consents_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'consents_unit_fk',
      columns: [t.municipalityId, t.partnerUnitId],
      foreignColumns: [orgUnits.municipalityId, orgUnits.id],
    }),
    foreignKey({
      name: 'consents_replaces_fk',
      columns: [t.municipalityId, t.replacesId],
      foreignColumns: [t.municipalityId, t.id],
    }),
    check(
      'consents_scopes_check',
      sql`cardinality(${t.scopes}) between 1 and 4 and ${t.scopes} <@ array['goals','plan','measures','contact']`,
    ),
    check('consents_dates_check', sql`${t.validUntil} >= ${t.validFrom}`),
    check('consents_given_how_check', sql`${t.givenHow} in ('portal','paper','meeting','phone')`),
    check(
      'consents_withdrawn_check',
      sql`(${t.withdrawnAt} is null) = (${t.withdrawnBy} is null) and (${t.withdrawnBy} is null or ${t.withdrawnBy} in ('citizen','staff'))`,
    ),
  ],
);

/**
 * Før opfølgningen (issue 14): what the citizen wants to talk about and how they rate their goals, written in
 * the portal before a follow-up. One open preparation per citizen at a time; the follow-up that uses it
 * stamps it, and the next one starts fresh. Ratings are GAS levels (−2…2) per goal, by the citizen.
 */
export const followUpPreparations = pgTable(
  'follow_up_preparations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    topics: text('topics').notNull().default(''),
    ratings: jsonb('ratings').$type<Record<string, number>>().notNull().default({}),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    usedAt: ts('used_at'),
    usedInFollowUpId: uuid('used_in_follow_up_id'),
  },
  (t) => [
    uniqueIndex('follow_up_preparations_open_key').on(t.citizenId).where(sql`${t.usedAt} is null`),
    foreignKey({
      name: 'follow_up_preparations_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }).onDelete('cascade'),
    check('follow_up_preparations_ratings_check', sql`jsonb_typeof(${t.ratings}) = 'object'`),
  ],
);

/**
 * "Det her forstår jeg ikke" (issue 14): a citizen's question about one event in Min log. It lands on the
 * administrator's list; the answer is shown to the citizen beside the event.
 */
export const logQuestions = pgTable(
  'log_questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    auditEventId: uuid('audit_event_id').notNull(),
    question: text('question').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    answer: text('answer'),
    answeredAt: ts('answered_at'),
    answeredBy: uuid('answered_by'),
  },
  (t) => [
    uniqueIndex('log_questions_event_key').on(t.auditEventId),
    index('log_questions_open_idx').on(t.municipalityId, t.answeredAt),
    foreignKey({
      name: 'log_questions_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }).onDelete('cascade'),
    check('log_questions_answer_check', sql`(${t.answer} is null) = (${t.answeredAt} is null)`),
  ],
);
