import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { and, asc, desc, eq, max, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AuditResource } from '../../../shared/enums';
import {
  type AnswerValue,
  type QuestionnaireDefinition,
  type questionnaireCreateBody,
  questionnaireDefinition,
  type questionnaireUpdateBody,
  type quoteBody,
  type roundCreateBody,
  type roundUpdateBody,
  SURVEY_ROLES,
  type SurveyRole,
} from '../../../shared/survey';
import type { SurveyReport } from '../../../shared/survey-report';
import {
  surveyLinks,
  surveyParticipants,
  surveyQuestionnaires,
  surveyQuotes,
  surveyResponses,
  surveyRounds,
} from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { type Change, conflict, notFound, Problem, unprocessable } from '../../platform/errors';
import { queueMail } from '../../platform/mail';
import { ownMunicipality, rowsOf, type Tx } from '../../platform/tenancy';
import { parseAnswerCsv } from './survey.csv';
import { directorMail, respondentMail } from './survey.mail';
import { buildReport } from './survey.report';
import { directorUrl, hashToken, newLinkToken, type Sealer } from './survey.tokens';

export interface SurveyDeps {
  publicUrl: string;
  sealer: Sealer;
  /** Today in Denmark (YYYY-MM-DD): rounds open and close by date. */
  today(): string;
}

/** The audit event of a survey administrator's change. */
const managed = (
  tx: Tx,
  ctx: AuditContext,
  action: 'create' | 'update' | 'delete',
  resourceType: AuditResource,
  resourceId: string,
  criteria?: Record<string, unknown>,
) =>
  audit(tx, ctx, { action, policy: 'survey.manage', resourceType, resourceId, criteria: criteria ?? null });

// ---- templates ----

const TEMPLATES_DIR = path.resolve(import.meta.dirname, '../../../../data/survey/templates');

export interface Template {
  key: string;
  definition: QuestionnaireDefinition;
}

let templateCache: Template[] | null = null;
/** The shipped templates (data/survey/templates), checked against the questionnaire schema. */
export function templates(): Template[] {
  templateCache ??= readdirSync(TEMPLATES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      key: f.replace(/\.json$/, ''),
      definition: questionnaireDefinition.parse(
        JSON.parse(readFileSync(path.join(TEMPLATES_DIR, f), 'utf8')),
      ),
    }));
  return templateCache;
}

// ---- questionnaires ----

export function listQuestionnaires(tx: Tx) {
  return tx
    .select({
      id: surveyQuestionnaires.id,
      key: surveyQuestionnaires.key,
      version: surveyQuestionnaires.version,
      title: surveyQuestionnaires.title,
      status: surveyQuestionnaires.status,
      copiedFrom: surveyQuestionnaires.copiedFrom,
      updatedAt: surveyQuestionnaires.updatedAt,
    })
    .from(surveyQuestionnaires)
    .orderBy(asc(surveyQuestionnaires.key), desc(surveyQuestionnaires.version));
}

export async function getQuestionnaire(tx: Tx, id: string) {
  const [q] = await tx.select().from(surveyQuestionnaires).where(eq(surveyQuestionnaires.id, id));
  return q ? { ...q, definition: q.definition as QuestionnaireDefinition } : null;
}

/** A copy of a template or of a questionnaire, as a new draft version under the same key. */
export async function createQuestionnaire(
  tx: Tx,
  ctx: AuditContext,
  body: z.infer<typeof questionnaireCreateBody>,
) {
  let key: string;
  let definition: QuestionnaireDefinition;
  let copiedFrom: string;
  if (body.template) {
    const t = templates().find((x) => x.key === body.template);
    if (!t)
      throw unprocessable('unknown_template', 'Skabelonen findes ikke.', [
        { field: 'template', message: 'Vælg en skabelon', code: 'invalid' },
      ]);
    ({ key, definition } = t);
    copiedFrom = `skabelon:${t.key}`;
  } else if (body.copyOf) {
    const q = await getQuestionnaire(tx, body.copyOf);
    if (!q) throw notFound('Spørgeskemaet');
    ({ key, definition } = q);
    copiedFrom = `${q.key} v${q.version}`;
  } else {
    throw unprocessable('source_missing', 'Vælg en skabelon eller et skema at kopiere.', [
      { field: 'template', message: 'Vælg en skabelon', code: 'required' },
    ]);
  }
  if (body.title) definition = { ...definition, title: body.title };
  const [{ v } = { v: 0 }] = await tx
    .select({ v: max(surveyQuestionnaires.version) })
    .from(surveyQuestionnaires)
    .where(eq(surveyQuestionnaires.key, key));
  const [q] = await tx
    .insert(surveyQuestionnaires)
    .values({
      municipalityId: ctx.actor.municipalityId,
      key,
      version: (v ?? 0) + 1,
      title: definition.title,
      definition,
      copiedFrom,
    })
    .returning();
  await managed(tx, ctx, 'create', 'survey_questionnaire', q!.id);
  return q!;
}

export async function updateQuestionnaire(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  body: z.infer<typeof questionnaireUpdateBody>,
): Promise<Change<typeof surveyQuestionnaires.$inferSelect>> {
  const [current] = await tx.select().from(surveyQuestionnaires).where(eq(surveyQuestionnaires.id, id));
  if (!current) return { notFound: true };
  if (current.status === 'frozen')
    throw conflict(
      'questionnaire_frozen',
      'Skemaet er brugt i en runde og kan ikke ændres. Lav en ny version.',
    );
  const [q] = await tx
    .update(surveyQuestionnaires)
    .set({
      definition: body.definition,
      title: body.definition.title,
      rowVersion: sql`${surveyQuestionnaires.rowVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(surveyQuestionnaires.id, id), eq(surveyQuestionnaires.rowVersion, body.version)))
    .returning();
  if (!q) return { conflict: current };
  await managed(tx, ctx, 'update', 'survey_questionnaire', id);
  return { ok: q };
}

// ---- rounds ----

/** Rounds the actor's organisation runs, and rounds its municipality takes part in. */
export async function listRounds(tx: Tx, ctx: AuditContext) {
  const rows = await tx
    .select({
      id: surveyRounds.id,
      title: surveyRounds.title,
      status: surveyRounds.status,
      opensOn: surveyRounds.opensOn,
      closesOn: surveyRounds.closesOn,
      closedAt: surveyRounds.closedAt,
      owner: surveyRounds.municipalityId,
    })
    .from(surveyRounds)
    .orderBy(desc(surveyRounds.opensOn), asc(surveyRounds.title));
  return rows.map(({ owner, ...r }) => ({ ...r, own: owner === ctx.actor.municipalityId }));
}

export async function loadRound(tx: Tx, id: string) {
  const [r] = await tx.select().from(surveyRounds).where(eq(surveyRounds.id, id));
  return r ?? null;
}

/** A round the actor's organisation runs (others' rounds are 404: they may only read results). */
async function ownRound(tx: Tx, ctx: AuditContext, id: string) {
  const r = await loadRound(tx, id);
  if (!r || r.municipalityId !== ctx.actor.municipalityId) throw notFound('Runden');
  return r;
}

export async function createRound(
  tx: Tx,
  ctx: AuditContext,
  deps: SurveyDeps,
  body: z.infer<typeof roundCreateBody>,
) {
  const q = await getQuestionnaire(tx, body.questionnaireId);
  if (!q)
    throw unprocessable('invalid_questionnaire', 'Spørgeskemaet findes ikke.', [
      { field: 'questionnaireId', message: 'Vælg et spørgeskema', code: 'invalid_link' },
    ]);
  const codes = body.participants.map((p) => p.code);
  // Only the national agency asks other municipalities; a municipality may run a round about itself alone.
  const own = await ownMunicipality(tx);
  if (own.kind !== 'national_agency' && codes.some((c) => c !== own.code))
    throw unprocessable('participants_not_allowed', 'Kun styrelsen kan åbne en runde for andre kommuner.', [
      {
        field: 'participants',
        message: `En kommune kan kun spørge sig selv (${own.code})`,
        code: 'participants_not_allowed',
      },
    ]);
  const dup = codes.find((c, i) => codes.indexOf(c) !== i);
  if (dup)
    throw unprocessable('duplicate_participant', `Kommune ${dup} er med to gange.`, [
      { field: 'participants', message: `Kommune ${dup} er med to gange`, code: 'duplicate' },
    ]);
  if (q.status === 'draft')
    await tx.update(surveyQuestionnaires).set({ status: 'frozen' }).where(eq(surveyQuestionnaires.id, q.id));
  const tenants = new Map(
    rowsOf<{ code: string; id: string }>(
      await tx.execute(
        sql`select code, id from municipality_ids_by_code(array[${sql.join(
          codes.map((c) => sql`${c}`),
          sql`, `,
        )}]::text[])`,
      ),
    ).map((r) => [r.code, r.id]),
  );
  const [round] = await tx
    .insert(surveyRounds)
    .values({
      municipalityId: ctx.actor.municipalityId,
      questionnaireId: q.id,
      title: body.title,
      opensOn: body.opensOn,
      closesOn: body.closesOn,
      participantIds: [...new Set(tenants.values())],
    })
    .returning();
  const directorLinks: { code: string; name: string; url: string; mailed: boolean }[] = [];
  for (const p of body.participants) {
    const token = newLinkToken();
    await tx.insert(surveyParticipants).values({
      municipalityId: ctx.actor.municipalityId,
      roundId: round!.id,
      code: p.code,
      name: p.name,
      participantMunicipalityId: tenants.get(p.code) ?? null,
      contactEmail: p.contactEmail ?? null,
      directorTokenHash: hashToken(token),
      directorTokenSealed: deps.sealer.seal(token),
    });
    if (p.contactEmail)
      await queueMail(tx, ctx.actor.municipalityId, {
        to: p.contactEmail,
        ...directorMail(deps.publicUrl, round!, p.name, token),
      });
    directorLinks.push({
      code: p.code,
      name: p.name,
      url: directorUrl(deps.publicUrl, token),
      mailed: !!p.contactEmail,
    });
  }
  await managed(tx, ctx, 'create', 'survey_round', round!.id, { participants: codes.length });
  return { round: round!, directorLinks };
}

/** Response counts per municipality and role (never answers), for the owner or a participant's contact. */
export async function roundProgress(tx: Tx, roundId: string) {
  const participants = await tx
    .select({
      id: surveyParticipants.id,
      code: surveyParticipants.code,
      name: surveyParticipants.name,
      contactEmail: surveyParticipants.contactEmail,
    })
    .from(surveyParticipants)
    .where(eq(surveyParticipants.roundId, roundId))
    .orderBy(asc(surveyParticipants.name));
  const counts = await tx
    .select({
      participantId: surveyLinks.participantId,
      role: surveyLinks.role,
      status: surveyLinks.status,
      n: sql<number>`count(*)::int`,
    })
    .from(surveyLinks)
    .where(eq(surveyLinks.roundId, roundId))
    .groupBy(surveyLinks.participantId, surveyLinks.role, surveyLinks.status);
  return participants.map((p) => {
    const mine = counts.filter((c) => c.participantId === p.id);
    const byRole = SURVEY_ROLES.map((role) => {
      const of = (s: string) =>
        mine.filter((c) => c.role === role && c.status === s).reduce((a, c) => a + c.n, 0);
      const submitted = of('submitted');
      const draft = of('draft');
      return { role, links: submitted + draft + of('pending'), draft, submitted };
    });
    return {
      code: p.code,
      name: p.name,
      hasContact: !!p.contactEmail,
      byRole,
      links: byRole.reduce((a, r) => a + r.links, 0),
      submitted: byRole.reduce((a, r) => a + r.submitted, 0),
    };
  });
}

export async function roundDetail(tx: Tx, ctx: AuditContext, id: string) {
  const r = await loadRound(tx, id);
  if (!r) throw notFound('Runden');
  const own = r.municipalityId === ctx.actor.municipalityId;
  const q = own ? await getQuestionnaire(tx, r.questionnaireId) : null;
  const report = r.report as SurveyReport | null;
  await audit(tx, ctx, {
    action: 'read',
    policy: 'survey.progress',
    resourceType: 'survey_round',
    resourceId: id,
  });
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    opensOn: r.opensOn,
    closesOn: r.closesOn,
    closedAt: r.closedAt,
    version: r.version,
    own,
    questionnaire: q
      ? { id: q.id, key: q.key, version: q.version, title: q.title }
      : report
        ? { id: null, ...report.questionnaire }
        : null,
    progress: await roundProgress(tx, id),
    /** For the organisation running it: the pejlemærker (to attach quotes to) and the quotes so far. */
    pejlemaerker: q
      ? q.definition.themes.flatMap((t) => t.pejlemaerker.map((p) => ({ code: p.code, title: p.title })))
      : [],
    quotes: own ? await quotesOf(tx, id) : [],
  };
}

function quotesOf(tx: Tx, roundId: string) {
  return tx
    .select({
      id: surveyQuotes.id,
      pejlemaerke: surveyQuotes.pejlemaerke,
      roleLabel: surveyQuotes.roleLabel,
      text: surveyQuotes.text,
    })
    .from(surveyQuotes)
    .where(eq(surveyQuotes.roundId, roundId))
    .orderBy(asc(surveyQuotes.createdAt));
}

export async function updateRound(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  body: z.infer<typeof roundUpdateBody>,
): Promise<Change<typeof surveyRounds.$inferSelect>> {
  const r = await ownRound(tx, ctx, id);
  if (r.status === 'closed') throw conflict('round_closed', 'Runden er lukket og kan ikke ændres.');
  if (r.version !== body.version) return { conflict: r };
  if (body.closesOn && body.closesOn < r.opensOn)
    throw unprocessable('invalid_dates', 'Svarfristen ligger før start.', [
      { field: 'closesOn', message: 'Svarfristen ligger før start', code: 'invalid' },
    ]);
  let report: SurveyReport | undefined;
  if (body.status === 'closed') report = await computeReport(tx, r);
  const [u] = await tx
    .update(surveyRounds)
    .set({
      closesOn: body.closesOn ?? r.closesOn,
      ...(report ? { status: 'closed', report, closedAt: sql`now()` } : {}),
      version: sql`${surveyRounds.version} + 1`,
    })
    .where(eq(surveyRounds.id, id))
    .returning();
  await managed(
    tx,
    ctx,
    'update',
    'survey_round',
    id,
    report ? { closed: true, answers: report.responses.answers } : { closesOn: body.closesOn },
  );
  return { ok: u! };
}

/** The protected results of a round, from its answers (only the owner's transaction can read them). */
async function computeReport(tx: Tx, round: typeof surveyRounds.$inferSelect): Promise<SurveyReport> {
  const q = (await getQuestionnaire(tx, round.questionnaireId))!;
  const participants = await tx
    .select({ id: surveyParticipants.id, code: surveyParticipants.code, name: surveyParticipants.name })
    .from(surveyParticipants)
    .where(eq(surveyParticipants.roundId, round.id))
    .orderBy(asc(surveyParticipants.code));
  const responses = await tx
    .select({
      municipalityCode: surveyResponses.participantCode,
      role: surveyResponses.role,
      answers: surveyResponses.answers,
    })
    .from(surveyResponses)
    .where(eq(surveyResponses.roundId, round.id));
  const invited = await tx
    .select({
      participantId: surveyLinks.participantId,
      role: surveyLinks.role,
      links: sql<number>`count(*)::int`,
    })
    .from(surveyLinks)
    .where(eq(surveyLinks.roundId, round.id))
    .groupBy(surveyLinks.participantId, surveyLinks.role);
  const codeOf = new Map(participants.map((p) => [p.id, p.code]));
  return buildReport({
    questionnaire: { key: q.key, version: q.version, definition: q.definition },
    participants,
    responses: responses.map((r) => ({
      municipalityCode: r.municipalityCode,
      role: r.role as SurveyRole,
      answers: r.answers as Record<string, AnswerValue>,
    })),
    invited: invited.map((i) => ({
      municipalityCode: codeOf.get(i.participantId)!,
      role: i.role as SurveyRole,
      links: i.links,
    })),
  });
}

/** Sends the link again to everyone who has not answered (and to directors who handed out no links). */
export async function remind(tx: Tx, ctx: AuditContext, deps: SurveyDeps, id: string) {
  const r = await ownRound(tx, ctx, id);
  if (r.status === 'closed') throw conflict('round_closed', 'Runden er lukket.');
  const names = new Map(
    (
      await tx
        .select({ id: surveyParticipants.id, name: surveyParticipants.name })
        .from(surveyParticipants)
        .where(eq(surveyParticipants.roundId, id))
    ).map((p) => [p.id, p.name]),
  );
  const open = await tx
    .select()
    .from(surveyLinks)
    .where(and(eq(surveyLinks.roundId, id), ne(surveyLinks.status, 'submitted')));
  let respondents = 0;
  for (const l of open) {
    if (!l.email || !l.tokenSealed) continue;
    const token = deps.sealer.open(l.tokenSealed);
    await queueMail(tx, ctx.actor.municipalityId, {
      to: l.email,
      ...respondentMail(
        deps.publicUrl,
        r,
        names.get(l.participantId) ?? '',
        l.role as SurveyRole,
        token,
        true,
      ),
    });
    await tx
      .update(surveyLinks)
      .set({ reminders: l.reminders + 1, remindedAt: sql`now()` })
      .where(eq(surveyLinks.id, l.id));
    respondents++;
  }
  // Directors who have handed out no link yet get theirs again.
  const silent = await tx
    .select()
    .from(surveyParticipants)
    .where(
      and(
        eq(surveyParticipants.roundId, id),
        sql`${surveyParticipants.contactEmail} is not null`,
        sql`not exists (select 1 from survey_links l where l.participant_id = ${surveyParticipants.id})`,
      ),
    );
  for (const p of silent)
    await queueMail(tx, ctx.actor.municipalityId, {
      to: p.contactEmail!,
      ...directorMail(deps.publicUrl, r, p.name, deps.sealer.open(p.directorTokenSealed)),
      kind: 'survey_reminder',
      subject: `Påmindelse: ${r.title}`,
    });
  await managed(tx, ctx, 'update', 'survey_round', id, { reminders: respondents, directors: silent.length });
  return { respondents, directors: silent.length };
}

// ---- quotes ----

export async function addQuote(tx: Tx, ctx: AuditContext, roundId: string, body: z.infer<typeof quoteBody>) {
  const r = await ownRound(tx, ctx, roundId);
  const q = (await getQuestionnaire(tx, r.questionnaireId))!;
  const codes = q.definition.themes.flatMap((t) => t.pejlemaerker.map((p) => p.code));
  if (!codes.includes(body.pejlemaerke))
    throw unprocessable('unknown_pejlemaerke', 'Pejlemærket findes ikke i skemaet.', [
      { field: 'pejlemaerke', message: 'Vælg et pejlemærke', code: 'invalid' },
    ]);
  const [row] = await tx
    .insert(surveyQuotes)
    .values({
      municipalityId: ctx.actor.municipalityId,
      roundId,
      pejlemaerke: body.pejlemaerke,
      roleLabel: body.role,
      text: body.text,
      createdBy: ctx.actor.userId,
    })
    .returning();
  await managed(tx, ctx, 'create', 'survey_quote', row!.id);
  return row!;
}

export async function deleteQuote(tx: Tx, ctx: AuditContext, roundId: string, quoteId: string) {
  await ownRound(tx, ctx, roundId);
  const [row] = await tx
    .delete(surveyQuotes)
    .where(and(eq(surveyQuotes.id, quoteId), eq(surveyQuotes.roundId, roundId)))
    .returning({ id: surveyQuotes.id });
  if (!row) throw notFound('Citatet');
  await managed(tx, ctx, 'delete', 'survey_quote', quoteId);
}

// ---- results ----

export interface ReportView {
  round: {
    id: string;
    title: string;
    opensOn: string;
    closesOn: string;
    closedAt: Date | null;
    own: boolean;
  };
  report: SurveyReport;
  /** The viewer's own municipality, when it took part. */
  own: SurveyReport['municipalities'][number] | null;
  /** The viewer's municipality in its previous round of the same questionnaire. */
  previous: {
    roundId: string;
    title: string;
    own: SurveyReport['municipalities'][number] | null;
    national: SurveyReport['pejlemaerker'];
  } | null;
  quotes: { id: string; pejlemaerke: string; roleLabel: string; text: string }[];
}

/**
 * The protected results of a closed round. The organisation that ran it sees the national picture and
 * every municipality's protected figures; a participating municipality sees the national picture and its
 * own, with its change since its previous round.
 */
export async function reportView(
  tx: Tx,
  ctx: AuditContext,
  roundId: string,
  code: string | null,
): Promise<ReportView> {
  const r = await loadRound(tx, roundId);
  if (!r) throw notFound('Runden');
  if (r.status !== 'closed' || !r.report)
    throw conflict('round_open', 'Resultaterne vises, når runden er lukket.');
  const report = r.report as SurveyReport;
  const own = r.municipalityId === ctx.actor.municipalityId;
  const mine = report.municipalities.find((m) => m.code === code) ?? null;
  const shown: SurveyReport = own ? report : { ...report, municipalities: mine ? [mine] : [] };
  const quotes = await quotesOf(tx, roundId);
  const [prev] = await tx
    .select({ id: surveyRounds.id, title: surveyRounds.title, report: surveyRounds.report })
    .from(surveyRounds)
    .where(
      and(
        eq(surveyRounds.status, 'closed'),
        sql`${surveyRounds.report}->'questionnaire'->>'key' = ${report.questionnaire.key}`,
        sql`${surveyRounds.closedAt} < ${r.closedAt!.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(desc(surveyRounds.closedAt))
    .limit(1);
  const prevReport = prev?.report as SurveyReport | undefined;
  await audit(tx, ctx, {
    action: 'read',
    policy: 'survey.results',
    resourceType: 'survey_report',
    resourceId: roundId,
  });
  return {
    round: { id: r.id, title: r.title, opensOn: r.opensOn, closesOn: r.closesOn, closedAt: r.closedAt, own },
    report: shown,
    own: mine,
    previous: prev
      ? {
          roundId: prev.id,
          title: prev.title,
          own: prevReport!.municipalities.find((m) => m.code === code) ?? null,
          national: prevReport!.pejlemaerker,
        }
      : null,
    quotes,
  };
}

// ---- import ----

/**
 * Loads answers from CSV (one row per respondent) into an open round: every row is checked, and if any row
 * fails nothing is imported and every failing row is reported.
 */
export async function importAnswers(tx: Tx, ctx: AuditContext, roundId: string, csv: string) {
  const r = await ownRound(tx, ctx, roundId);
  if (r.status === 'closed') throw conflict('round_closed', 'Runden er lukket.');
  const q = (await getQuestionnaire(tx, r.questionnaireId))!;
  const participants = await tx
    .select({ code: surveyParticipants.code })
    .from(surveyParticipants)
    .where(eq(surveyParticipants.roundId, roundId));
  const parsed = parseAnswerCsv(csv, q.definition, new Set(participants.map((p) => p.code)));
  if (parsed.errors.length)
    throw new Problem(422, 'import_invalid', `${parsed.errors.length} fejl: intet er indlæst.`, {
      rows: parsed.errors,
    });
  if (parsed.rows.length)
    await tx.insert(surveyResponses).values(
      parsed.rows.map((row) => ({
        municipalityId: ctx.actor.municipalityId,
        roundId,
        participantCode: row.municipalityCode,
        role: row.role,
        answers: row.answers,
        source: 'import',
      })),
    );
  await managed(tx, ctx, 'create', 'survey_import', roundId, { rows: parsed.rows.length });
  return { imported: parsed.rows.length };
}
