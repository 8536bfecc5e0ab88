import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import { NARRATIVE_KINDS, type NarrativeKind } from '../../../shared/enums';
import type { PortalWordsSave } from '../../../shared/schemas';
import {
  auditEvents,
  citizenNarratives,
  consents,
  logQuestions,
  municipalities,
  orgUnits,
  representations,
  roleAssignments,
  users,
} from '../../db/schema';
import {
  auditCitizen,
  CITIZEN_AUDIT_ROLE,
  type PortalAuditContext,
  REPRESENTATIVE_AUDIT_ROLE,
} from '../../platform/audit';
import { inOrder, rowsOf, type Tx } from '../../platform/tenancy';
import type { Reference } from '../reference/reference';

/**
 * What the citizen reads in the portal. Every query here runs as retning_citizen: row-level security, not a
 * WHERE clause, confines it to the citizen's own rows, and the column grants keep staff-only fields (the
 * professional assessment, notes, prices) out of reach. The queries name their columns: a column the role
 * may not read fails loudly instead of leaking.
 */

interface GoalRow {
  id: string;
  caseId: string;
  kind: string;
  parentGoalId: string | null;
  citizenGoalId: string | null;
  wordsOf: string;
  title: string;
  what: string;
  measure: string;
  dueOn: string | null;
  helpers: string;
  status: string;
  gasLevels: Record<string, string> | null;
}

const presentGoal = (g: GoalRow) => ({
  id: g.id,
  kind: g.kind,
  title: g.title,
  wordsOf: g.wordsOf,
  what: g.what || null,
  measure: g.measure || null,
  helpers: g.helpers || null,
  dueOn: g.dueOn,
  status: g.status,
  /** The goal's scale in words, so the citizen can rate it before a follow-up. */
  gasLevels: g.gasLevels,
});

interface PlanRows {
  me: { firstName: string; lastName: string; caseworkerId: string | null } | null;
  municipality: string | null;
  cases: {
    id: string;
    caseNumber: string;
    phase: string;
    authorityUnitId: string;
    caseworkerId: string | null;
    openedOn: string;
  }[];
  plans: {
    caseId: string;
    version: number;
    purpose: string;
    expectedDuration: string;
    housing: string;
    employment: string;
    personalHelp: string;
    treatment: string;
    aids: string;
    participants: { kind: string; name: string; responsibility: string }[];
    agreementOn: string | null;
    sharedAt: string | null;
  }[];
  goals: GoalRow[];
  services: {
    id: string;
    caseId: string;
    ffbList: string;
    ydelseCode: string;
    paragraphList: string;
    paragraphCode: string;
    providerUnitId: string;
    status: string;
    startOn: string | null;
    hoursPerWeek: string | number | null;
    nextFollowUpOn: string | null;
    agreedNextOn: string | null;
  }[];
  units: { id: string; name: string }[];
  staff: { id: string; name: string }[];
}

const OPEN_GOAL = new Set(['proposed', 'active']);
const CURRENT_SERVICE = new Set(['granted', 'active']);

/** Min plan: my current shared plan, my goals in their hierarchy, my services, next follow-up, contacts. */
export async function myPlan(tx: Tx, ctx: PortalAuditContext, ref: Reference) {
  // One statement, one round trip: every part is a subquery that row-level security confines to the
  // citizen (measured: eight statements in a row gave a third of the throughput; bench:portal).
  const [row] = rowsOf<PlanRows>(
    await tx.execute(sql`
      select
        (select json_build_object('firstName', c.first_name, 'lastName', c.last_name,
                                  'caseworkerId', c.responsible_caseworker_id)
           from citizens c) as me,
        (select m.name from municipalities m) as municipality,
        (select coalesce(json_agg(json_build_object(
            'id', k.id, 'caseNumber', k.case_number, 'phase', k.phase, 'authorityUnitId', k.authority_unit_id,
            'caseworkerId', k.caseworker_id, 'openedOn', k.opened_on) order by k.opened_on desc, k.case_number), '[]')
           from cases k) as cases,
        (select coalesce(json_agg(json_build_object(
            'caseId', p.case_id, 'version', p.version, 'purpose', p.purpose,
            'expectedDuration', p.expected_duration, 'housing', p.housing, 'employment', p.employment,
            'personalHelp', p.personal_help, 'treatment', p.treatment, 'aids', p.aids,
            'participants', p.participants, 'agreementOn', p.agreement_on, 'sharedAt', p.shared_at)
            order by p.version desc), '[]')
           from action_plans p) as plans,
        (select coalesce(json_agg(json_build_object(
            'id', g.id, 'caseId', g.case_id, 'kind', g.kind, 'parentGoalId', g.parent_goal_id,
            'citizenGoalId', g.citizen_goal_id, 'wordsOf', g.words_of, 'title', g.title, 'what', g.what,
            'measure', g.measure, 'dueOn', g.due_on, 'helpers', g.helpers, 'status', g.status,
            'gasLevels', g.gas_levels) order by g.created_at, g.id), '[]')
           from goals g) as goals,
        (select coalesce(json_agg(json_build_object(
            'id', s.id, 'caseId', s.case_id, 'ffbList', s.ffb_list, 'ydelseCode', s.ydelse_code,
            'paragraphList', s.paragraph_list, 'paragraphCode', s.paragraph_code,
            'providerUnitId', s.provider_unit_id, 'status', s.status, 'startOn', s.start_on,
            'hoursPerWeek', s.hours_per_week, 'nextFollowUpOn', s.next_follow_up_on,
            'agreedNextOn', s.agreed_next_on) order by s.start_on, s.id), '[]')
           from services s where s.status in ('granted', 'active')) as services,
        (select coalesce(json_agg(json_build_object('id', u.id, 'name', u.name)), '[]')
           from org_units u where u.id in (select authority_unit_id from cases
                                           union select provider_unit_id from services)) as units,
        (select coalesce(json_agg(json_build_object('id', u.id, 'name', u.display_name)), '[]')
           from users u where u.id in (select caseworker_id from cases
                                       union select responsible_caseworker_id from citizens)) as staff`),
  );
  const me = row?.me ?? null;
  const municipality = row?.municipality ?? null;
  const caseRows = row?.cases ?? [];
  const planRows = row?.plans ?? [];
  const goalRows = row?.goals ?? [];
  const serviceRows = row?.services ?? [];
  const unitRows = row?.units ?? [];
  const staffRows = row?.staff ?? [];
  if (!me) throw new Error('a citizen session without its citizen');
  const unitName = new Map(unitRows.map((u) => [u.id, u.name]));
  const staffName = new Map(staffRows.map((u) => [u.id, u.name]));
  const openCases = caseRows.filter((c) => c.phase !== 'closed');
  const openCaseIds = new Set(openCases.map((c) => c.id));
  const goalsOfCase = goalRows.filter((g) => openCaseIds.has(g.caseId));
  const childrenOf = (pick: (g: GoalRow) => boolean) => goalsOfCase.filter(pick).map(presentGoal);

  const plans = openCases.map((c) => {
    const plan = planRows.find((p) => p.caseId === c.id) ?? null;
    const caseGoals = goalsOfCase.filter((g) => g.caseId === c.id);
    const citizenGoals = caseGoals.filter((g) => g.kind === 'citizen_goal' && g.status !== 'cancelled');
    const interventionsOf = (cg: string) =>
      caseGoals
        .filter((g) => g.kind === 'intervention' && g.citizenGoalId === cg && g.status !== 'cancelled')
        .map((i) => ({
          ...presentGoal(i),
          subGoals: childrenOf(
            (g) => g.kind === 'sub' && g.parentGoalId === i.id && g.status !== 'cancelled',
          ),
        }));
    return {
      caseId: c.id,
      caseNumber: c.caseNumber,
      openedOn: c.openedOn,
      plan: plan && {
        version: plan.version,
        sharedAt: plan.sharedAt,
        agreementOn: plan.agreementOn,
        purpose: plan.purpose || null,
        expectedDuration: plan.expectedDuration || null,
        areas: {
          housing: plan.housing || null,
          employment: plan.employment || null,
          personalHelp: plan.personalHelp || null,
          treatment: plan.treatment || null,
          aids: plan.aids || null,
        },
        participants: plan.participants.map((p) => ({
          kind: p.kind,
          name: p.name,
          responsibility: p.responsibility,
        })),
      },
      /** My own goals first, each with what the municipality and the provider work on towards it. */
      myGoals: citizenGoals.map((cg) => ({
        ...presentGoal(cg),
        open: OPEN_GOAL.has(cg.status ?? ''),
        workedOnBy: interventionsOf(cg.id),
      })),
      purposes: childrenOf((g) => g.caseId === c.id && g.kind === 'purpose' && g.status !== 'cancelled'),
      /** Goals the municipality works on that are not tied to one of my own goals. */
      otherGoals: caseGoals
        .filter((g) => g.kind === 'intervention' && !g.citizenGoalId && g.status !== 'cancelled')
        .map((i) => ({
          ...presentGoal(i),
          subGoals: childrenOf(
            (g) => g.kind === 'sub' && g.parentGoalId === i.id && g.status !== 'cancelled',
          ),
        })),
    };
  });

  const current = serviceRows.filter((s) => CURRENT_SERVICE.has(s.status) && openCaseIds.has(s.caseId));
  const nextDates = current
    .flatMap((s) => [s.agreedNextOn ?? s.nextFollowUpOn])
    .filter((d): d is string => d !== null)
    .sort();
  const contacts = new Map<
    string,
    { role: 'caseworker' | 'provider'; name: string | null; unit: string | null }
  >();
  for (const c of openCases) {
    const caseworker = c.caseworkerId ?? me.caseworkerId;
    contacts.set(`cw:${caseworker ?? c.authorityUnitId}`, {
      role: 'caseworker',
      name: caseworker ? (staffName.get(caseworker) ?? null) : null,
      unit: unitName.get(c.authorityUnitId) ?? null,
    });
  }
  for (const s of current)
    contacts.set(`p:${s.providerUnitId}`, {
      role: 'provider',
      name: null,
      unit: unitName.get(s.providerUnitId) ?? null,
    });

  auditCitizen(ctx, { action: 'read', resourceType: 'portal_plan', criteria: { cases: openCases.length } });
  return {
    citizen: { firstName: me.firstName, lastName: me.lastName },
    municipality: { name: municipality ?? ctx.citizen.municipalityName },
    plans,
    services: current.map((s) => {
      const paragraph = ref.code(s.paragraphList, s.paragraphCode);
      return {
        id: s.id,
        what: ref.display(s.ffbList, s.ydelseCode) ?? s.ydelseCode,
        paragraph: paragraph?.display ?? s.paragraphCode,
        provider: unitName.get(s.providerUnitId) ?? null,
        status: s.status,
        hoursPerWeek: s.hoursPerWeek === null ? null : Number(s.hoursPerWeek),
        since: s.startOn,
      };
    }),
    nextFollowUpOn: nextDates[0] ?? null,
    contacts: [...contacts.values()],
  };
}

/** Who writes in the portal: the citizen, or a representative acting for them (marked as theirs). */
export const writtenAs = (ctx: PortalAuditContext) =>
  ctx.citizen.representative
    ? ({
        writtenBy: 'representative',
        representationId: ctx.citizen.representative.representationId,
      } as const)
    : ({ writtenBy: 'citizen', representationId: null } as const);

const narrativeColumns = {
  kind: citizenNarratives.kind,
  version: citizenNarratives.version,
  body: citizenNarratives.body,
  writtenBy: citizenNarratives.writtenBy,
  createdAt: citizenNarratives.createdAt,
};
type NarrativeVersion = { kind: string; version: number; body: string; writtenBy: string; createdAt: Date };

const presentVersion = (n: NarrativeVersion) => ({
  version: n.version,
  body: n.body,
  /** 'citizen': by me; 'representative': by someone acting for me; 'staff_on_behalf': by staff for me. */
  writtenBy: n.writtenBy,
  createdAt: n.createdAt.toISOString(),
});

/** Mine ord: my hopes, wishes and dreams and my resources, each with every earlier version. */
export async function myWords(tx: Tx, ctx: PortalAuditContext) {
  const rows = await tx
    .select(narrativeColumns)
    .from(citizenNarratives)
    .orderBy(asc(citizenNarratives.kind), desc(citizenNarratives.version));
  auditCitizen(ctx, {
    action: 'read',
    resourceType: 'citizen_narrative',
    criteria: { versions: rows.length },
  });
  return Object.fromEntries(
    NARRATIVE_KINDS.map((kind) => {
      const versions = rows.filter((r) => r.kind === kind).map(presentVersion);
      return [kind, { current: versions[0] ?? null, history: versions }];
    }),
  ) as Record<
    NarrativeKind,
    { current: ReturnType<typeof presentVersion> | null; history: ReturnType<typeof presentVersion>[] }
  >;
}

/**
 * Saves a new version of one of my texts, written by me. It must start from the version I read: if staff (or
 * I, on another device) saved one since, the answer is the current version and nothing is overwritten.
 */
export async function saveMyWords(
  tx: Tx,
  ctx: PortalAuditContext,
  kind: NarrativeKind,
  body: PortalWordsSave,
) {
  const [current] = await tx
    .select(narrativeColumns)
    .from(citizenNarratives)
    .where(eq(citizenNarratives.kind, kind))
    .orderBy(desc(citizenNarratives.version))
    .limit(1);
  const base = {
    action: 'update',
    resourceType: 'citizen_narrative',
    resourceId: `${ctx.citizen.citizenId}:${kind}`,
  } as const;
  if ((current?.version ?? 0) !== body.baseVersion) {
    auditCitizen(ctx, { ...base, outcome: 'error', criteria: { reason: 'version_conflict' } });
    return { conflict: current ? presentVersion(current) : null } as const;
  }
  await tx.insert(citizenNarratives).values({
    municipalityId: ctx.citizen.municipalityId,
    citizenId: ctx.citizen.citizenId,
    kind,
    version: body.baseVersion + 1,
    body: body.body,
    ...writtenAs(ctx),
    authorUserId: null,
  });
  auditCitizen(ctx, base);
  const [saved] = await tx
    .select(narrativeColumns)
    .from(citizenNarratives)
    .where(and(eq(citizenNarratives.kind, kind), eq(citizenNarratives.version, body.baseVersion + 1)));
  return { ok: presentVersion(saved!) } as const;
}

/** Min log: at most this many of the newest events are listed; the total is always given. */
const LOG_LIMIT = 1000;

/**
 * Min log: every lookup and change of my data that Retning audited — when, which organisation and unit, which
 * role, what, and the consent a partner relied on. Row-level security answers only events about me. Staff
 * names are shown when the municipality has chosen to show them.
 */
export async function myLog(tx: Tx, ctx: PortalAuditContext) {
  const [events, [counted], [settings], staff, grants, units, consentRows, questions, reps] = await inOrder([
    tx
      .select({
        id: auditEvents.id,
        at: auditEvents.occurredAt,
        actorUserId: auditEvents.actorUserId,
        actorRole: auditEvents.actorRole,
        action: auditEvents.action,
        resourceType: auditEvents.resourceType,
        criteria: auditEvents.criteria,
        outcome: auditEvents.outcome,
      })
      .from(auditEvents)
      .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
      .limit(LOG_LIMIT),
    tx.select({ total: count() }).from(auditEvents),
    tx
      .select({ showNames: municipalities.portalShowStaffNames, name: municipalities.name })
      .from(municipalities),
    tx.select({ id: users.id, name: users.displayName }).from(users),
    tx
      .select({ userId: roleAssignments.userId, unitId: roleAssignments.unitId, role: roleAssignments.role })
      .from(roleAssignments),
    tx.select({ id: orgUnits.id, name: orgUnits.name, kind: orgUnits.kind }).from(orgUnits),
    tx
      .select({ id: consents.id, purpose: consents.purpose, partnerUnitId: consents.partnerUnitId })
      .from(consents),
    tx
      .select({
        eventId: logQuestions.auditEventId,
        question: logQuestions.question,
        answer: logQuestions.answer,
        answeredAt: logQuestions.answeredAt,
      })
      .from(logQuestions),
    tx.select({ id: representations.id, name: representations.representativeName }).from(representations),
  ] as const);
  const repName = new Map(reps.map((r) => [r.id, r.name]));
  const questionOf = new Map(questions.map((q) => [q.eventId, q]));
  const total = counted?.total ?? 0;
  const staffName = new Map(staff.map((u) => [u.id, u.name]));
  const unit = new Map(units.map((u) => [u.id, u]));
  const consent = new Map(consentRows.map((c) => [c.id, c]));
  auditCitizen(ctx, { action: 'read', resourceType: 'audit_log', criteria: { total } });
  return {
    total,
    showsStaffNames: settings?.showNames ?? false,
    items: events.map((e) => {
      const byCitizen = e.actorUserId === null && e.actorRole === CITIZEN_AUDIT_ROLE;
      const byRepresentative = e.actorUserId === null && e.actorRole === REPRESENTATIVE_AUDIT_ROLE;
      const criteria = (e.criteria ?? {}) as { consentIds?: unknown; representationId?: unknown };
      const actorUnits = e.actorUserId
        ? grants
            .filter((g) => g.userId === e.actorUserId && g.role === e.actorRole)
            .map((g) => unit.get(g.unitId))
            .filter((u) => u !== undefined)
        : [];
      const consentIds = (criteria.consentIds ?? []) as string[];
      const reliedOn = Array.isArray(consentIds)
        ? consentIds.map((id) => consent.get(id)).filter(Boolean)
        : [];
      return {
        id: e.id,
        at: e.at.toISOString(),
        /** 'me', my representative, staff of the municipality, or a partner organisation. */
        who: byCitizen
          ? 'me'
          : byRepresentative
            ? 'representative'
            : actorUnits.some((u) => u.kind === 'partner')
              ? 'partner'
              : 'municipality',
        name: byRepresentative
          ? (repName.get(String(criteria.representationId)) ?? null)
          : !byCitizen && settings?.showNames && e.actorUserId
            ? (staffName.get(e.actorUserId) ?? null)
            : null,
        role: e.actorRole,
        organisation:
          byCitizen || byRepresentative || actorUnits.some((u) => u.kind === 'partner')
            ? null
            : (settings?.name ?? null),
        units: actorUnits.map((u) => u.name),
        action: e.action,
        resourceType: e.resourceType,
        outcome: e.outcome,
        consent: reliedOn.map((c) => ({ id: c!.id, purpose: c!.purpose })),
        /** "Det her forstår jeg ikke": my question about this event and the answer, if any. */
        question: (() => {
          const q = questionOf.get(e.id);
          return q
            ? { question: q.question, answer: q.answer, answeredAt: q.answeredAt?.toISOString() ?? null }
            : null;
        })(),
      };
    }),
  };
}
