import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { citizens, representations } from './citizens';
import { ts } from './columns';
import { cases, goals } from './pathway';
import { orgUnits, users } from './platform';

/**
 * Mine mål (issue 14): the citizen proposes a new goal, or a change to one of their goals, in their own words.
 * It lands on the caseworker's worklist; the caseworker accepts it (a citizen goal is created or changed and
 * points back here) or answers. The words are never edited: the goal's traceability is this row.
 */
export const goalProposals = pgTable(
  'goal_proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    caseId: uuid('case_id').notNull(),
    /** The citizen goal the proposal changes; null for a new goal. */
    goalId: uuid('goal_id'),
    words: text('words').notNull(),
    /** A representative who wrote it for the citizen. */
    representationId: uuid('representation_id'),
    status: text('status').notNull().default('open'),
    answer: text('answer'),
    answeredAt: ts('answered_at'),
    answeredBy: uuid('answered_by'),
    /** The goal that accepting created or changed. */
    resultingGoalId: uuid('resulting_goal_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('goal_proposals_case_idx').on(t.municipalityId, t.caseId, t.status),
    index('goal_proposals_citizen_idx').on(t.municipalityId, t.citizenId),
    foreignKey({
      name: 'goal_proposals_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'goal_proposals_case_fk',
      columns: [t.municipalityId, t.caseId],
      foreignColumns: [cases.municipalityId, cases.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'goal_proposals_goal_fk',
      columns: [t.municipalityId, t.goalId],
      foreignColumns: [goals.municipalityId, goals.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'goal_proposals_resulting_goal_fk',
      columns: [t.municipalityId, t.resultingGoalId],
      foreignColumns: [goals.municipalityId, goals.id],
    }).onDelete('set null'),
    foreignKey({
      name: 'goal_proposals_representation_fk',
      columns: [t.municipalityId, t.representationId],
      foreignColumns: [representations.municipalityId, representations.id],
    }),
    foreignKey({
      name: 'goal_proposals_answered_by_fk',
      columns: [t.municipalityId, t.answeredBy],
      foreignColumns: [users.municipalityId, users.id],
    }),
    check('goal_proposals_status_check', sql`${t.status} in ('open','accepted','answered')`),
    check(
      'goal_proposals_answer_check',
      sql`(${t.status} = 'open') = (${t.answeredAt} is null) and (${t.status} = 'open') = (${t.answeredBy} is null)`,
    ),
  ],
);

/**
 * Secure messages (issue 14, item 10): a thread per case between the citizen (or their representative) and
 * the unit that handles it (the case's authority unit, or a provider unit). Staff read it in the unit inbox.
 */
export const messageThreads = pgTable(
  'message_threads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    caseId: uuid('case_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    subject: text('subject').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('message_threads_municipality_id_id_key').on(t.municipalityId, t.id),
    index('message_threads_unit_idx').on(t.municipalityId, t.unitId),
    index('message_threads_citizen_idx').on(t.municipalityId, t.citizenId),
    foreignKey({
      name: 'message_threads_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'message_threads_case_fk',
      columns: [t.municipalityId, t.caseId],
      foreignColumns: [cases.municipalityId, cases.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'message_threads_unit_fk',
      columns: [t.municipalityId, t.unitId],
      foreignColumns: [orgUnits.municipalityId, orgUnits.id],
    }),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: uuid('municipality_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    threadId: uuid('thread_id').notNull(),
    body: text('body').notNull(),
    /** 'citizen', 'representative' (then representation_id) or 'staff' (then sender_user_id). */
    sender: text('sender').notNull(),
    senderUserId: uuid('sender_user_id'),
    representationId: uuid('representation_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** When the other side first opened it. */
    readAt: ts('read_at'),
  },
  (t) => [
    index('messages_thread_idx').on(t.threadId, t.createdAt),
    index('messages_unread_idx').on(t.municipalityId, t.sender).where(sql`${t.readAt} is null`),
    foreignKey({
      name: 'messages_thread_fk',
      columns: [t.municipalityId, t.threadId],
      foreignColumns: [messageThreads.municipalityId, messageThreads.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'messages_citizen_fk',
      columns: [t.municipalityId, t.citizenId],
      foreignColumns: [citizens.municipalityId, citizens.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'messages_representation_fk',
      columns: [t.municipalityId, t.representationId],
      foreignColumns: [representations.municipalityId, representations.id],
    }),
    foreignKey({
      name: 'messages_sender_user_fk',
      columns: [t.municipalityId, t.senderUserId],
      foreignColumns: [users.municipalityId, users.id],
    }),
    check(
      'messages_sender_check',
      sql`(${t.sender} = 'citizen' and ${t.senderUserId} is null and ${t.representationId} is null)
       or (${t.sender} = 'representative' and ${t.senderUserId} is null and ${t.representationId} is not null)
       or (${t.sender} = 'staff' and ${t.senderUserId} is not null and ${t.representationId} is null)`,
    ),
  ],
);
