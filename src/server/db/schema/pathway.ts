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
  primaryKey,
  smallint,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { GasLevels } from '../../../shared/pathway';
import { citizens } from './citizens';
import { day, lifeSituationCheck, lifeSituationColumns, ts } from './columns';
import { municipalities, orgUnits, users } from './platform';
import { codes } from './reference';

/** The tenant column of every pathway table. */
export const tenant = () =>
  uuid('municipality_id')
    .notNull()
    .references(() => municipalities.id);

/** A municipality's own catalogue: methods and local services with prices, editable by administrators. */
export const catalogueItems = pgTable(
  'catalogue_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    paragraphList: text('paragraph_list'),
    paragraphCode: text('paragraph_code'),
    ffbList: text('ffb_list'),
    ydelseCode: text('ydelse_code'),
    providerUnitId: uuid('provider_unit_id'),
    priceAmount: numeric('price_amount', { precision: 12, scale: 2 }),
    priceUnit: text('price_unit'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('catalogue_items_municipality_id_id_key').on(t.municipalityId, t.id),
    unique('catalogue_items_code_key').on(t.municipalityId, t.kind, t.code),
    foreignKey({
      name: 'catalogue_items_paragraph_fk',
      columns: [t.paragraphList, t.paragraphCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    foreignKey({
      name: 'catalogue_items_ydelse_fk',
      columns: [t.ffbList, t.ydelseCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    foreignKey({
      name: 'catalogue_items_unit_fk',
      columns: [t.municipalityId, t.providerUnitId],
      foreignColumns: [orgUnits.municipalityId, orgUnits.id],
    }),
    check('catalogue_items_kind_check', sql`${t.kind} in ('method','local_service')`),
    check(
      'catalogue_items_price_check',
      sql`(${t.priceAmount} is null) = (${t.priceUnit} is null) and (${t.priceUnit} is null or ${t.priceUnit} in ('hour','month')) and (${t.priceAmount} is null or ${t.priceAmount} >= 0)`,
    ),
  ],
);

/** The last case number handed out per municipality and year (case numbers: YYYY-NNNNN). */
export const caseNumberCounters = pgTable(
  'case_number_counters',
  {
    municipalityId: tenant(),
    year: integer('year').notNull(),
    lastValue: integer('last_value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.municipalityId, t.year] })],
);

/** A case (sag) opened from a citizen, walked through the VUM 2.0 phases, closed with a coded reason. */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The id in the system it was imported from (docs/import-format.md); stable across re-imports. */
    externalId: text('external_id'),
    municipalityId: tenant(),
    citizenId: uuid('citizen_id').notNull(),
    caseNumber: text('case_number').notNull(),
    phase: text('phase').notNull().default('opened'),
    reason: text('reason').notNull(),
    authorityUnitId: uuid('authority_unit_id').notNull(),
    caseworkerId: uuid('caseworker_id'),
    openedOn: day('opened_on').notNull(),
    closedOn: day('closed_on'),
    endReasonList: text('end_reason_list'),
    endReasonCode: text('end_reason_code'),
    closingNote: text('closing_note'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    uniqueIndex('cases_external_id_key')
      .on(t.municipalityId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    unique('cases_municipality_id_id_key').on(t.municipalityId, t.id),
    unique('cases_number_key').on(t.municipalityId, t.caseNumber),
    index('cases_citizen_idx').on(t.citizenId),
    index('cases_caseworker_idx').on(t.municipalityId, t.caseworkerId),
    foreignKey({
      name: 'cases_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }),
    foreignKey({
      name: 'cases_unit_fk',
      columns: [t.municipalityId, t.authorityUnitId],
      foreignColumns: [orgUnits.municipalityId, orgUnits.id],
    }),
    foreignKey({
      name: 'cases_caseworker_fk',
      columns: [t.municipalityId, t.caseworkerId],
      foreignColumns: [users.municipalityId, users.id],
    }),
    foreignKey({
      name: 'cases_end_reason_fk',
      columns: [t.endReasonList, t.endReasonCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    check(
      'cases_phase_check',
      sql`${t.phase} in ('opened','assessment','judgement','plan','ordering','provision','follow_up','closed')`,
    ),
    check(
      'cases_closed_check',
      sql`(${t.phase} = 'closed') = (${t.closedOn} is not null) and (${t.closedOn} is null or ${t.endReasonCode} is not null)`,
    ),
  ],
);

/** Append-only history of a case's phases. */
export const casePhaseEvents = pgTable(
  'case_phase_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    caseId: uuid('case_id').notNull(),
    fromPhase: text('from_phase'),
    toPhase: text('to_phase').notNull(),
    authorUserId: uuid('author_user_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('case_phase_events_case_idx').on(t.caseId),
    foreignKey({
      name: 'case_phase_events_case_fk',
      columns: [t.municipalityId, t.caseId],
      foreignColumns: [cases.municipalityId, cases.id],
    }).onDelete('cascade'),
  ],
);

/**
 * An assessment (udredning): the first one, a re-assessment or the assessment part of a follow-up. A draft
 * can be edited; a completed one is history and never changes.
 */
export const assessments = pgTable(
  'assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    caseId: uuid('case_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('draft'),
    assessedOn: day('assessed_on').notNull(),
    ffbList: text('ffb_list').notNull(),
    supportNeedCode: text('support_need_code'),
    supportNeedNote: text('support_need_note').notNull().default(''),
    citizenPerspective: text('citizen_perspective').notNull().default(''),
    citizenResources: text('citizen_resources').notNull().default(''),
    professionalJudgement: text('professional_judgement').notNull().default(''),
    ...lifeSituationColumns(),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
    completedAt: ts('completed_at'),
    completedBy: uuid('completed_by'),
    /** The id in the system it was imported from (docs/import-format.md); stable across re-imports. */
    externalId: text('external_id'),
  },
  (t) => [
    unique('assessments_municipality_id_id_key').on(t.municipalityId, t.id),
    uniqueIndex('assessments_external_id_key')
      .on(t.municipalityId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    index('assessments_case_idx').on(t.caseId),
    index('assessments_citizen_idx').on(t.citizenId),
    foreignKey({
      name: 'assessments_case_fk',
      columns: [t.municipalityId, t.caseId],
      foreignColumns: [cases.municipalityId, cases.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'assessments_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }),
    foreignKey({
      name: 'assessments_support_need_fk',
      columns: [t.ffbList, t.supportNeedCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    check('assessments_kind_check', sql`${t.kind} in ('initial','reassessment','follow_up')`),
    check('assessments_status_check', sql`${t.status} in ('draft','completed')`),
    lifeSituationCheck('assessments_life_check', t),
  ],
);

/** A condition (tilstand) assessed on one FFB subtheme; the level follows KL's rule (see shared/domain/ffb.ts). */
export const assessmentConditions = pgTable(
  'assessment_conditions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    assessmentId: uuid('assessment_id').notNull(),
    ffbList: text('ffb_list').notNull(),
    subthemeCode: text('subtheme_code').notNull(),
    level: smallint('level'),
    /** FFB "Funktionsevneniveau > Ikke vurderet": the level was deliberately not assessed. */
    notAssessed: boolean('not_assessed').notNull().default(false),
    note: text('note').notNull().default(''),
    inFocus: boolean('in_focus').notNull().default(false),
  },
  (t) => [
    unique('assessment_conditions_key').on(t.assessmentId, t.subthemeCode),
    foreignKey({
      name: 'assessment_conditions_assessment_fk',
      columns: [t.municipalityId, t.assessmentId],
      foreignColumns: [assessments.municipalityId, assessments.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'assessment_conditions_code_fk',
      columns: [t.ffbList, t.subthemeCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    check('assessment_conditions_level_check', sql`${t.level} is null or ${t.level} between 0 and 4`),
    check('assessment_conditions_not_assessed_check', sql`not (${t.notAssessed} and ${t.level} is not null)`),
  ],
);

/** Information under one FFB theme from one informant: the citizen's own account next to the professional's. */
export const assessmentAccounts = pgTable(
  'assessment_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    assessmentId: uuid('assessment_id').notNull(),
    ffbList: text('ffb_list').notNull(),
    themeCode: text('theme_code').notNull(),
    informantList: text('informant_list').notNull(),
    informantCode: text('informant_code').notNull(),
    body: text('body').notNull(),
  },
  (t) => [
    unique('assessment_accounts_key').on(t.assessmentId, t.themeCode, t.informantCode),
    foreignKey({
      name: 'assessment_accounts_assessment_fk',
      columns: [t.municipalityId, t.assessmentId],
      foreignColumns: [assessments.municipalityId, assessments.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'assessment_accounts_theme_fk',
      columns: [t.ffbList, t.themeCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    foreignKey({
      name: 'assessment_accounts_informant_fk',
      columns: [t.informantList, t.informantCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
  ],
);

/**
 * The FFB goal hierarchy in one table: the citizen's goals and wishes (own words), the purpose of the
 * intervention, intervention goals (indsatsmål) and the provider's sub-goals (delmål).
 */
export const goals = pgTable(
  'goals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    citizenId: uuid('citizen_id').notNull(),
    caseId: uuid('case_id').notNull(),
    kind: text('kind').notNull(),
    parentGoalId: uuid('parent_goal_id'),
    citizenGoalId: uuid('citizen_goal_id'),
    wordsOf: text('words_of').notNull(),
    title: text('title').notNull(),
    what: text('what').notNull().default(''),
    measure: text('measure').notNull().default(''),
    dueOn: day('due_on'),
    helpers: text('helpers').notNull().default(''),
    status: text('status').notNull().default('proposed'),
    ffbList: text('ffb_list'),
    subthemeCode: text('subtheme_code'),
    expectedLevel: smallint('expected_level'),
    goalTypeCode: text('goal_type_code'),
    gasWeight: smallint('gas_weight').notNull().default(1),
    /**
     * The goal's Goal Attainment Scale: what −2, −1, 0 (the expected outcome), +1 and +2 look like for this
     * goal, in words, and the level the citizen is at when the goal is set. Null: no scale (an older goal,
     * or a citizen's own goal), so it is not rated with GAS.
     */
    gasLevels: jsonb('gas_levels').$type<GasLevels>(),
    gasBaseline: smallint('gas_baseline'),
    /** For delmål: the service whose provider works on it. */
    serviceId: uuid('service_id'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
    /** The goal's id in the system it was imported from (docs/import-format.md). */
    externalId: text('external_id'),
  },
  (t) => [
    unique('goals_municipality_id_id_key').on(t.municipalityId, t.id),
    uniqueIndex('goals_external_id_key')
      .on(t.municipalityId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    index('goals_case_idx').on(t.caseId),
    index('goals_citizen_idx').on(t.citizenId),
    foreignKey({
      name: 'goals_case_fk',
      columns: [t.municipalityId, t.caseId],
      foreignColumns: [cases.municipalityId, cases.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'goals_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }),
    foreignKey({
      name: 'goals_parent_fk',
      columns: [t.municipalityId, t.parentGoalId],
      foreignColumns: [t.municipalityId, t.id],
    }),
    foreignKey({
      name: 'goals_citizen_goal_fk',
      columns: [t.municipalityId, t.citizenGoalId],
      foreignColumns: [t.municipalityId, t.id],
    }),
    foreignKey({
      name: 'goals_subtheme_fk',
      columns: [t.ffbList, t.subthemeCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    foreignKey({
      name: 'goals_goal_type_fk',
      columns: [t.ffbList, t.goalTypeCode],
      foreignColumns: [codes.listKey, codes.code],
    }),
    check('goals_kind_check', sql`${t.kind} in ('citizen_goal','purpose','intervention','sub')`),
    check(
      'goals_words_of_check',
      sql`${t.wordsOf} in ('citizen','citizen_supported','caseworker','provider')`,
    ),
    check(
      'goals_status_check',
      sql`${t.status} in ('proposed','active','achieved','partly_achieved','not_achieved','cancelled')`,
    ),
    check('goals_level_check', sql`${t.expectedLevel} is null or ${t.expectedLevel} between 0 and 4`),
    check('goals_weight_check', sql`${t.gasWeight} between 1 and 4`),
    // A scale states at least the expected outcome and one level either side, and its baseline.
    check(
      'goals_gas_check',
      sql`(${t.gasLevels} is null and ${t.gasBaseline} is null) or (jsonb_typeof(${t.gasLevels}) = 'object'
          and ${t.gasLevels} ?& array['-1','0','1'] and ${t.gasBaseline} between -2 and 2)`,
    ),
    check(
      'goals_shape_check',
      sql`(${t.kind} <> 'intervention' or (${t.subthemeCode} is not null and ${t.expectedLevel} is not null and ${t.goalTypeCode} is not null))
      and (${t.kind} <> 'sub' or ${t.parentGoalId} is not null)
      and (${t.kind} = 'sub' or ${t.parentGoalId} is null)`,
    ),
  ],
);

/** Append-only: every change of a goal (a snapshot) and every dated note, with its author. */
export const goalEvents = pgTable(
  'goal_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    goalId: uuid('goal_id').notNull(),
    kind: text('kind').notNull(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>(),
    body: text('body'),
    authorUserId: uuid('author_user_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    // Key figures read one municipality's rows at a time (issue 5).
    index('goal_events_tenant_idx').on(t.municipalityId, t.goalId, t.createdAt),
    index('goal_events_goal_idx').on(t.goalId, t.createdAt),
    foreignKey({
      name: 'goal_events_goal_fk',
      columns: [t.municipalityId, t.goalId],
      foreignColumns: [goals.municipalityId, goals.id],
    }).onDelete('cascade'),
    check('goal_events_kind_check', sql`${t.kind} in ('created','updated','note')`),
  ],
);
