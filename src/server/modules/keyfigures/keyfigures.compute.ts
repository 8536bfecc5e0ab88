import { type SQL, sql } from 'drizzle-orm';
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
   * and this the number of observations; for a duration (median days) the number of observations.
   */
  denominator: number | null;
}

/** Codes of the KL end reasons that mean the need is met ("Ikke yderligere behov …"). */
export function needMetReasons(ref: Reference): string[] {
  const list = ref.current('kl-caresocial').key;
  return ref
    .ofKind(list, 'end_reason')
    .filter((c) => c.display.startsWith('Ikke yderligere behov'))
    .map((c) => c.code);
}

const values = (rows: SQL[]) => sql.join(rows, sql`, `);

/**
 * Services that count (granted with a start date, active or ended), with their step on the ladder and
 * their monthly cost (a monthly price, or an hourly price × hours per week × 52 / 12), over [start, end]
 * with an open end running to `today`; and the calendar periods from `from` to `today`.
 */
function base(ref: Reference, from: IsoDate, today: IsoDate) {
  const list = ref.current('serviceloven').key;
  const steps = ref
    .ofKind(list, 'paragraph')
    .map((p) => sql`(${p.code}::text, ${Number(p.attrs.step)}::int)`);
  return sql`
    steps(paragraph, step) as (values ${values(steps)}),
    svc as (
      select s.id, s.citizen_id, s.paragraph_code, st.step, s.provider_unit_id, s.primary_target_group_code,
             s.status, s.start_on, least(coalesce(s.end_on, ${today}::date), ${today}::date) as end_on,
             s.end_reason_code,
             case s.price_unit when 'month' then s.price_amount
                               when 'hour' then s.price_amount * s.hours_per_week * 52 / 12 end as monthly
        from services s left join steps st on st.paragraph = s.paragraph_code
       where s.status in ('granted','active','ended') and s.start_on is not null and s.start_on <= ${today}::date
    ),
    months as (
      select generate_series(date_trunc('month', ${from}::date), date_trunc('month', ${today}::date), interval '1 month')::date as m
    ),
    periods as (
      select distinct kind, p_start, (p_start + len - interval '1 day')::date as p_end
        from months,
             lateral (values ('month', m, interval '1 month'),
                             ('quarter', date_trunc('quarter', m)::date, interval '3 months'),
                             ('year', date_trunc('year', m)::date, interval '1 year')) as x(kind, p_start, len)
    )`;
}

/** Each service once as a whole and once per breakdown it has a value for. */
const BREAKDOWN = sql`lateral (values ('', ''), ('paragraph', svc.paragraph_code), ('step', svc.step::text),
  ('unit', svc.provider_unit_id::text), ('target_group', svc.primary_target_group_code)) as b(breakdown, value)`;

/**
 * Citizens, new citizens, services ended because the need is met, spend, and from the life situation
 * (latest recorded at an assessment or follow-up by the period's end) the share in education or employment
 * and the share admitted to psychiatry in the last 12 months; goal attainment (the citizen's GAS T-score
 * per follow-up, summed, over the number of follow-ups) and the median days between follow-ups; for every
 * period.
 */
export async function computeKeyFigures(
  tx: Tx,
  ref: Reference,
  opts: { from: IsoDate; today: IsoDate },
): Promise<KeyFigureRow[]> {
  const needMet = needMetReasons(ref);
  const reasons = needMet.length ? values(needMet.map((c) => sql`${c}::text`)) : sql`null::text`;
  const rows = rowsOf<{
    indicator: string;
    kind: PeriodKind;
    p_start: string;
    breakdown: string;
    value: string | null;
    numerator: string | number;
    denominator: string | number | null;
  }>(
    await tx.execute(sql`
      with ${base(ref, opts.from, opts.today)},
      firsts as (
        select distinct on (citizen_id) * from svc order by citizen_id, start_on, id
      ),
      citizens as (
        select 'citizens' as indicator, p.kind, p.p_start, b.breakdown, b.value,
               count(distinct svc.citizen_id)::numeric as numerator, null::numeric as denominator
          from periods p join svc on svc.start_on <= p.p_end and svc.end_on >= p.p_start
          cross join ${BREAKDOWN}
         group by 1, 2, 3, 4, 5
      ),
      new_citizens as (
        select 'new_citizens', p.kind, p.p_start, b.breakdown, b.value,
               count(*)::numeric, null::numeric
          from periods p join firsts svc on svc.start_on between p.p_start and p.p_end
          cross join ${BREAKDOWN}
         group by 1, 2, 3, 4, 5
      ),
      ended as (
        select 'ended_need_met', p.kind, p.p_start, b.breakdown, b.value,
               count(*) filter (where svc.end_reason_code in (${reasons}))::numeric,
               count(*)::numeric
          from periods p join svc on svc.status = 'ended' and svc.end_on between p.p_start and p.p_end
          cross join ${BREAKDOWN}
         group by 1, 2, 3, 4, 5
      ),
      spend as (
        select 'spend', p.kind, p.p_start, b.breakdown, b.value,
               round(sum(svc.monthly * 12 / 365
                         * ((least(svc.end_on, p.p_end) - greatest(svc.start_on, p.p_start)) + 1)), 2),
               null::numeric
          from periods p join svc on svc.monthly is not null and svc.start_on <= p.p_end and svc.end_on >= p.p_start
          cross join ${BREAKDOWN}
         group by 1, 2, 3, 4, 5
      ),
      life as (
        select citizen_id, assessed_on as on_date, created_at, employment, admissions_12m
          from assessments where status = 'completed'
        union all
        select citizen_id, held_on, created_at, employment, admissions_12m from follow_ups
      ),
      situation as (
        select p.kind, p.p_start, svc.*, emp.employment, adm.admissions_12m
          from periods p join svc on svc.start_on <= p.p_end and svc.end_on >= p.p_start
          left join lateral (
            select l.employment from life l
             where l.citizen_id = svc.citizen_id and l.on_date <= p.p_end and l.employment is not null
             order by l.on_date desc, l.created_at desc limit 1) emp on true
          left join lateral (
            select l.admissions_12m from life l
             where l.citizen_id = svc.citizen_id and l.on_date <= p.p_end and l.admissions_12m is not null
             order by l.on_date desc, l.created_at desc limit 1) adm on true
      ),
      education_employment as (
        select 'education_employment', svc.kind, svc.p_start, b.breakdown, b.value,
               count(distinct svc.citizen_id) filter (where svc.employment in
                 ('ordinary_job','flex_or_special_terms','protected_employment','in_education'))::numeric,
               count(distinct svc.citizen_id) filter (where svc.employment is not null)::numeric
          from situation svc cross join ${BREAKDOWN}
         group by 1, 2, 3, 4, 5
      ),
      admission as (
        select 'psychiatric_admission', svc.kind, svc.p_start, b.breakdown, b.value,
               count(distinct svc.citizen_id) filter (where svc.admissions_12m > 0)::numeric,
               count(distinct svc.citizen_id) filter (where svc.admissions_12m is not null)::numeric
          from situation svc cross join ${BREAKDOWN}
         group by 1, 2, 3, 4, 5
      ),
      fu as (
        select f.id, f.held_on, f.created_at, f.service_id, svc.citizen_id, svc.paragraph_code, svc.step,
               svc.provider_unit_id, svc.primary_target_group_code,
               f.held_on - lag(f.held_on) over (partition by f.service_id order by f.held_on, f.created_at) as gap
          from follow_ups f join svc on svc.id = f.service_id
      ),
      gas as (
        select r.follow_up_id,
               (50 + 10 * sum(r.weight * r.score)
                 / sqrt(0.7 * sum(r.weight * r.weight) + 0.3 * sum(r.weight) ^ 2))::numeric as t
          from follow_up_ratings r where r.rater = 'citizen' group by r.follow_up_id
      ),
      gas_attainment as (
        select 'gas_attainment', p.kind, p.p_start, b.breakdown, b.value,
               round(sum(round(g.t, 1)), 1), count(*)::numeric
          from periods p join fu svc on svc.held_on between p.p_start and p.p_end
          join gas g on g.follow_up_id = svc.id
          cross join ${BREAKDOWN}
         group by 1, 2, 3, 4, 5
      ),
      follow_up_interval as (
        select 'follow_up_interval', p.kind, p.p_start, b.breakdown, b.value,
               percentile_cont(0.5) within group (order by svc.gap)::numeric, count(*)::numeric
          from periods p join fu svc on svc.gap is not null and svc.held_on between p.p_start and p.p_end
          cross join ${BREAKDOWN}
         group by 1, 2, 3, 4, 5
      )
      select u.indicator, u.kind, u.p_start::text as p_start, u.breakdown, u.value, u.numerator, u.denominator
        from (select * from citizens union all select * from new_citizens
              union all select * from ended union all select * from spend
              union all select * from education_employment union all select * from admission
              union all select * from gas_attainment union all select * from follow_up_interval)
          as u(indicator, kind, p_start, breakdown, value, numerator, denominator)`),
  );
  // Only the breakdowns the catalogue defines for each indicator.
  const allowed = new Map(INDICATORS.map((i) => [i.key, new Set<string>(['', ...i.breakdowns])]));
  return rows
    .filter((r) => r.value !== null && allowed.get(r.indicator)?.has(r.breakdown))
    .map((r) => ({
      indicator: r.indicator,
      periodKind: r.kind,
      periodStart: String(r.p_start).slice(0, 10),
      breakdown: r.breakdown,
      value: r.value ?? '',
      numerator: Number(r.numerator),
      denominator: r.denominator === null ? null : Number(r.denominator),
    }));
}
