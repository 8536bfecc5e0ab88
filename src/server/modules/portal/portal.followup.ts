import { asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { AnswerError, scoreAnswers } from '../../../shared/domain/instruments';
import type { PortalMeasurementCreate, PortalPreparationSave } from '../../../shared/schemas';
import {
  followUpPreparations,
  followUpRatings,
  followUps,
  goals,
  measurements,
  municipalityInstruments,
} from '../../db/schema';
import { auditCitizen, type PortalAuditContext } from '../../platform/audit';
import { conflict, unprocessable } from '../../platform/errors';
import { inOrder, type Tx } from '../../platform/tenancy';
import { usable } from '../outcomes/measures.service';
import type { Reference } from '../reference/reference';

/**
 * Før opfølgningen and Sådan går det (issue 14): the citizen prepares a follow-up on their own device —
 * what they want to talk about, their own GAS level for each goal, WHO-5 (and ORS where licensed) — and
 * follows their measures and ratings over time. Everything is recorded with the informant "Borger" and no
 * staff author, and staff see it at the follow-up. Runs as retning_citizen: RLS confines it to the citizen.
 */

/** The KL informant code for the citizen themselves. */
function citizenInformant(ref: Reference) {
  const kl = ref.current('kl-caresocial');
  const code = ref.ofKind(kl.key, 'informant').find((c) => c.display === 'Borger');
  if (!code) throw new Error('the KL informant list has no "Borger"');
  return { list: kl.key, code: code.code };
}

const OPEN = ['proposed', 'active'];

async function ratableGoals(tx: Tx) {
  // My own goals, and the goals worked on towards them that have a scale to rate on.
  return tx
    .select({
      id: goals.id,
      kind: goals.kind,
      title: goals.title,
      citizenGoalId: goals.citizenGoalId,
      gasLevels: goals.gasLevels,
    })
    .from(goals)
    .where(sql`${goals.status} in ('proposed','active') and ${goals.kind} in ('citizen_goal','intervention')`)
    .orderBy(asc(goals.createdAt), asc(goals.id));
}

async function instrumentsFor(tx: Tx, ref: Reference) {
  const enabled = new Set(
    (await tx.select({ key: municipalityInstruments.instrumentKey }).from(municipalityInstruments)).map(
      (r) => r.key,
    ),
  );
  return ref
    .currentInstrumentList()
    .filter((d) => (d.key === 'WHO-5' || d.key === 'ORS') && usable(d, enabled))
    .map((d) => ({ key: d.key, name: d.name, period: d.period, items: d.items, scale: d.scale }));
}

/** The open preparation, the goals to rate, and the questionnaires the citizen can fill in. */
export async function myPreparation(tx: Tx, ctx: PortalAuditContext, ref: Reference) {
  const [[prep], goalRows, instruments] = await inOrder([
    tx
      .select({
        topics: followUpPreparations.topics,
        ratings: followUpPreparations.ratings,
        version: followUpPreparations.version,
        updatedAt: followUpPreparations.updatedAt,
      })
      .from(followUpPreparations)
      .where(isNull(followUpPreparations.usedAt)),
    ratableGoals(tx),
    instrumentsFor(tx, ref),
  ] as const);
  auditCitizen(ctx, { action: 'read', resourceType: 'follow_up_preparation' });
  return {
    preparation: prep
      ? {
          topics: prep.topics,
          ratings: prep.ratings,
          version: prep.version,
          updatedAt: prep.updatedAt.toISOString(),
        }
      : null,
    goals: goalRows
      .filter((g) => g.kind === 'citizen_goal' || g.gasLevels)
      .map((g) => ({
        id: g.id,
        kind: g.kind,
        title: g.title,
        citizenGoalId: g.citizenGoalId,
        gasLevels: g.gasLevels,
      })),
    instruments,
  };
}

/** Saves what I want to talk about and my ratings; a stale base version overwrites nothing (409). */
export async function savePreparation(tx: Tx, ctx: PortalAuditContext, body: PortalPreparationSave) {
  const ratable = new Set((await ratableGoals(tx)).map((g) => g.id));
  const unknown = Object.keys(body.ratings).filter((id) => !ratable.has(id));
  if (unknown.length)
    throw unprocessable('invalid_goal', 'Et af målene findes ikke i din plan.', [
      { field: 'ratings', message: 'Ukendt mål', code: 'invalid_goal' },
    ]);
  const [current] = await tx
    .select({ id: followUpPreparations.id, version: followUpPreparations.version })
    .from(followUpPreparations)
    .where(isNull(followUpPreparations.usedAt));
  if ((current?.version ?? 0) !== body.baseVersion)
    throw conflict('version_conflict', 'Du har gemt fra et andet sted imens. Se den nye version.');
  if (current)
    await tx
      .update(followUpPreparations)
      .set({
        topics: body.topics,
        ratings: body.ratings,
        version: current.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(followUpPreparations.id, current.id));
  else
    await tx.insert(followUpPreparations).values({
      municipalityId: ctx.citizen.municipalityId,
      citizenId: ctx.citizen.citizenId,
      topics: body.topics,
      ratings: body.ratings,
    });
  auditCitizen(ctx, {
    action: current ? 'update' : 'create',
    resourceType: 'follow_up_preparation',
    criteria: { ratings: Object.keys(body.ratings).length },
  });
  return { version: (current?.version ?? 0) + 1 };
}

/** A questionnaire I filled in myself, scored by the instrument's definition, informant "Borger". */
export async function recordSelfMeasure(
  tx: Tx,
  ctx: PortalAuditContext,
  ref: Reference,
  body: PortalMeasurementCreate,
  today: string,
) {
  const available = await instrumentsFor(tx, ref);
  const def = available.some((i) => i.key === body.instrumentKey)
    ? ref.instrument(body.instrumentKey)
    : undefined;
  if (!def)
    throw unprocessable('measurement_invalid', 'Spørgeskemaet findes ikke her.', [
      { field: 'instrumentKey', message: 'Ukendt spørgeskema', code: 'invalid_code' },
    ]);
  let score: { raw: number; score: number };
  try {
    score = scoreAnswers(def, body.answers);
  } catch (e) {
    if (!(e instanceof AnswerError)) throw e;
    throw unprocessable('measurement_invalid', 'Besvarelsen har fejl.', [
      { field: `answers.${e.itemId}`, message: e.message, code: 'invalid_answer' },
    ]);
  }
  const informant = citizenInformant(ref);
  const [row] = await tx
    .insert(measurements)
    .values({
      municipalityId: ctx.citizen.municipalityId,
      citizenId: ctx.citizen.citizenId,
      serviceId: null,
      instrumentKey: def.key,
      instrumentVersion: def.version,
      administeredOn: today,
      informantList: informant.list,
      informantCode: informant.code,
      answers: body.answers,
      raw: score.raw.toFixed(2),
      score: score.score.toFixed(2),
      authorUserId: null,
    })
    .returning({ id: measurements.id });
  auditCitizen(ctx, {
    action: 'create',
    resourceType: 'measurement',
    resourceId: row!.id,
    criteria: { instrument: def.key },
  });
  return { id: row!.id, score: score.score };
}

/** Sådan går det: my measures over time and the GAS ratings of my goals at each follow-up. */
export async function myProgress(tx: Tx, ctx: PortalAuditContext, ref: Reference) {
  const informant = citizenInformant(ref);
  const [measureRows, ratingRows, goalRows] = await inOrder([
    tx
      .select({
        instrumentKey: measurements.instrumentKey,
        on: measurements.administeredOn,
        score: measurements.score,
        informantCode: measurements.informantCode,
      })
      .from(measurements)
      .orderBy(asc(measurements.administeredOn), asc(measurements.createdAt)),
    tx
      .select({
        goalId: followUpRatings.goalId,
        rater: followUpRatings.rater,
        score: followUpRatings.score,
        on: followUps.heldOn,
      })
      .from(followUpRatings)
      .innerJoin(followUps, eq(followUps.id, followUpRatings.followUpId))
      .orderBy(asc(followUps.heldOn)),
    tx
      .select({ id: goals.id, title: goals.title, kind: goals.kind, status: goals.status })
      .from(goals)
      .where(sql`${goals.kind} in ('citizen_goal','intervention')`)
      .orderBy(desc(goals.createdAt)),
  ] as const);
  auditCitizen(ctx, { action: 'read', resourceType: 'outcomes' });
  const instruments = [...new Set(measureRows.map((m) => m.instrumentKey))].map((key) => {
    const def = ref.instrument(key);
    return {
      key,
      name: def?.name ?? key,
      higherIsBetter: def?.higherIsBetter ?? true,
      min: def?.scoring.min ?? null,
      max: def?.scoring.max ?? null,
      cutoffs: def?.cutoffs.map((c) => ({ value: c.value, label: c.label, kind: c.kind })) ?? [],
      points: measureRows
        .filter((m) => m.instrumentKey === key)
        .map((m) => ({ on: m.on, score: Number(m.score), byMe: m.informantCode === informant.code })),
    };
  });
  const goalsRated = goalRows
    .map((g) => ({
      id: g.id,
      title: g.title,
      open: OPEN.includes(g.status),
      ratings: ratingRows
        .filter((r) => r.goalId === g.id)
        .map((r) => ({ on: r.on, rater: r.rater, score: r.score })),
    }))
    .filter((g) => g.ratings.length > 0);
  return { instruments, goals: goalsRated };
}
