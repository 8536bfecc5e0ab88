import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { day, ts } from './columns';
import { tenant } from './pathway';

/**
 * The self-assessment survey (issue 4). Every table belongs to the organisation that runs the survey (the
 * national agency or a municipality running its own); participating municipalities read their round and
 * their protected results through a second, read-only policy (migration 0008). Answers are stored with no
 * link, no timestamp and no identity: see docs/disclosure-control.md.
 */
export const surveyQuestionnaires = pgTable(
  'survey_questionnaires',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    /** Versions of one questionnaire share a key. */
    key: text('key').notNull(),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    definition: jsonb('definition').notNull(),
    /** draft: editable; frozen: used by a round, never changes again (trigger). */
    status: text('status').notNull().default('draft'),
    copiedFrom: text('copied_from'),
    rowVersion: integer('row_version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('survey_questionnaires_municipality_id_id_key').on(t.municipalityId, t.id),
    unique('survey_questionnaires_key_version_key').on(t.municipalityId, t.key, t.version),
    check('survey_questionnaires_status_check', sql`${t.status} in ('draft','frozen')`),
  ],
);

export const surveyRounds = pgTable(
  'survey_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    questionnaireId: uuid('questionnaire_id').notNull(),
    title: text('title').notNull(),
    opensOn: day('opens_on').notNull(),
    closesOn: day('closes_on').notNull(),
    status: text('status').notNull().default('open'),
    /** Participating municipalities that are tenants here: they may read the round and their results. */
    participantIds: uuid('participant_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** The protected results, computed once when the round closes (SurveyReport). */
    report: jsonb('report'),
    closedAt: ts('closed_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('survey_rounds_municipality_id_id_key').on(t.municipalityId, t.id),
    foreignKey({
      name: 'survey_rounds_questionnaire_fk',
      columns: [t.municipalityId, t.questionnaireId],
      foreignColumns: [surveyQuestionnaires.municipalityId, surveyQuestionnaires.id],
    }),
    check('survey_rounds_status_check', sql`${t.status} in ('open','closed')`),
    check('survey_rounds_dates_check', sql`${t.closesOn} >= ${t.opensOn}`),
  ],
);

export const surveyParticipants = pgTable(
  'survey_participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    roundId: uuid('round_id').notNull(),
    /** Kommunekode (three digits) and name. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** The municipality's tenant here, if it has one. */
    participantMunicipalityId: uuid('participant_municipality_id'),
    /** Where the director's link went (the municipal contact), for reminders. */
    contactEmail: text('contact_email'),
    /** SHA-256 of the director's link token; the token itself is only ever in the link. */
    directorTokenHash: text('director_token_hash').notNull().unique(),
    /** The token sealed with the server's key (AES-256-GCM), so the link can be sent again. */
    directorTokenSealed: text('director_token_sealed').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('survey_participants_municipality_id_id_key').on(t.municipalityId, t.id),
    unique('survey_participants_round_code_key').on(t.roundId, t.code),
    foreignKey({
      name: 'survey_participants_round_fk',
      columns: [t.municipalityId, t.roundId],
      foreignColumns: [surveyRounds.municipalityId, surveyRounds.id],
    }),
  ],
);

export const surveyLinks = pgTable(
  'survey_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    roundId: uuid('round_id').notNull(),
    participantId: uuid('participant_id').notNull(),
    participantMunicipalityId: uuid('participant_municipality_id'),
    role: text('role').notNull(),
    /** SHA-256 of the respondent's link token. */
    tokenHash: text('token_hash').notNull().unique(),
    /** The token sealed with the server's key, for reminders; erased when the answers are submitted. */
    tokenSealed: text('token_sealed'),
    /** For the link and reminders; erased when the answers are submitted. */
    email: text('email'),
    status: text('status').notNull().default('pending'),
    /** A saved draft; erased when the answers are submitted. */
    draft: jsonb('draft'),
    reminders: integer('reminders').notNull().default(0),
    remindedAt: ts('reminded_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('survey_links_round_idx').on(t.roundId, t.participantId),
    foreignKey({
      name: 'survey_links_participant_fk',
      columns: [t.municipalityId, t.participantId],
      foreignColumns: [surveyParticipants.municipalityId, surveyParticipants.id],
    }),
    check('survey_links_status_check', sql`${t.status} in ('pending','draft','submitted')`),
    check(
      'survey_links_role_check',
      sql`${t.role} in ('udvalgsformand','direktoer','centerchef','myndighedschef','driftschef')`,
    ),
    check(
      'survey_links_submitted_check',
      sql`${t.status} <> 'submitted' or (${t.email} is null and ${t.draft} is null and ${t.tokenSealed} is null)`,
    ),
  ],
);

/** Submitted answers: no link, no respondent, no time. Insert-only for the application. */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    roundId: uuid('round_id').notNull(),
    participantCode: text('participant_code').notNull(),
    role: text('role').notNull(),
    answers: jsonb('answers').notNull(),
    source: text('source').notNull(),
  },
  (t) => [
    index('survey_responses_round_idx').on(t.roundId),
    foreignKey({
      name: 'survey_responses_round_fk',
      columns: [t.municipalityId, t.roundId],
      foreignColumns: [surveyRounds.municipalityId, surveyRounds.id],
    }),
    check('survey_responses_source_check', sql`${t.source} in ('web','import')`),
  ],
);

/** Qualitative findings per pejlemærke (quotes from the depth analysis), with a role label. */
export const surveyQuotes = pgTable(
  'survey_quotes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    roundId: uuid('round_id').notNull(),
    pejlemaerke: text('pejlemaerke').notNull(),
    roleLabel: text('role_label').notNull(),
    text: text('text').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'survey_quotes_round_fk',
      columns: [t.municipalityId, t.roundId],
      foreignColumns: [surveyRounds.municipalityId, surveyRounds.id],
    }),
  ],
);

/** Outgoing e-mail: queued in the transaction that decides to send it, delivered after commit. */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    kind: text('kind').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    /** Erased once sent, except in demo mode (the outbox page shows it). */
    body: text('body'),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    index('mail_outbox_queued_idx').on(t.municipalityId, t.status),
    check('mail_outbox_status_check', sql`${t.status} in ('queued','sent','failed')`),
  ],
);
