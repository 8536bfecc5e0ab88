import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns';

export const municipalities = pgTable(
  'municipalities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    /** A municipality, or the national agency that runs national survey rounds (TENANT_KINDS). */
    kind: text('kind').notNull().default('municipality'),
    /** Min log shows citizens the names of the staff who looked at their data (issue 14): the municipality decides. */
    portalShowStaffNames: boolean('portal_show_staff_names').notNull().default(true),
    /**
     * Key figures are published for periods starting on or after this day (null: as far back as the data go).
     * The municipality's data are complete from here: when it went live with its running caseload brought
     * over, earlier periods would count only the citizens still served at go-live (decision 010).
     */
    keyFiguresFrom: date('key_figures_from', { mode: 'string' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('municipalities_kind_check', sql`${t.kind} in ('municipality','national_agency')`),
    check('municipalities_key_figures_from_check', sql`${t.keyFiguresFrom} >= date '2000-01-01'`),
  ],
);

export const orgUnits = pgTable(
  'org_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    parentId: uuid('parent_id'),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    providerType: text('provider_type'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('org_units_municipality_id_id_key').on(t.municipalityId, t.id),
    unique('org_units_municipality_name_key').on(t.municipalityId, t.name),
    foreignKey({
      name: 'org_units_parent_fk',
      columns: [t.municipalityId, t.parentId],
      foreignColumns: [t.municipalityId, t.id],
    }),
    check('org_units_kind_check', sql`${t.kind} in ('myndighed','tilbud','team','partner')`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    passwordHash: text('password_hash').notNull(),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('users_municipality_id_id_key').on(t.municipalityId, t.id),
    check('users_username_lower_check', sql`${t.username} = lower(${t.username})`),
  ],
);

export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    userId: uuid('user_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    role: text('role').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('role_assignments_user_unit_role_key').on(t.userId, t.unitId, t.role),
    foreignKey({
      name: 'role_assignments_user_fk',
      columns: [t.municipalityId, t.userId],
      foreignColumns: [users.municipalityId, users.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'role_assignments_unit_fk',
      columns: [t.municipalityId, t.unitId],
      foreignColumns: [orgUnits.municipalityId, orgUnits.id],
    }),
    check(
      'role_assignments_role_check',
      sql`${t.role} in ('sagsbehandler','udfoerer','leder','analytiker','administrator','skemaadministrator','kontaktperson','partner')`,
    ),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** HMAC-SHA256 of the session token; the token itself is never stored. */
    id: text('id').primaryKey(),
    municipalityId: uuid('municipality_id').notNull(),
    userId: uuid('user_id').notNull(),
    csrfToken: text('csrf_token').notNull(),
    rolesFingerprint: text('roles_fingerprint').notNull(),
    createdAt: ts('created_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    foreignKey({
      name: 'sessions_user_fk',
      columns: [t.municipalityId, t.userId],
      foreignColumns: [users.municipalityId, users.id],
    }).onDelete('cascade'),
  ],
);

/** Login throttling per username+IP and per IP; keys are hashes, not usernames. */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: ts('window_started_at').notNull(),
  lockedUntil: ts('locked_until'),
});

export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    /**
     * Which of the municipality's hash chains the event is on, and its position there; both set by the
     * database trigger. Several chains per municipality let concurrent requests append without queueing.
     */
    chainId: smallint('chain_id').notNull().default(0),
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull().default(0),
    prevHash: text('prev_hash').notNull().default(''),
    hash: text('hash').notNull().default(''),
    occurredAt: ts('occurred_at').notNull().defaultNow(),
    requestId: text('request_id').notNull(),
    actorUserId: uuid('actor_user_id'),
    actorRole: text('actor_role'),
    citizenId: uuid('citizen_id'),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id'),
    criteria: jsonb('criteria'),
    purpose: text('purpose'),
    caseId: uuid('case_id'),
    outcome: text('outcome').notNull(),
  },
  (t) => [
    unique('audit_events_chain_key').on(t.municipalityId, t.chainId, t.chainSeq),
    index('audit_events_seq_idx').on(t.municipalityId, t.occurredAt, t.id),
    index('audit_events_citizen_idx').on(t.municipalityId, t.citizenId, t.occurredAt),
    index('audit_events_actor_idx').on(t.municipalityId, t.actorUserId, t.occurredAt),
    check('audit_events_outcome_check', sql`${t.outcome} in ('success','denied','error')`),
  ],
);
