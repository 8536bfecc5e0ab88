import { and, asc, eq, inArray } from 'drizzle-orm';
import { gasTScore } from '../../../shared/domain/gas';
import {
  type Administration,
  AnswerError,
  classifyChange,
  type InstrumentDefinition,
  isClinical,
  scoreAnswers,
  seriesFlags,
} from '../../../shared/domain/instruments';
import type { MeasurementCreate } from '../../../shared/pathway';
import { followUpRatings, followUps, measurements, municipalityInstruments, services } from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { conflict, type FieldError, unprocessable } from '../../platform/errors';
import { can, unitsWithRole } from '../../platform/policy';
import type { Tx } from '../../platform/tenancy';
import { citizenAccessAllowed } from '../citizens/citizens.service';
import type { Reference } from '../reference/reference';
import { loadServiceAllowed } from '../services/services.service';

/** Licensed instruments the municipality has switched on (ORS, SRS). */
export async function enabledInstruments(tx: Tx): Promise<Set<string>> {
  const rows = await tx.select({ key: municipalityInstruments.instrumentKey }).from(municipalityInstruments);
  return new Set(rows.map((r) => r.key));
}

/** Instruments that can be administered here: free ones, and licensed ones the municipality switched on. */
export function usable(def: InstrumentDefinition, enabled: Set<string>) {
  return def.scoring.method === 'sum' && (!def.licence.required || enabled.has(def.key));
}

/**
 * Records an administration, scored by the instrument's definition. Through a service, its provider may
 * record; otherwise the caseworker.
 */
export async function recordMeasurement(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  citizenId: string,
  body: MeasurementCreate,
  today: string,
) {
  if (body.serviceId) {
    const found = await loadServiceAllowed(tx, ctx, body.serviceId, 'provide');
    if (!found || found.service.citizenId !== citizenId) return null;
  } else if (!(await citizenAccessAllowed(tx, ctx, citizenId, 'citizen.update', 'update', 'measurement'))) {
    return null;
  }
  const def = ref.instrument(body.instrumentKey);
  if (def?.scoring.method !== 'sum')
    throw unprocessable('measurement_invalid', 'Ukendt måleredskab.', [
      { field: 'instrumentKey', message: 'Vælg et måleredskab', code: 'invalid_code' },
    ]);
  if (!usable(def, await enabledInstruments(tx)))
    throw conflict('instrument_not_licensed', `${def.name} kræver licens, som kommunen ikke har slået til.`);
  const kl = ref.current('kl-caresocial').key;
  const errors: FieldError[] = [];
  if (!ref.codeOfKind(kl, body.informantCode, 'informant'))
    errors.push({ field: 'informantCode', message: 'Vælg hvem der har udfyldt', code: 'invalid_code' });
  if (body.administeredOn > today)
    errors.push({ field: 'administeredOn', message: 'Datoen ligger i fremtiden', code: 'future' });
  let score: { raw: number; score: number } | null = null;
  try {
    score = scoreAnswers(def, body.answers);
  } catch (e) {
    if (!(e instanceof AnswerError)) throw e;
    errors.push({ field: `answers.${e.itemId}`, message: e.message, code: 'invalid_answer' });
  }
  if (errors.length || !score) throw unprocessable('measurement_invalid', 'Besvarelsen har fejl.', errors);
  const [row] = await tx
    .insert(measurements)
    .values({
      municipalityId: ctx.actor.municipalityId,
      citizenId,
      serviceId: body.serviceId,
      instrumentKey: def.key,
      instrumentVersion: def.version,
      administeredOn: body.administeredOn,
      informantList: kl,
      informantCode: body.informantCode,
      answers: body.answers,
      raw: score.raw.toFixed(2),
      score: score.score.toFixed(2),
      authorUserId: ctx.actor.userId,
    })
    .returning();
  await audit(tx, ctx, {
    action: 'create',
    policy: body.serviceId ? 'service.provide' : 'citizen.update',
    resourceType: 'measurement',
    resourceId: row!.id,
    citizenId,
    criteria: { instrument: def.key },
  });
  return row!;
}

/** The citizen's services delivered by the actor's provider units. */
export async function providerServiceIds(tx: Tx, ctx: AuditContext, citizenId: string): Promise<Set<string>> {
  const units = unitsWithRole(ctx.actor, ['udfoerer']);
  if (!units.length) return new Set();
  const rows = await tx
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.citizenId, citizenId), inArray(services.providerUnitId, units)));
  return new Set(rows.map((r) => r.id));
}

export interface SeriesPoint {
  id: string;
  on: string;
  score: number;
  informant: string | null;
  change: string;
  clinical: boolean | null;
}

/**
 * Every instrument series of a citizen, charted over time with its cut-off and reliable-change band,
 * plus GAS T-scores per follow-up as rated by the citizen and by the professional.
 */
export async function citizenOutcomes(tx: Tx, ctx: AuditContext, ref: Reference, citizenId: string) {
  const citizen = await citizenAccessAllowed(tx, ctx, citizenId, 'citizen.read', 'read', 'measurement');
  if (!citizen) return null;
  // Provider staff see the measures taken through their own unit's services.
  const authority = can(ctx.actor, 'citizen.read', {
    type: 'citizen',
    unitIds: [citizen.responsibleUnitId],
  });
  const visible = authority ? null : await providerServiceIds(tx, ctx, citizenId);
  const rows = (
    await tx
      .select()
      .from(measurements)
      .where(eq(measurements.citizenId, citizenId))
      .orderBy(asc(measurements.administeredOn), asc(measurements.createdAt))
  ).filter((r) => !visible || (r.serviceId !== null && visible.has(r.serviceId)));
  const series = new Map<
    string,
    { def: InstrumentDefinition; points: SeriesPoint[]; administrations: Administration[] }
  >();
  for (const r of rows) {
    // Each score was computed by the version it was given in; it is read (cut-offs, reliable change,
    // flags) by the instrument's current rules, as on the worklist.
    const def = ref.instrument(r.instrumentKey);
    if (!def) continue;
    const s = series.get(r.instrumentKey) ?? { def, points: [], administrations: [] };
    const score = Number(r.score);
    const first = s.points[0]?.score ?? score;
    s.points.push({
      id: r.id,
      on: r.administeredOn,
      score,
      informant: ref.display(r.informantList, r.informantCode),
      change: s.points.length ? classifyChange(def, first, score) : 'baseline',
      clinical: isClinical(def, score),
    });
    s.administrations.push({ score, answers: r.answers });
    series.set(r.instrumentKey, s);
  }
  const fus = (
    await tx
      .select({ id: followUps.id, heldOn: followUps.heldOn, serviceId: followUps.serviceId })
      .from(followUps)
      .where(eq(followUps.citizenId, citizenId))
      .orderBy(asc(followUps.heldOn))
  ).filter((f) => !visible || visible.has(f.serviceId));
  const ratings = fus.length
    ? await tx
        .select()
        .from(followUpRatings)
        .where(
          inArray(
            followUpRatings.followUpId,
            fus.map((f) => f.id),
          ),
        )
    : [];
  const gas = fus
    .map((f) => {
      const of = (rater: string) => {
        const rs = ratings.filter((r) => r.followUpId === f.id && r.rater === rater);
        return rs.length ? gasTScore(rs.map((r) => ({ score: r.score, weight: r.weight }))) : null;
      };
      return {
        followUpId: f.id,
        on: f.heldOn,
        serviceId: f.serviceId,
        citizen: of('citizen'),
        professional: of('professional'),
      };
    })
    .filter((g) => g.citizen !== null || g.professional !== null);
  await audit(tx, ctx, {
    action: 'read',
    policy: 'citizen.read',
    resourceType: 'measurement',
    citizenId,
    criteria: authority ? null : { scope: 'provider' },
  });
  const enabled = await enabledInstruments(tx);
  return {
    instruments: ref
      .currentInstrumentList()
      .filter((d) => d.scoring.method === 'sum')
      .map((d) => ({
        key: d.key,
        name: d.name,
        usable: usable(d, enabled),
        licenceRequired: d.licence.required,
      })),
    series: [...series.values()].map(({ def, points, administrations }) => ({
      key: def.key,
      name: def.name,
      min: def.scoring.min,
      max: def.scoring.max,
      cutoffs: def.cutoffs,
      reliableChange: def.reliableChange,
      measures: def.measures ?? 'outcome',
      points,
      flags: seriesFlags(def, administrations),
    })),
    gas,
  };
}
