import { date, timestamp } from 'drizzle-orm/pg-core';

/** Column builders every schema file uses (no imports of other schema files: they all import this one). */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A calendar date, read as an ISO string (YYYY-MM-DD) so no time zone can shift it. */
export const day = (name: string) => date(name, { mode: 'string' });
