import { sql } from 'drizzle-orm';
import { type LadderSegment, ladderSegments } from '../../../shared/domain/ladder';
import { executeNamed } from '../../db/client';
import { type AuditContext, audit } from '../../platform/audit';
import { can } from '../../platform/policy';
import type { Tx } from '../../platform/tenancy';
import { citizenAccessAllowed } from '../citizens/citizens.service';
import type { Reference } from '../reference/reference';
import { providerServiceIds } from './measures.service';

export interface TimelineRow {
  on: string;
  at: string;
  kind: string;
  id: string;
  case_id: string | null;
  service_id: string | null;
  data: Record<string, unknown>;
}

/**
 * Everything dated on a citizen's pathway in one query, newest first: case phases, completed assessments,
 * shared plan versions, service status changes, follow-ups (with their GAS ratings), measures, goal
 * changes and notes, and community offers started. Exported for bench:pathway.
 */
export const timelineQuery = (citizenId: string) => sql`
  select * from (
    select (e.created_at at time zone 'Europe/Copenhagen')::date::text as on, e.created_at::text as at, 'case_phase' as kind,
           e.id, e.case_id, null::uuid as service_id,
           json_build_object('caseNumber', c.case_number, 'from', e.from_phase, 'to', e.to_phase) as data
      from case_phase_events e join cases c on c.id = e.case_id where c.citizen_id = ${citizenId}
    union all
    select a.assessed_on::text, a.completed_at::text, 'assessment', a.id, a.case_id, null,
           json_build_object('kind', a.kind, 'list', a.ffb_list, 'supportNeed', a.support_need_code)
      from assessments a where a.citizen_id = ${citizenId} and a.status = 'completed'
    union all
    select (p.shared_at at time zone 'Europe/Copenhagen')::date::text, p.shared_at::text, 'plan_shared', p.id, p.case_id, null,
           json_build_object('version', p.version, 'offer', p.offer)
      from action_plans p where p.citizen_id = ${citizenId} and p.status = 'shared'
    union all
    select e.on::text, e.created_at::text, 'service_status', e.id, s.case_id, s.id,
           json_build_object('from', e.from_status, 'to', e.to_status, 'paragraphList', s.paragraph_list,
                             'paragraph', s.paragraph_code, 'ffbList', s.ffb_list, 'ydelse', s.ydelse_code, 'provider', u.name)
      from service_events e join services s on s.id = e.service_id join org_units u on u.id = s.provider_unit_id
     where s.citizen_id = ${citizenId}
    union all
    select f.held_on::text, f.created_at::text, 'follow_up', f.id, f.case_id, f.service_id,
           json_build_object('list', f.ffb_list, 'result', f.result_code, 'notes', left(f.notes, 300),
             'ratings', coalesce((select json_agg(json_build_object('rater', r.rater, 'score', r.score, 'weight', r.weight))
                                    from follow_up_ratings r where r.follow_up_id = f.id), '[]'::json))
      from follow_ups f where f.citizen_id = ${citizenId}
    union all
    select m.administered_on::text, m.created_at::text, 'measurement', m.id, null, m.service_id,
           json_build_object('instrument', m.instrument_key, 'version', m.instrument_version, 'score', m.score)
      from measurements m where m.citizen_id = ${citizenId}
    union all
    select (e.created_at at time zone 'Europe/Copenhagen')::date::text, e.created_at::text, 'goal_' || e.kind, e.id, g.case_id,
           coalesce(g.service_id, (select sg.service_id from service_goals sg where sg.goal_id = g.id limit 1)),
           json_build_object('goalId', g.id, 'goalKind', g.kind, 'title', g.title, 'status', e.snapshot->>'status',
                             'body', left(e.body, 300))
      from goal_events e join goals g on g.id = e.goal_id where g.citizen_id = ${citizenId}
    union all
    select l.started_on::text, l.updated_at::text, 'community', l.id, g.case_id, null,
           json_build_object('offer', o.name, 'status', l.status, 'goal', g.title)
      from goal_offer_links l join community_offers o on o.id = l.offer_id join goals g on g.id = l.goal_id
     where l.citizen_id = ${citizenId} and l.started_on is not null
  ) t order by t.on desc, t.at desc, t.id`;

/**
 * The step-down ladder from the service status changes on the timeline: a service runs from the day it
 * became active until the day it ended; its step is its paragraph's.
 */
export function ladderFromTimeline(ref: Reference, rows: TimelineRow[]): LadderSegment[] {
  const runs = new Map<string, { step: number; startOn: string | null; endOn: string | null }>();
  for (const r of rows) {
    if (r.kind !== 'service_status' || !r.service_id) continue;
    const d = r.data as { to: string; paragraphList: string; paragraph: string };
    const run = runs.get(r.service_id) ?? {
      step: (ref.code(d.paragraphList, d.paragraph)?.attrs.step as number | undefined) ?? 0,
      startOn: null,
      endOn: null,
    };
    if (d.to === 'active') run.startOn = r.on;
    if (d.to === 'ended') run.endOn = r.on;
    runs.set(r.service_id, run);
  }
  return ladderSegments([...runs.values()]);
}

/** The citizen's timeline; provider staff see what belongs to their own unit's services. */
export async function citizenTimeline(tx: Tx, ctx: AuditContext, ref: Reference, citizenId: string) {
  const citizen = await citizenAccessAllowed(tx, ctx, citizenId, 'citizen.read', 'read', 'timeline');
  if (!citizen) return null;
  const authority = can(ctx.actor, 'citizen.read', {
    type: 'citizen',
    unitIds: [citizen.responsibleUnitId],
  });
  const visible = authority ? null : await providerServiceIds(tx, ctx, citizenId);
  const rows = (await executeNamed<TimelineRow>(tx, 'timeline', timelineQuery(citizenId))).filter(
    (r) => !visible || (r.service_id !== null && visible.has(r.service_id)),
  );
  const ladder = ladderFromTimeline(ref, rows);
  await audit(tx, ctx, {
    action: 'read',
    policy: 'citizen.read',
    resourceType: 'timeline',
    resourceId: citizenId,
    citizenId,
    criteria: authority ? null : { scope: 'provider' },
  });
  return { citizen, rows, ladder };
}
