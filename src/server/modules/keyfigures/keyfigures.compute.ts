import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { IsoDate } from '../../../shared/domain/dates';
import { INDICATORS, type PeriodKind } from '../../../shared/indicators';
import { rowsOf, type Tx } from '../../platform/tenancy';
import type { Reference } from '../reference/reference';

/**
 * The key figures of one municipality (the transaction's tenant), computed from the pathway tables in SQL:
 * one row per indicator × period × breakdown value. Definitions: src/shared/indicators.ts and
 * docs/indicators.md. Disclosure control is applied when figures are published, not here.
 */
export interface KeyFigureRow {
  indicator: string;
  periodKind: PeriodKind;
  periodStart: IsoDate;
  /** '' for the municipality as a whole, else 'paragraph' | 'step' | 'unit' | 'target_group'. */
  breakdown: string;
  value: string;
  numerator: number;
  /**
   * For a count or amount null; for a rate the count it is out of; for a mean (GAS) the numerator is the sum
   * and this the number of observations; for a duration (median days) the number of observations; for an
   * amount per something (spend per citizen, per achieved goal) the something.
   */
  denominator: number | null;
  /** For amounts: the citizens contributing and the two largest contributions together (dominance rule). */
  contributors?: number;
  top2?: number;
  /**
   * For spend: the monthly price, when every contributing service has the same one (a catalogue price). The
   * amount then tells the volume (citizen-months), so it is protected as a count of citizens (issue 13).
   */
  price?: number;
}

/** Codes of the KL end reasons that mean the need is met ("Ikke yderligere behov …"). */
export function needMetReasons(ref: Reference): string[] {
  const list = ref.current('kl-caresocial').key;
  return ref
    .ofKind(list, 'end_reason')
    .filter((c) => c.display.startsWith('Ikke yderligere behov'))
    .map((c) => c.code);
}

const list = (rows: SQL[]) => sql.join(rows, sql`, `);

/** Each paragraph's step on the ladder (reference data: data/serviceloven). */
export function paragraphSteps(ref: Reference): Map<string, number> {
  return new Map(
    ref
      .ofKind(ref.current('serviceloven').key, 'paragraph')
      .filter((p) => Number.isFinite(Number(p.attrs.step)))
      .map((p) => [p.code, Number(p.attrs.step)]),
  );
}

/** Employment that counts as "in education or employment". */
const WORKING = sql`('ordinary_job','flex_or_special_terms','protected_employment','in_education')`;

/**
 * The services that count (granted with a start date, active or ended) with their step on the ladder, their
 * monthly cost (a monthly price, or an hourly price × hours per week × 52 / 12) and an open end running to
 * `today`.
 */
function servicesThatCount(ref: Reference, today: IsoDate) {
  const steps = [...paragraphSteps(ref)].map(([code, step]) => sql`(${code}::text, ${step}::int)`);
  return sql`
    with steps(paragraph, step) as (values ${list(steps)})
    select s.id, s.citizen_id, s.case_id, s.paragraph_code, st.step, s.provider_unit_id, s.primary_target_group_code,
           s.status, s.start_on, least(coalesce(s.end_on, ${today}::date), ${today}::date) as end_on,
           s.end_reason_code, s.cadence_kind, s.cadence_months,
           case s.price_unit when 'month' then s.price_amount
                             when 'hour' then s.price_amount * s.hours_per_week * 52 / 12 end as monthly
      from services s left join steps st on st.paragraph = s.paragraph_code
     where s.status in ('granted','active','ended') and s.start_on is not null and s.start_on <= ${today}::date`;
}

/**
 * The working tables every indicator statement reads, in the order they are made (a later one may read an
 * earlier): the services that count (`svc`); the calendar periods starting on or after `from`, up to
 * `today` (`p_ref` is the period's end, or today for the running period); each service's stretches between
 * follow-ups; each citizen's highest step on the days the ladder is read; each citizen's unit and target
 * group; the follow-ups with the days since the one before; each version of the citizens' goals; and each
 * citizen's life situation as recorded over time. They are made once per refresh as temporary tables,
 * dropped at commit, and analysed, so every statement reuses them and the planner knows their sizes
 * (decision 009).
 */
function workingTables(ref: Reference, from: IsoDate, today: IsoDate): [name: string, query: SQL][] {
  return [
    ['svc', servicesThatCount(ref, today)],
    [
      'periods',
      sql`
      select kind, p_start, p_end, least(p_end, ${today}::date) as p_ref
        from (select distinct kind, p_start, (p_start + len - interval '1 day')::date as p_end
                from generate_series(date_trunc('month', ${from}::date), date_trunc('month', ${today}::date),
                                     interval '1 month') as months(m),
                     lateral (values ('month', m::date, interval '1 month'),
                                     ('quarter', date_trunc('quarter', m)::date, interval '3 months'),
                                     ('year', date_trunc('year', m)::date, interval '1 year')) as x(kind, p_start, len)) q
       where p_start >= ${from}::date`,
    ],
    [
      'fu_intervals',
      sql`
      -- Each service's stretches between follow-ups: before the first, and from each to the next.
      select s.*, null::date as last, ff.first as until
        from svc s left join (select service_id, min(held_on) as first from follow_ups group by service_id) ff
          on ff.service_id = s.id
      union all
      select s.*, f.held_on, lead(f.held_on) over (partition by f.service_id order by f.held_on, f.created_at)
        from svc s join follow_ups f on f.service_id = s.id`,
    ],
    [
      'step_on',
      sql`
      -- Each citizen's highest step on the days the ladder is read: the day before each period and its end.
      select d.d, x.citizen_id, max(x.step) as step
        from (select distinct p_start - 1 as d from periods union select distinct p_ref from periods) d
        join svc x on x.step is not null and x.start_on <= d.d and x.end_on >= d.d
       group by 1, 2`,
    ],
    [
      'citizen_unit',
      sql`
      -- A citizen's unit and target group: those of their latest service.
      select distinct on (citizen_id) citizen_id, provider_unit_id, primary_target_group_code
        from svc order by citizen_id, end_on desc, start_on desc, id`,
    ],
    [
      'fu',
      sql`
      select f.id, f.held_on, f.created_at, f.service_id, svc.citizen_id, svc.paragraph_code, svc.step,
             svc.provider_unit_id, svc.primary_target_group_code, svc.start_on, svc.cadence_kind, svc.cadence_months,
             f.held_on - lag(f.held_on) over (partition by f.service_id order by f.held_on, f.created_at) as gap,
             lag(f.held_on) over (partition by f.service_id order by f.held_on, f.created_at) as previous_on
        from follow_ups f join svc on svc.id = f.service_id`,
    ],
    [
      'goal_versions',
      sql`
      -- Each version of a citizen goal or indsatsmål, from its event's date until the next version.
      select ge.goal_id, g.citizen_id, ge.on_date, ge.until, ge.snapshot->>'wordsOf' as words_of,
             ge.snapshot->>'status' as status
        from (select e.goal_id, e.snapshot, (e.created_at at time zone 'Europe/Copenhagen')::date as on_date,
                     lead((e.created_at at time zone 'Europe/Copenhagen')::date)
                       over (partition by e.goal_id order by e.created_at) as until
                from goal_events e where e.kind in ('created','updated')) ge
        join goals g on g.id = ge.goal_id and g.kind in ('citizen_goal','intervention')`,
    ],
    ['life_employment', lifeRecords(sql`employment`)],
    ['life_admissions', lifeRecords(sql`admissions_12m`)],
  ];
}

/**
 * A life-situation field as recorded at assessments and follow-ups: each citizen's latest record per day,
 * holding until their next.
 */
const lifeRecords = (field: SQL) => sql`
  select citizen_id, on_date, ${field},
         lead(on_date) over (partition by citizen_id order by on_date, created_at) as until
    from (select distinct on (citizen_id, on_date) *
            from (select citizen_id, assessed_on as on_date, created_at, ${field}
                    from assessments where status = 'completed' and ${field} is not null
                  union all
                  select citizen_id, held_on, created_at, ${field} from follow_ups where ${field} is not null) l
           order by citizen_id, on_date, created_at desc) l`;

/** Makes the working tables (workingTables()) in the transaction, replacing any made before in it. */
async function makeWorkingTables(tx: Tx, tables: [string, SQL][]): Promise<void> {
  for (const [name, query] of tables) {
    await tx.execute(sql`drop table if exists ${sql.raw(`pg_temp.${name}`)}`);
    await tx.execute(sql`create temporary table ${sql.raw(name)} on commit drop as ${query}`);
    await tx.execute(sql`analyze ${sql.raw(name)}`);
  }
}

/**
 * Each citizen's highest step the day before each period (`s0`) and at its end (`s1`, today for the running
 * period), for the periods matching `filter`: the step moves' rows (one per citizen on a step on either day).
 */
const stepsAtBothEnds = (filter: SQL) => sql`
  (select d.kind, d.p_start, s.citizen_id, max(s.step) filter (where d.at_start) as s0,
          max(s.step) filter (where not d.at_start) as s1
     from (select kind, p_start, p_start - 1 as d, true as at_start from periods where ${filter}
           union all select kind, p_start, p_ref, false from periods where ${filter}) d
     join step_on s on s.d = d.d
    group by 1, 2, 3)`;

/** A service's cost in the period: its monthly cost × 12 / 365 for each day it runs in the period. */
const DAYS_COST = sql`sum(x.monthly * 12 / 365 * ((least(x.end_on, p.p_end) - greatest(x.start_on, p.p_start)) + 1))`;
/** The two largest citizens' amounts of a figure together (`c.amount` per citizen), for the dominance rule. */
const TOP_TWO = sql`round((select sum(a) from unnest((array_agg(c.amount order by c.amount desc))[1:2]) a), 2)`;

/** Each row once as a whole and once per breakdown it has a value for (`x` has the service's columns). */
const BREAKDOWN = sql`lateral (values ('', ''), ('paragraph', x.paragraph_code), ('step', x.step::text),
  ('unit', x.provider_unit_id::text), ('target_group', x.primary_target_group_code)) as b(breakdown, value)`;
/** For rows about a citizen's own situation: the unit and target group of their latest service. */
const CITIZEN = sql`lateral (values ('', ''), ('unit', x.provider_unit_id::text),
  ('target_group', x.primary_target_group_code)) as b(breakdown, value)`;

/**
 * The three periods (its month, quarter and year) a day falls in, as `p`: an equality join, where
 * `day between p.p_start and p.p_end` would compare the day with every period.
 */
const periodsOf = (day: SQL) => sql`
  cross join (values ('month'), ('quarter'), ('year')) as pk(kind)
  join periods p on p.kind = pk.kind and p.p_start = date_trunc(pk.kind, ${day})::date`;

/** When the next follow-up falls due after `last` (or the start): 3 months first, then 12 or the close cadence. */
const due = (startOn: SQL, last: SQL, kind: SQL, months: SQL) => sql`
  case when ${last} is null then (${startOn} + interval '3 months')::date
       when ${kind} = 'close' then (${last} + make_interval(months => ${months}::int))::date
       else (${last} + interval '12 months')::date end`;

/**
 * The indicators, each one SELECT over the shared CTEs returning
 * (indicator, kind, p_start, breakdown, value, numerator, denominator).
 */
function indicatorQueries(ref: Reference): SQL[] {
  const needMet = needMetReasons(ref);
  const reasons = needMet.length ? list(needMet.map((c) => sql`${c}::text`)) : sql`null::text`;
  const improved = (key: string) => {
    const def = ref.instrument(key);
    const direction = def?.higherIsBetter === false ? -1 : 1;
    const threshold = def?.reliableChange ?? null;
    // Each measurement holds until the citizen's next; the one holding at the period's end is the latest,
    // and it counts when it was taken in the period and is not the citizen's first.
    return sql`
      select ${`${key === 'WHO-5' ? 'who5' : 'qpr'}_improved`}::text, p.kind, p.p_start, b.breakdown, b.value,
             count(distinct x.citizen_id) filter (where (x.score - x.first_score) * ${direction} ${
               threshold === null ? sql`> 0` : sql`>= ${threshold}`
             })::numeric,
             count(distinct x.citizen_id)::numeric
        from (select m.citizen_id, m.administered_on, m.score, cu.provider_unit_id, cu.primary_target_group_code,
                     row_number() over w as k, first_value(m.score) over w as first_score,
                     lead(m.administered_on) over w as until
                from measurements m left join citizen_unit cu on cu.citizen_id = m.citizen_id
               where m.instrument_key = ${key}
              window w as (partition by m.citizen_id order by m.administered_on, m.created_at)) x
        ${periodsOf(sql`x.administered_on`)}
         and x.administered_on <= p.p_ref and (x.until is null or x.until > p.p_ref)
        cross join ${CITIZEN}
       where x.k >= 2
       group by 1, 2, 3, 4, 5`;
  };
  return [
    // Citizens with a service at some point in the period.
    sql`select 'citizens', p.kind, p.p_start, b.breakdown, b.value, count(distinct x.citizen_id)::numeric, null::numeric
          from periods p join svc x on x.start_on <= p.p_end and x.end_on >= p.p_start
          cross join ${BREAKDOWN} group by 1, 2, 3, 4, 5`,
    // Citizens whose first service ever starts in the period.
    sql`select 'new_citizens', p.kind, p.p_start, b.breakdown, b.value, count(*)::numeric, null::numeric
          from (select distinct on (citizen_id) * from svc order by citizen_id, start_on, id) x
          ${periodsOf(sql`x.start_on`)}
          cross join ${BREAKDOWN} group by 1, 2, 3, 4, 5`,
    // Services ended in the period because the need is met, over services ended.
    sql`select 'ended_need_met', p.kind, p.p_start, b.breakdown, b.value,
               count(*) filter (where x.end_reason_code in (${reasons}))::numeric, count(*)::numeric
          from svc x ${periodsOf(sql`x.end_on`)}
          cross join ${BREAKDOWN} where x.status = 'ended' group by 1, 2, 3, 4, 5`,
    // Spend: the monthly cost × 12 / 365 for each day the service runs in the period; and per citizen. Each
    // citizen's share of a figure is summed first, for the dominance rule (contributors, two largest).
    sql`select i.indicator, g.kind, g.p_start, g.breakdown, g.value, g.amount,
               case when i.indicator = 'spend' then null else g.citizens end, g.citizens::int, g.top2,
               case when g.pmin = g.pmax then g.pmin end
          from (select c.kind, c.p_start, c.breakdown, c.value, round(sum(c.amount), 2) as amount,
                       count(*)::numeric as citizens, ${TOP_TWO} as top2, min(c.pmin) as pmin, max(c.pmax) as pmax
                  from (select p.kind, p.p_start, b.breakdown, b.value, x.citizen_id, ${DAYS_COST} as amount,
                               min(x.monthly) as pmin, max(x.monthly) as pmax
                          from periods p join svc x on x.monthly is not null and x.start_on <= p.p_end and x.end_on >= p.p_start
                          cross join ${BREAKDOWN} group by 1, 2, 3, 4, 5) c
                 group by 1, 2, 3, 4) g
          cross join (values ('spend'), ('spend_per_citizen')) as i(indicator)`,
    // The highest step on the ladder the day before the period and at its end (today for the running period).
    // Both days are month ends (or today): each citizen's step is found once per such day.
    // Both indicators come from one pass (down, up and the citizens on a step before), then one row each.
    sql`select i.indicator, g.kind, g.p_start, g.breakdown, g.value,
               case i.indicator when 'step_down' then g.down else g.up end, g.before
          from (select m.kind, m.p_start, b.breakdown, b.value,
                       count(*) filter (where m.s1 is null or m.s1 < m.s0)::numeric as down,
                       count(*) filter (where m.s1 > m.s0)::numeric as up, count(*)::numeric as before
                  from (select o.kind, o.p_start, o.citizen_id, o.s0, o.s1, cu.provider_unit_id,
                               cu.primary_target_group_code
                          from ${stepsAtBothEnds(sql`true`)} o
                          left join citizen_unit cu on cu.citizen_id = o.citizen_id
                         where o.s0 is not null) m
                  cross join lateral (values ('', ''), ('step', m.s0::text), ('unit', m.provider_unit_id::text),
                                             ('target_group', m.primary_target_group_code)) as b(breakdown, value)
                 group by 1, 2, 3, 4) g
          cross join (values ('step_down'), ('step_up')) as i(indicator)`,
    // Days a service on a step lasted, for services ended in the period (median).
    sql`select 'days_on_step', p.kind, p.p_start, b.breakdown, b.value,
               percentile_cont(0.5) within group (order by x.end_on - x.start_on + 1)::numeric, count(*)::numeric
          from svc x ${periodsOf(sql`x.end_on`)}
          cross join ${BREAKDOWN}
         where x.status = 'ended' and x.step is not null
         group by 1, 2, 3, 4, 5`,
    // The life situation: the latest recorded at an assessment or follow-up by the period's end (each record
    // holds from its date until the citizen's next record of the same field).
    sql`select i.indicator, g.kind, g.p_start, g.breakdown, g.value,
               case i.indicator when 'education_employment' then g.working else g.admitted end,
               case i.indicator when 'education_employment' then g.employment_known else g.admissions_known end
          from (select p.kind, p.p_start, b.breakdown, b.value,
                       count(distinct x.citizen_id) filter (where e.employment in ${WORKING})::numeric as working,
                       count(distinct x.citizen_id) filter (where e.employment is not null)::numeric as employment_known,
                       count(distinct x.citizen_id) filter (where a.admissions_12m > 0)::numeric as admitted,
                       count(distinct x.citizen_id) filter (where a.admissions_12m is not null)::numeric as admissions_known
                  from periods p join svc x on x.start_on <= p.p_end and x.end_on >= p.p_start
                  left join life_employment e on e.citizen_id = x.citizen_id and e.on_date <= p.p_end
                                             and (e.until is null or e.until > p.p_end)
                  left join life_admissions a on a.citizen_id = x.citizen_id and a.on_date <= p.p_end
                                             and (a.until is null or a.until > p.p_end)
                  cross join ${BREAKDOWN} group by 1, 2, 3, 4) g
          cross join (values ('education_employment'), ('psychiatric_admission')) as i(indicator)`,
    // Goal attainment: the citizen's GAS T-score per follow-up (ρ = 0.3), summed, over the follow-ups. Only
    // goals with a written scale count: a rating without one is not GAS.
    sql`select 'gas_attainment', p.kind, p.p_start, b.breakdown, b.value, round(sum(round(g.t, 1)), 1), count(*)::numeric
          from fu x ${periodsOf(sql`x.held_on`)}
          join (select r.follow_up_id,
                       (50 + 10 * sum(r.weight * r.score)
                         / sqrt(0.7 * sum(r.weight * r.weight) + 0.3 * sum(r.weight) ^ 2))::numeric as t
                  from follow_up_ratings r join goals gl on gl.id = r.goal_id and gl.gas_levels is not null
                 where r.rater = 'citizen' group by r.follow_up_id) g on g.follow_up_id = x.id
          cross join ${BREAKDOWN} group by 1, 2, 3, 4, 5`,
    // The achieved cadence: median days between follow-ups on the same service.
    sql`select 'follow_up_interval', p.kind, p.p_start, b.breakdown, b.value,
               percentile_cont(0.5) within group (order by x.gap)::numeric, count(*)::numeric
          from fu x ${periodsOf(sql`x.held_on`)}
          cross join ${BREAKDOWN} where x.gap is not null group by 1, 2, 3, 4, 5`,
    // Follow-ups held by their due date, over those held in the period and those overdue at its end.
    sql`select 'follow_up_on_time', p.kind, p.p_start, b.breakdown, b.value,
               count(*) filter (where x.held and x.on_time)::numeric, count(*)::numeric
          from periods p
          join lateral (
            select f.paragraph_code, f.step, f.provider_unit_id, f.primary_target_group_code, true as held,
                   f.held_on <= ${due(sql`f.start_on`, sql`f.previous_on`, sql`f.cadence_kind`, sql`f.cadence_months`)} as on_time
              from fu f where f.held_on between p.p_start and p.p_end
            union all
            select s.paragraph_code, s.step, s.provider_unit_id, s.primary_target_group_code, false, false
              from fu_intervals s
             where s.status in ('active','ended') and s.start_on <= p.p_ref and s.end_on >= p.p_ref
               and coalesce(s.last, s.start_on) <= p.p_ref and (s.until is null or s.until > p.p_ref)
               and ${due(sql`s.start_on`, sql`s.last`, sql`s.cadence_kind`, sql`s.cadence_months`)} < p.p_ref
          ) x on true
          cross join ${BREAKDOWN} group by 1, 2, 3, 4, 5`,
    // Goals in the citizen's own words, among goals (citizen goals and indsatsmål) live at the period's end:
    // each version of a goal holds from its event's date until the next version.
    sql`select 'goals_own_words', p.kind, p.p_start, b.breakdown, b.value,
               count(*) filter (where x.words_of in ('citizen','citizen_supported'))::numeric, count(*)::numeric
          from periods p
          join (select v.on_date, v.until, v.words_of, cu.provider_unit_id, cu.primary_target_group_code
                  from goal_versions v left join citizen_unit cu on cu.citizen_id = v.citizen_id
                 where v.status in ('proposed','active')) x
            on x.on_date <= p.p_ref and (x.until is null or x.until > p.p_ref)
          cross join ${CITIZEN} group by 1, 2, 3, 4, 5`,
    // Action plans (§ 141): the latest shared plan of each open case at the period's end (each shared version
    // holds from its sharing until the next).
    sql`select i.indicator, g.kind, g.p_start, g.breakdown, g.value,
               case i.indicator when 'plan_offered' then g.offered else g.accepted end,
               case i.indicator when 'plan_offered' then g.open else g.answered end
          from (select p.kind, p.p_start, b.breakdown, b.value,
                       count(distinct x.citizen_id) filter (where ap.offer in ('offered','accepted'))::numeric as offered,
                       count(distinct x.citizen_id)::numeric as open,
                       count(distinct x.citizen_id) filter (where ap.offer = 'accepted')::numeric as accepted,
                       count(distinct x.citizen_id)
                         filter (where ap.offer in ('offered','accepted','declined'))::numeric as answered
                  from periods p
                  join (select c.id, c.citizen_id, c.opened_on, c.closed_on, cu.provider_unit_id,
                               cu.primary_target_group_code
                          from cases c left join citizen_unit cu on cu.citizen_id = c.citizen_id) x
                    on x.opened_on <= p.p_ref and (x.closed_on is null or x.closed_on > p.p_ref)
                  left join (select a.case_id, a.offer, (a.shared_at at time zone 'Europe/Copenhagen')::date as on_date,
                                    lead((a.shared_at at time zone 'Europe/Copenhagen')::date)
                                      over (partition by a.case_id order by a.version) as until
                               from action_plans a where a.status = 'shared') ap
                    on ap.case_id = x.id and ap.on_date <= p.p_ref and (ap.until is null or ap.until > p.p_ref)
                  cross join ${CITIZEN} group by 1, 2, 3, 4) g
          cross join (values ('plan_offered'), ('plan_accepted')) as i(indicator)`,
    // Community offers: citizens who started in the period; and who still go, among those who started.
    sql`select 'community_started', p.kind, p.p_start, b.breakdown, b.value, count(distinct x.citizen_id)::numeric, null::numeric
          from periods p
          join (select l.citizen_id, l.started_on, cu.provider_unit_id, cu.primary_target_group_code
                  from goal_offer_links l left join citizen_unit cu on cu.citizen_id = l.citizen_id) x
            on x.started_on between p.p_start and p.p_end
          cross join ${CITIZEN} group by 1, 2, 3, 4, 5`,
    sql`select 'community_kept', p.kind, p.p_start, b.breakdown, b.value,
               count(distinct x.citizen_id) filter (where not x.stopped)::numeric, count(distinct x.citizen_id)::numeric
          from periods p
          join (select l.citizen_id, l.started_on, l.status, coalesce(l.checked_on, l.started_on) as checked_on,
                       cu.provider_unit_id, cu.primary_target_group_code
                  from goal_offer_links l left join citizen_unit cu on cu.citizen_id = l.citizen_id
                 where l.started_on is not null) x0 on x0.started_on <= p.p_ref
          cross join lateral (select x0.citizen_id, x0.provider_unit_id, x0.primary_target_group_code,
                                     x0.status = 'stopped' and x0.checked_on <= p.p_ref as stopped) x
          cross join ${CITIZEN} group by 1, 2, 3, 4, 5`,
    improved('WHO-5'),
    improved('QPR-15'),
    // Spend per achieved goal: spend on the services of cases with an indsatsmål, over the indsatsmål first
    // set to achieved in the period (whole municipality; each citizen's share kept for the dominance rule).
    sql`select 'spend_per_goal_achieved', c.kind, c.p_start, '', '', round(sum(c.amount), 2), max(a.n)::numeric,
               count(*)::int, ${TOP_TWO}, null::numeric
          from (select p.kind, p.p_start, x.citizen_id,
                       ${DAYS_COST} as amount
                  from periods p join svc x on x.monthly is not null and x.start_on <= p.p_end and x.end_on >= p.p_start
                 where exists (select 1 from goals g where g.case_id = x.case_id and g.kind = 'intervention')
                 group by 1, 2, 3) c
          join (select p.kind, p.p_start, count(*) as n
                  from periods p
                  join (select e.goal_id, min((e.created_at at time zone 'Europe/Copenhagen')::date) as on_date
                          from goal_events e join goals g on g.id = e.goal_id and g.kind = 'intervention'
                         where e.snapshot->>'status' = 'achieved' group by 1) ach
                    on ach.on_date between p.p_start and p.p_end
                 group by 1, 2) a on a.kind = c.kind and a.p_start = c.p_start
         group by 1, 2, 3, 4, 5`,
  ];
}

/** What each statement of indicatorQueries() computes, in order (for timings). */
const STATEMENT_NAMES = [
  'citizens',
  'new_citizens',
  'ended_need_met',
  'spend',
  'step_moves',
  'days_on_step',
  'life_situation',
  'gas_attainment',
  'follow_up_interval',
  'follow_up_on_time',
  'goals_own_words',
  'plans',
  'community_started',
  'community_kept',
  'who5_improved',
  'qpr_improved',
  'spend_per_goal_achieved',
];

/** The statements that compute amounts (with contributors and the two largest contributions). */
const AMOUNTS = new Set(['spend', 'spend_per_goal_achieved']);

/** The (indicator, breakdown) pairs the catalogue defines, as SQL values. */
const ALLOWED = sql.join(
  INDICATORS.flatMap((i) => ['', ...i.breakdowns].map((b) => sql`(${i.key}::text, ${b}::text)`)),
  sql`, `,
);

/** One indicator group's rows, restricted to the catalogue's breakdowns and to rows with a value. */
const figuresOf = (query: SQL, amounts: boolean) => sql`
  with allowed(indicator, breakdown) as (values ${ALLOWED})
  select u.indicator, u.kind, u.p_start, u.breakdown, u.value, u.numerator, u.denominator,
         ${
           amounts
             ? sql`u.contributors, u.top2, u.price`
             : sql`null::int as contributors, null::numeric as top2, null::numeric as price`
         }
    from (${query}) as u(indicator, kind, p_start, breakdown, value, numerator, denominator${
      amounts ? sql`, contributors, top2, price` : sql``
    })
    join allowed a on a.indicator = u.indicator and a.breakdown = u.breakdown
   where u.value is not null and u.numerator is not null`;

/**
 * Every indicator for every month, quarter and year from `from` to `today`, as a whole and per breakdown.
 * One statement per indicator group over the same CTEs; rows only for the breakdowns the catalogue defines.
 * The raw figures go straight to disclosure control (keyfigures.protect.ts) and are never stored. They come
 * ordered by series (kind, breakdown, indicator, value) and period, the order they are published in.
 */
export async function computeKeyFigures(
  tx: Tx,
  ref: Reference,
  opts: { from: IsoDate; today: IsoDate; onQuery?: (statement: string, ms: number) => void },
): Promise<KeyFigureRow[]> {
  const out: KeyFigureRow[] = [];
  const queries = indicatorQueries(ref);
  if (queries.length !== STATEMENT_NAMES.length) throw new Error('STATEMENT_NAMES is out of step');
  let started = performance.now();
  // The statements group hundreds of thousands of rows; with the default 4 MB their sorts spill to disk.
  await tx.execute(sql`set local work_mem = '64MB'`);
  await makeWorkingTables(tx, workingTables(ref, opts.from, opts.today));
  opts.onQuery?.('working_tables', performance.now() - started);
  for (const [k, query] of queries.entries()) {
    started = performance.now();
    const rows = rowsOf<{
      indicator: string;
      kind: PeriodKind;
      p_start: string;
      breakdown: string;
      value: string;
      numerator: string | number;
      denominator: string | number | null;
      contributors: number | null;
      top2: string | number | null;
      price: string | number | null;
    }>(
      await tx.execute(
        sql`select f.indicator, f.kind, f.p_start::text as p_start, f.breakdown, f.value, f.numerator, f.denominator,
                   f.contributors, f.top2, f.price
              from (${figuresOf(query, AMOUNTS.has(STATEMENT_NAMES[k]!))}) f
             order by f.kind, f.breakdown, f.indicator, f.value, f.p_start`,
      ),
    );
    for (const r of rows)
      out.push({
        indicator: r.indicator,
        periodKind: r.kind,
        periodStart: r.p_start,
        breakdown: r.breakdown,
        value: r.value,
        numerator: Number(r.numerator),
        denominator: r.denominator === null ? null : Number(r.denominator),
        ...(r.contributors === null ? {} : { contributors: Number(r.contributors), top2: Number(r.top2) }),
        ...(r.price === null ? {} : { price: Number(r.price) }),
      });
    opts.onQuery?.(STATEMENT_NAMES[k]!, performance.now() - started);
  }
  return out;
}

/** A period's transitions on the step-down ladder: the highest step the day before it and at its end. */
export interface PeriodTransitions {
  kind: PeriodKind;
  start: IsoDate;
  flows: LadderFlow[];
}

/**
 * The transitions of every quarter and year that ended by `through` (after computeKeyFigures, in its
 * transaction: read from its working tables). Never published: the audit reasons with them as the attacker's
 * unknowns (transitionLadder in keyfigures.audit.ts).
 */
export async function periodTransitions(tx: Tx, through: IsoDate): Promise<PeriodTransitions[]> {
  const rows = rowsOf<{ kind: PeriodKind; p_start: string; s0: number | null; s1: number | null; n: number }>(
    await tx.execute(sql`
      select o.kind, o.p_start::text as p_start, o.s0, o.s1, count(*)::int as n
        from ${stepsAtBothEnds(sql`kind <> 'month' and p_end <= ${through}::date`)} o
       group by 1, 2, 3, 4 order by 1, 2`),
  );
  const out: PeriodTransitions[] = [];
  for (const r of rows) {
    let last = out[out.length - 1];
    if (!last || last.kind !== r.kind || last.start !== r.p_start) {
      last = { kind: r.kind, start: r.p_start, flows: [] };
      out.push(last);
    }
    last.flows.push({
      before: r.s0 === null ? null : Number(r.s0),
      now: r.s1 === null ? null : Number(r.s1),
      citizens: Number(r.n),
    });
  }
  return out;
}

/** One cell of the ladder's flow table: citizens on step `before` a year ago and on step `now` today. */
export interface LadderFlow {
  /** The highest step a year ago (null: no service then). */
  before: number | null;
  /** The highest step today (null: no service now). */
  now: number | null;
  citizens: number;
}

/**
 * Where the municipality's citizens stood on the step-down ladder a year before `today` and where they
 * stand today (each citizen on the highest step of the services running that day), as a flow table.
 */
export async function ladderFlows(
  tx: Tx,
  ref: Reference,
  today: IsoDate,
  yearAgo: IsoDate,
): Promise<LadderFlow[]> {
  const rows = rowsOf<{ before: number | null; now: number | null; citizens: number }>(
    await tx.execute(sql`
      with svc as (${servicesThatCount(ref, today)}),
      at_start as (select citizen_id, max(step) as step from svc
                    where step is not null and start_on <= ${yearAgo}::date and end_on >= ${yearAgo}::date group by 1),
      at_end as (select citizen_id, max(step) as step from svc
                  where step is not null and start_on <= ${today}::date and end_on >= ${today}::date group by 1)
      select a.step as before, b.step as now, count(*)::int as citizens
        from at_start a full join at_end b on b.citizen_id = a.citizen_id
       group by 1, 2 order by 1, 2`),
  );
  return rows.map((r) => ({
    before: r.before === null ? null : Number(r.before),
    now: r.now === null ? null : Number(r.now),
    citizens: Number(r.citizens),
  }));
}

/**
 * A fingerprint of everything the figures depend on besides the data: the catalogue, every statement's SQL,
 * the paragraphs' steps and the version of the disclosure rules. Stored with a municipality's figures; a
 * deployment whose fingerprint differs (an upgrade) recomputes them at the next sweep.
 */
export function keyFigureDefinition(ref: Reference, protectionVersion: number): string {
  const dialect = new PgDialect();
  const today = '2000-01-01';
  const text = [
    JSON.stringify(INDICATORS),
    ...workingTables(ref, today, today).map(([, q]) => dialect.sqlToQuery(q).sql),
    ...indicatorQueries(ref).map((q) => dialect.sqlToQuery(figuresOf(q, false)).sql),
    JSON.stringify([...paragraphSteps(ref)]),
    String(protectionVersion),
  ].join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
