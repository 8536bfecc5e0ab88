import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { type Answers, checkAnswers, forRole, type SurveyRole } from '../../../shared/survey';
import { surveyLinks, surveyParticipants, surveyResponses } from '../../db/schema';
import { conflict, Problem, unprocessable } from '../../platform/errors';
import { queueMail } from '../../platform/mail';
import type { Tx } from '../../platform/tenancy';
import { respondentMail } from './survey.mail';
import { getQuestionnaire, loadRound, type SurveyDeps } from './survey.service';
import { hashToken, newLinkToken, respondentUrl } from './survey.tokens';

/**
 * Answering without an account: the link's token is the key. Every function runs in a transaction of the
 * organisation that owns the round (found from the token's hash by survey_token_owner()).
 */
export type LinkContext =
  | { kind: 'respondent'; link: typeof surveyLinks.$inferSelect }
  | { kind: 'director'; participant: typeof surveyParticipants.$inferSelect };

/** The link or director page a token opens, in the owner's transaction. */
export async function resolveToken(tx: Tx, token: string): Promise<LinkContext | null> {
  const h = hashToken(token);
  const [link] = await tx.select().from(surveyLinks).where(eq(surveyLinks.tokenHash, h));
  if (link) return { kind: 'respondent', link };
  const [participant] = await tx
    .select()
    .from(surveyParticipants)
    .where(eq(surveyParticipants.directorTokenHash, h));
  return participant ? { kind: 'director', participant } : null;
}

const linkGone = () => new Problem(404, 'link_invalid', 'Linket er ugyldigt eller er allerede brugt.');

async function answerableRound(tx: Tx, deps: SurveyDeps, roundId: string) {
  const r = (await loadRound(tx, roundId))!;
  if (r.status === 'closed' || deps.today() > r.closesOn)
    throw new Problem(409, 'round_closed', 'Svarfristen er overskredet; runden er lukket.');
  if (deps.today() < r.opensOn) throw new Problem(409, 'round_not_open', `Runden åbner ${r.opensOn}.`);
  return r;
}

async function respondentContext(tx: Tx, deps: SurveyDeps, token: string) {
  const c = await resolveToken(tx, token);
  if (c?.kind !== 'respondent' || c.link.status === 'submitted') throw linkGone();
  const round = await answerableRound(tx, deps, c.link.roundId);
  const q = (await getQuestionnaire(tx, round.questionnaireId))!;
  const [p] = await tx
    .select()
    .from(surveyParticipants)
    .where(eq(surveyParticipants.id, c.link.participantId));
  return { link: c.link, round, definition: q.definition, participant: p! };
}

export async function openLink(tx: Tx, deps: SurveyDeps, token: string) {
  const { link, round, definition, participant } = await respondentContext(tx, deps, token);
  const role = link.role as SurveyRole;
  return {
    round: { title: round.title, closesOn: round.closesOn },
    municipality: participant.name,
    role,
    questionnaire: forRole(definition, role),
    answers: (link.draft ?? {}) as Answers,
    status: link.status,
  };
}

function refuse(problems: { field: string; message: string; code: string }[]) {
  return unprocessable('answers_invalid', 'Nogle svar skal rettes.', problems);
}

export async function saveDraft(tx: Tx, deps: SurveyDeps, token: string, answers: Answers) {
  const { link, definition } = await respondentContext(tx, deps, token);
  const checked = checkAnswers(definition, link.role as SurveyRole, answers, false);
  if (checked.problems.length) throw refuse(checked.problems);
  await tx
    .update(surveyLinks)
    .set({ draft: checked.answers, status: 'draft' })
    .where(eq(surveyLinks.id, link.id));
  return { saved: Object.keys(checked.answers).length };
}

/**
 * Stores the answers with no link, no time and no identity, and closes the link: from here nothing ties
 * the link (or the e-mail it went to, which is erased) to the answers.
 */
export async function submit(tx: Tx, deps: SurveyDeps, token: string, answers: Answers) {
  const { link, definition, round, participant } = await respondentContext(tx, deps, token);
  const role = link.role as SurveyRole;
  const checked = checkAnswers(definition, role, answers, true);
  if (checked.problems.length) throw refuse(checked.problems);
  const [closed] = await tx
    .update(surveyLinks)
    .set({ status: 'submitted', draft: null, email: null, tokenSealed: null })
    .where(and(eq(surveyLinks.id, link.id), ne(surveyLinks.status, 'submitted')))
    .returning({ id: surveyLinks.id });
  if (!closed) throw linkGone();
  // Every row a transaction writes carries its id (xmin). Rewriting all links of the same municipality and
  // role here gives them all this transaction's id, so the answers' xmin points at the whole group, not at
  // the one link that answered (and a later answer from the group moves them all on again).
  await tx
    .update(surveyLinks)
    .set({ status: sql`${surveyLinks.status}` })
    .where(and(eq(surveyLinks.participantId, link.participantId), eq(surveyLinks.role, link.role)));
  await tx.insert(surveyResponses).values({
    municipalityId: round.municipalityId,
    roundId: round.id,
    participantCode: participant.code,
    role,
    answers: checked.answers,
    source: 'web',
  });
  return { submitted: true };
}

/** The director's page: the round, and the role links handed out so far (with their links again). */
export async function openDirector(tx: Tx, deps: SurveyDeps, token: string) {
  const c = await resolveToken(tx, token);
  if (c?.kind !== 'director') throw linkGone();
  const round = await answerableRound(tx, deps, c.participant.roundId);
  const links = await tx
    .select()
    .from(surveyLinks)
    .where(eq(surveyLinks.participantId, c.participant.id))
    .orderBy(asc(surveyLinks.createdAt));
  return {
    round: { title: round.title, closesOn: round.closesOn },
    municipality: c.participant.name,
    links: links.map((l) => ({
      id: l.id,
      role: l.role as SurveyRole,
      status: l.status,
      email: l.email,
      url: l.tokenSealed ? respondentUrl(deps.publicUrl, deps.sealer.open(l.tokenSealed)) : null,
    })),
  };
}

/** A new role link from the director's page; mailed when an address is given. */
export async function createRoleLink(
  tx: Tx,
  deps: SurveyDeps,
  token: string,
  role: SurveyRole,
  email: string | undefined,
) {
  const c = await resolveToken(tx, token);
  if (c?.kind !== 'director') throw linkGone();
  const round = await answerableRound(tx, deps, c.participant.roundId);
  const existing = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(surveyLinks)
    .where(eq(surveyLinks.participantId, c.participant.id));
  if ((existing[0]?.n ?? 0) >= 50) throw conflict('too_many_links', 'Der er allerede oprettet 50 links.');
  const t = newLinkToken();
  const [l] = await tx
    .insert(surveyLinks)
    .values({
      municipalityId: round.municipalityId,
      roundId: round.id,
      participantId: c.participant.id,
      participantMunicipalityId: c.participant.participantMunicipalityId,
      role,
      tokenHash: hashToken(t),
      tokenSealed: deps.sealer.seal(t),
      email: email ?? null,
    })
    .returning();
  if (email)
    await queueMail(tx, round.municipalityId, {
      to: email,
      ...respondentMail(deps.publicUrl, round, c.participant.name, role, t, false),
    });
  return {
    id: l!.id,
    role,
    status: l!.status,
    email: l!.email,
    url: respondentUrl(deps.publicUrl, t),
    ownerId: round.municipalityId,
  };
}
