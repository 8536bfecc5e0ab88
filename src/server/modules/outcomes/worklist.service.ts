import { sql } from 'drizzle-orm';
import { dueState } from '../../../shared/domain/cadence';
import { addDays } from '../../../shared/domain/dates';
import { type Administration, type SeriesFlags, seriesFlags } from '../../../shared/domain/instruments';
import { executeNamed } from '../../db/client';
import { type AuditContext, audit } from '../../platform/audit';
import { unitsWithRole } from '../../platform/policy';
import type { Tx } from '../../platform/tenancy';
import type { Reference } from '../reference/reference';

export interface WorklistRow {
  service_id: string;
  citizen_id: string;
  first_name: string;
  last_name: string;
  case_id: string;
  case_number: string;
  caseworker_name: string | null;
  paragraph_list: string;
  paragraph_code: string;
  ffb_list: string;
  ydelse_code: string;
  provider_unit_id: string;
  provider_name: string;
  next_follow_up_on: string;
  last_follow_up_on: string | null;
  cadence_kind: string;
  cadence_months: number | null;
  /** The provider's latest follow-up recommends ending the service (the caseworker decides). */
  end_recommended: boolean;
  end_reason_list: string | null;
  end_reason_code: string | null;
  /** The citizen's instrument scores (and answers, for item rules) in time order, for the outcome flags. */
  scores: { k: string; s: number; a: Record<string, number> | null }[] | null;
}

export const WORKLIST_HORIZON_DAYS = 60;

/**
 * Active services with a follow-up due within the horizon or overdue, or whose provider recommends ending
 * them, soonest first. "mine": the
 * caseworker's own cases; "units": the actor's authority units' cases and provider units' services.
 * Exported for bench:pathway.
 */
export function worklistQuery(q: {
  userId: string;
  authorityUnits: string[];
  providerUnits: string[];
  scope: 'mine' | 'units';
  until: string;
}) {
  // Unit lists travel as one array parameter, so the SQL text (and its prepared plan) never changes.
  const array = (ids: string[]) => `{${ids.join(',')}}`;
  const scope =
    q.scope === 'mine'
      ? sql`k.caseworker_id = ${q.userId}`
      : sql`(k.authority_unit_id = any(${array(q.authorityUnits)}::uuid[])
           or s.provider_unit_id = any(${array(q.providerUnits)}::uuid[]))`;
  return sql`
    select s.id as service_id, s.citizen_id, c.first_name, c.last_name, k.id as case_id, k.case_number,
           w.display_name as caseworker_name, s.paragraph_list, s.paragraph_code, s.ffb_list, s.ydelse_code,
           s.provider_unit_id, u.name as provider_name, s.next_follow_up_on::text, s.last_follow_up_on::text,
           s.cadence_kind, s.cadence_months, ms.scores, coalesce(lf.end_recommended, false) as end_recommended,
           lf.end_reason_list, lf.end_reason_code
      from services s
      join cases k on k.id = s.case_id
      join citizens c on c.id = s.citizen_id
      join org_units u on u.id = s.provider_unit_id
      left join users w on w.id = k.caseworker_id
      left join lateral (
        select json_agg(json_build_object('k', m.instrument_key, 's', m.score, 'a', m.answers)
                        order by m.instrument_key, m.administered_on, m.created_at) as scores
          from measurements m where m.citizen_id = s.citizen_id) ms on true
      left join lateral (
        select f.end_recommended, f.end_reason_list, f.end_reason_code from follow_ups f
         where f.service_id = s.id order by f.held_on desc, f.created_at desc limit 1) lf on true
     where s.status = 'active' and (s.next_follow_up_on <= ${q.until} or lf.end_recommended) and ${scope}
     order by s.next_follow_up_on, s.id
     limit 200`;
}

/** Due and overdue follow-ups, with outcome flags (deterioration, no change after three sessions). */
export async function worklist(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  scope: 'mine' | 'units',
  today: string,
) {
  const rows = await executeNamed<WorklistRow>(
    tx,
    `worklist_${scope}`,
    worklistQuery({
      userId: ctx.actor.userId,
      authorityUnits: unitsWithRole(ctx.actor, ['sagsbehandler', 'leder']),
      providerUnits: unitsWithRole(ctx.actor, ['udfoerer']),
      scope,
      until: addDays(today, WORKLIST_HORIZON_DAYS),
    }),
  );
  const citizenIds = [...new Set(rows.map((r) => r.citizen_id))];
  const flags = new Map<string, ({ instrument: string } & SeriesFlags)[]>();
  for (const r of rows) {
    if (flags.has(r.citizen_id)) continue;
    const series = new Map<string, Administration[]>();
    for (const x of r.scores ?? []) {
      const g = series.get(x.k) ?? [];
      g.push({ score: Number(x.s), answers: x.a });
      series.set(x.k, g);
    }
    const found: ({ instrument: string } & SeriesFlags)[] = [];
    for (const [key, g] of series) {
      // Scores are read by today's rules for the instrument (its current definition).
      const def = ref.instrument(key);
      if (!def) continue;
      const f = seriesFlags(def, g);
      if (Object.values(f).some(Boolean)) found.push({ instrument: key, ...f });
    }
    flags.set(r.citizen_id, found);
  }
  await audit(tx, ctx, {
    action: 'search',
    policy: 'case.read',
    resourceType: 'worklist',
    criteria: { scope, resultCount: rows.length, resultIds: citizenIds },
  });
  return rows.map((r) => ({
    serviceId: r.service_id,
    citizen: { id: r.citizen_id, name: `${r.first_name} ${r.last_name}` },
    case: { id: r.case_id, caseNumber: r.case_number, caseworkerName: r.caseworker_name },
    paragraph: r.paragraph_code,
    ydelse: ref.display(r.ffb_list, r.ydelse_code),
    provider: { id: r.provider_unit_id, name: r.provider_name },
    nextFollowUpOn: r.next_follow_up_on,
    lastFollowUpOn: r.last_follow_up_on,
    cadence: r.cadence_kind === 'close' ? { kind: 'close', months: r.cadence_months } : { kind: 'standard' },
    state: dueState(r.next_follow_up_on, today),
    flags: flags.get(r.citizen_id) ?? [],
    endRecommended: r.end_recommended
      ? { reason: r.end_reason_code ? ref.display(r.end_reason_list, r.end_reason_code) : null }
      : null,
  }));
}
