import { sql } from 'drizzle-orm';
import { check, date, type PgColumn, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/** Column builders every schema file uses (no imports of other schema files: they all import this one). */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A calendar date, read as an ISO string (YYYY-MM-DD) so no time zone can shift it. */
export const day = (name: string) => date(name, { mode: 'string' });

/**
 * The citizen's life situation in countable fields (key figures, issue 5): recorded at each assessment and
 * at each follow-up. Values are the enums in src/shared/pathway.ts (HOUSING, EMPLOYMENT …).
 */
export const lifeSituationColumns = () => ({
  housing: text('housing'),
  employment: text('employment'),
  education: text('education'),
  psychiatryContact: text('psychiatry_contact'),
  admissions12m: smallint('admissions_12m'),
  admissionDays12m: smallint('admission_days_12m'),
});

type LifeColumns = Record<keyof ReturnType<typeof lifeSituationColumns>, PgColumn>;

export const lifeSituationCheck = (name: string, t: LifeColumns) =>
  check(
    name,
    sql`(${t.housing} is null or ${t.housing} in ('own_home','with_family','temporary_housing','supported_temporary','supported_long_term','homeless','shelter','hospital','other'))
      and (${t.employment} is null or ${t.employment} in ('ordinary_job','flex_or_special_terms','protected_employment','in_education','unemployed','sick_leave','early_retirement','other'))
      and (${t.education} is null or ${t.education} in ('primary','upper_secondary','vocational','higher','none_completed'))
      and (${t.psychiatryContact} is null or ${t.psychiatryContact} in ('none','gp_only','outpatient','admitted_last_12m'))
      and (${t.admissions12m} is null or ${t.admissions12m} between 0 and 365)
      and (${t.admissionDays12m} is null or ${t.admissionDays12m} between 0 and 366)`,
  );
