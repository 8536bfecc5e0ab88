import { boolean, index, integer, jsonb, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { ts } from './columns';

/**
 * A versioned code list shipped in data/ (FFB, KL CareSocialCodes, Serviceloven paragraphs, methods).
 * Shared by all municipalities; never deleted, so records keep pointing at the version they were made with.
 */
export const codeLists = pgTable(
  'code_lists',
  {
    key: text('key').primaryKey(),
    system: text('system').notNull(),
    version: text('version').notNull(),
    title: text('title').notNull(),
    source: text('source').notNull(),
    checksum: text('checksum').notNull(),
    isCurrent: boolean('is_current').notNull().default(false),
    loadedAt: ts('loaded_at').notNull().defaultNow(),
  },
  (t) => [unique('code_lists_system_version_key').on(t.system, t.version)],
);

export const codes = pgTable(
  'codes',
  {
    listKey: text('list_key')
      .notNull()
      .references(() => codeLists.key),
    code: text('code').notNull(),
    parentCode: text('parent_code'),
    kind: text('kind').notNull(),
    display: text('display').notNull(),
    definition: text('definition').notNull().default(''),
    sortOrder: integer('sort_order').notNull(),
    attrs: jsonb('attrs').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.listKey, t.code] }), index('codes_kind_idx').on(t.listKey, t.kind)],
);

/** Outcome instruments (data/instruments/*.json): items, scale, scoring, cut-offs, reliable change. */
export const instruments = pgTable(
  'instruments',
  {
    key: text('key').notNull(),
    version: text('version').notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    checksum: text('checksum').notNull(),
    isCurrent: boolean('is_current').notNull().default(false),
    loadedAt: ts('loaded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.key, t.version] })],
);
