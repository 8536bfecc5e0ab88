import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { addDays } from '../../../shared/domain/dates';
import {
  type AnswerValue,
  DONT_KNOW,
  itemsOf,
  type QuestionnaireDefinition,
  SCALES,
  SURVEY_ROLES,
  type SurveyRole,
} from '../../../shared/survey';
import { directorMail } from '../../modules/survey/survey.mail';
import { buildReport } from '../../modules/survey/survey.report';
import { templates } from '../../modules/survey/survey.service';
import { createSealer, hashToken, newLinkToken } from '../../modules/survey/survey.tokens';
import type { Db } from '../client';
import {
  mailOutbox,
  municipalities,
  orgUnits,
  roleAssignments,
  surveyLinks,
  surveyParticipants,
  surveyQuestionnaires,
  surveyResponses,
  surveyRounds,
  users,
} from '../schema';
import { asOwner } from './owner';
import { prng } from './random';

/** What survey links in the demo are made with: the server's secret and the address people use. */
export interface DemoLinks {
  sessionSecret: string;
  publicUrl: string;
}

/** The national agency: a tenant of its own that runs the national rounds. */
export const AGENCY = { code: 'SBST', name: 'Social- og Boligstyrelsen (demo)' };

/** How each role answered in the 2020 mapping (seed 004): 247 answers from 84 municipalities. */
const ROLE_SHARE: Record<SurveyRole, number> = {
  udvalgsformand: 30 / 84,
  direktoer: 61 / 84,
  centerchef: 45 / 84,
  myndighedschef: 55 / 84,
  driftschef: 56 / 84,
};
/** Roughly the report's averages per pejlemærke (0–5), so the demo looks like the mapping. */
const LEVEL: Record<string, number> = {
  rammevilkaar: 2.4,
  styringsgrundlag: 3.4,
  maalrettede_indsatser: 3.5,
  opfoelgning_paa_resultater: 3.6,
  strategi_og_maal: 3.6,
};

const participantsFor = (demo: { code: string; name: string }[], fictional: number) => [
  ...demo,
  ...Array.from({ length: fictional }, (_, i) => ({
    code: String(801 + i),
    name: `Eksempel Kommune ${801 + i}`,
  })),
];

/**
 * A larger municipality's management group: several centre, authority and operations managers answer, so
 * its own results clear the minimum group of 3 for most pejlemærker.
 */
const FULL_GROUP: Record<SurveyRole, number> = {
  udvalgsformand: 1,
  direktoer: 1,
  centerchef: 3,
  myndighedschef: 3,
  driftschef: 4,
};

/** Fictional answers for one round (demo seed and bench:survey): each municipality's roles answer around the pejlemærke's level. */
export function generateAnswers(
  def: QuestionnaireDefinition,
  codes: string[],
  rnd: () => number,
  lift: number,
  /** Municipalities whose whole management group answers (the demo's own, so its results can be shown). */
  fullGroup: ReadonlySet<string> = new Set(),
) {
  const responses: { municipalityCode: string; role: SurveyRole; answers: Record<string, AnswerValue> }[] =
    [];
  const invited: { municipalityCode: string; role: SurveyRole; links: number }[] = [];
  for (const code of codes) {
    const local = (rnd() - 0.5) * 1.2;
    const full = fullGroup.has(code);
    for (const role of SURVEY_ROLES) {
      const links = full
        ? FULL_GROUP[role]
        : rnd() < ROLE_SHARE[role] + 0.15
          ? role === 'driftschef' && rnd() < 0.3
            ? 2
            : 1
          : 0;
      if (!links) continue;
      invited.push({ municipalityCode: code, role, links });
      for (let k = 0; k < links; k++) {
        if (!full && rnd() > 0.85) continue; // not everyone answers
        const answers: Record<string, AnswerValue> = {};
        for (const { item, pejlemaerke } of itemsOf(def)) {
          if (!item.roles.includes(role) || rnd() < 0.05) continue;
          if (item.kind === 'degree' || item.kind === 'agreement') {
            if (rnd() < 0.06) {
              answers[item.code] = DONT_KNOW;
              continue;
            }
            const level = (LEVEL[pejlemaerke.code] ?? 3.8) + lift + local + (rnd() - 0.5) * 2;
            const score = Math.max(0, Math.min(5, item.reverse ? 5 - level : level));
            answers[item.code] = SCALES[item.kind][4 - Math.round((score * 4) / 5)]!.code;
          } else if (item.kind === 'choice') {
            const selected = item.options.filter(() => rnd() < (item.multiple ? 0.45 : 0)).map((o) => o.code);
            if (!item.multiple) selected.push(item.options[rnd() < 0.85 ? 0 : 1]!.code);
            if (selected.length) answers[item.code] = { selected };
          } else if (item.kind === 'number') {
            answers[item.code] = 2012 + Math.floor(rnd() * 9);
          }
        }
        responses.push({ municipalityCode: code, role, answers });
      }
    }
  }
  return { responses, invited };
}

/**
 * The demo's survey: the agency with its survey administrator, the 2020 and 2023 rounds (closed, with
 * fictional answers from 84 municipalities, Demo Kommune among them) and a 2026 round open now, whose
 * director link for Demo Kommune is in the demo outbox.
 */
export async function seedSurveyDemo(db: Db, passwordHash: string, links: DemoLinks, today: string) {
  const sealer = createSealer(links.sessionSecret);
  const agencyId = randomUUID();
  await asOwner(db, agencyId, async (tx) => {
    const inserted = await tx
      .insert(municipalities)
      .values({ id: agencyId, code: AGENCY.code, name: AGENCY.name, kind: 'national_agency' })
      .onConflictDoNothing({ target: municipalities.code })
      .returning({ id: municipalities.id });
    if (!inserted.length) return;
    const demo = await tx
      .select({ id: municipalities.id, code: municipalities.code, name: municipalities.name })
      .from(municipalities)
      .where(inArray(municipalities.code, ['999', '998']));
    const tenantOf = new Map(demo.map((m) => [m.code, m.id]));
    const unitId = randomUUID();
    await tx
      .insert(orgUnits)
      .values({ id: unitId, municipalityId: agencyId, name: 'Kortlægningsteamet', kind: 'team' });
    const userId = randomUUID();
    await tx.insert(users).values({
      id: userId,
      municipalityId: agencyId,
      username: 'skemaadmin',
      displayName: 'Birgitte Skov',
      passwordHash,
    });
    await tx
      .insert(roleAssignments)
      .values({ municipalityId: agencyId, userId, unitId, role: 'skemaadministrator' });

    const t2020 = templates().find((t) => t.key === 'kortlaegning-2020')!;
    const t2023 = templates().find((t) => t.key === 'principper-2023')!;
    const [q] = await tx
      .insert(surveyQuestionnaires)
      .values([
        {
          municipalityId: agencyId,
          key: t2020.key,
          version: 1,
          title: t2020.definition.title,
          definition: t2020.definition,
          status: 'frozen',
          copiedFrom: `skabelon:${t2020.key}`,
        },
        {
          municipalityId: agencyId,
          key: t2023.key,
          version: 1,
          title: t2023.definition.title,
          definition: t2023.definition,
          copiedFrom: `skabelon:${t2023.key}`,
        },
      ])
      .returning();
    const demoParticipants = demo.map((m) => ({ code: m.code, name: m.name }));
    const rnd = prng(2020);
    const insertRound = async (
      title: string,
      opensOn: string,
      closesOn: string,
      participants: { code: string; name: string; contactEmail?: string }[],
      closed: { lift: number } | null,
    ) => {
      const roundId = randomUUID();
      const generated = closed
        ? generateAnswers(
            t2020.definition,
            participants.map((p) => p.code),
            rnd,
            closed.lift,
            new Set(['999']),
          )
        : null;
      const report = generated
        ? await buildReport({
            questionnaire: { key: q!.key, version: q!.version, definition: t2020.definition },
            participants,
            responses: generated.responses,
            invited: generated.invited,
          })
        : null;
      await tx.insert(surveyRounds).values({
        id: roundId,
        municipalityId: agencyId,
        questionnaireId: q!.id,
        title,
        opensOn,
        closesOn,
        status: closed ? 'closed' : 'open',
        participantIds: participants.map((p) => tenantOf.get(p.code)).filter((x): x is string => !!x),
        report,
        closedAt: closed ? new Date(`${closesOn}T16:00:00Z`) : null,
      });
      const tokens = new Map<string, string>();
      const participantIds = new Map<string, string>();
      for (const p of participants) {
        const token = newLinkToken();
        const id = randomUUID();
        tokens.set(p.code, token);
        participantIds.set(p.code, id);
        await tx.insert(surveyParticipants).values({
          id,
          municipalityId: agencyId,
          roundId,
          code: p.code,
          name: p.name,
          participantMunicipalityId: tenantOf.get(p.code) ?? null,
          contactEmail: p.contactEmail ?? null,
          directorTokenHash: hashToken(token),
          directorTokenSealed: sealer.seal(token),
        });
      }
      if (generated) {
        // Closed rounds: the links as they ended (answered ones emptied), and the answers with no tie.
        const answered = new Map<string, number>();
        for (const r of generated.responses)
          answered.set(
            `${r.municipalityCode}:${r.role}`,
            (answered.get(`${r.municipalityCode}:${r.role}`) ?? 0) + 1,
          );
        const links = generated.invited.flatMap((i) =>
          Array.from({ length: i.links }, (_, k) => ({
            municipalityId: agencyId,
            roundId,
            participantId: participantIds.get(i.municipalityCode)!,
            participantMunicipalityId: tenantOf.get(i.municipalityCode) ?? null,
            role: i.role,
            tokenHash: hashToken(newLinkToken()),
            status: k < (answered.get(`${i.municipalityCode}:${i.role}`) ?? 0) ? 'submitted' : 'pending',
          })),
        );
        for (let k = 0; k < links.length; k += 500)
          await tx.insert(surveyLinks).values(links.slice(k, k + 500));
        const rows = generated.responses.map((r) => ({
          municipalityId: agencyId,
          roundId,
          participantCode: r.municipalityCode,
          role: r.role,
          answers: r.answers,
          source: 'import',
        }));
        for (let k = 0; k < rows.length; k += 500)
          await tx.insert(surveyResponses).values(rows.slice(k, k + 500));
      }
      return { round: { title, closesOn }, tokens };
    };
    await insertRound('Kortlægning 2020', '2020-01-13', '2020-02-14', participantsFor(demoParticipants, 82), {
      lift: 0,
    });
    await insertRound('Kortlægning 2023', '2023-02-06', '2023-03-10', participantsFor(demoParticipants, 82), {
      lift: 0.25,
    });
    const open = await insertRound(
      'Selvevaluering 2026',
      addDays(today, -7),
      addDays(today, 30),
      [
        { code: '999', name: 'Demo Kommune', contactEmail: 'direktoer@demo-kommune.dk' },
        { code: '998', name: 'Prøve Kommune' },
        ...participantsFor([], 10),
      ],
      null,
    );
    // Demo mode has no SMTP: the director's mail is in the outbox page, as if sent.
    const mail = directorMail(links.publicUrl, open.round, 'Demo Kommune', open.tokens.get('999')!);
    await tx.insert(mailOutbox).values({
      municipalityId: agencyId,
      kind: mail.kind,
      toAddress: 'direktoer@demo-kommune.dk',
      subject: mail.subject,
      body: mail.text,
      status: 'sent',
      attempts: 1,
      sentAt: new Date(),
    });
  });
}
