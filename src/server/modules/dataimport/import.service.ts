import { and, eq, inArray, max, sql } from 'drizzle-orm';
import { addMonths } from '../../../shared/domain/dates';
import { AnswerError, checkAnswers, scoreAnswers } from '../../../shared/domain/instruments';
import { type ImportRecord, importRecord } from '../../../shared/import';
import {
  casePhaseEvents,
  cases,
  citizens,
  followUps,
  measurements,
  orgUnits,
  serviceEvents,
  services,
} from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { Problem } from '../../platform/errors';
import type { Tx } from '../../platform/tenancy';
import { nextCaseNumber } from '../cases/cases.service';
import type { Reference } from '../reference/reference';
import { computeNextFollowUp } from '../services/services.service';

export interface ImportError {
  /** Line in the file (1-based). */
  line: number;
  field: string;
  message: string;
}

export const MAX_IMPORT_LINES = 500_000;
const MAX_ERRORS_SHOWN = 1000;

type Rec<T extends ImportRecord['type']> = Extract<ImportRecord, { type: T }> & { line: number };

/** Lines → records, or the errors of every bad line. */
function parse(ndjson: string): { records: (ImportRecord & { line: number })[]; errors: ImportError[] } {
  const records: (ImportRecord & { line: number })[] = [];
  const errors: ImportError[] = [];
  const lines = ndjson.split(/\r?\n/);
  if (lines.length > MAX_IMPORT_LINES)
    return { records, errors: [{ line: 0, field: '', message: `Højst ${MAX_IMPORT_LINES} linjer pr. fil` }] };
  const seen = new Set<string>();
  lines.forEach((text, i) => {
    const line = i + 1;
    if (!text.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      errors.push({ line, field: '', message: 'Linjen er ikke gyldig JSON' });
      return;
    }
    const r = importRecord.safeParse(value);
    if (!r.success) {
      for (const issue of r.error.issues)
        errors.push({ line, field: issue.path.join('.'), message: issue.message });
      return;
    }
    const key = `${r.data.type}:${r.data.id}`;
    if (seen.has(key))
      errors.push({ line, field: 'id', message: `${r.data.type} ${r.data.id} står to gange i filen` });
    seen.add(key);
    records.push({ ...r.data, line });
  });
  return { records, errors };
}

const ofType = <T extends ImportRecord['type']>(records: (ImportRecord & { line: number })[], type: T) =>
  records.filter((r): r is Rec<T> => r.type === type);

/** Existing rows by external id, for the ids the file names. */
async function existing<T extends { externalId: string | null }>(
  ids: string[],
  load: (chunk: string[]) => Promise<T[]>,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (let k = 0; k < ids.length; k += 1000)
    for (const row of await load(ids.slice(k, k + 1000))) out.set(row.externalId!, row);
  return out;
}

export interface ImportResult {
  citizens: { created: number; updated: number };
  cases: { created: number; updated: number };
  services: { created: number; updated: number };
  followUps: { created: number; unchanged: number };
  measures: { created: number; unchanged: number };
}

/**
 * Imports an NDJSON file (docs/import-format.md) into the actor's municipality: every line is checked first,
 * and if any fails, nothing is written and every failing line is reported. Records are matched on their
 * external ids: a second import of the same file creates nothing new (follow-ups and measures are history,
 * so an existing one is left as it is).
 */
export async function importFile(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  today: string,
  ndjson: string,
): Promise<ImportResult> {
  const { records, errors } = parse(ndjson);
  const citizenRecs = ofType(records, 'citizen');
  const caseRecs = ofType(records, 'case');
  const serviceRecs = ofType(records, 'service');
  const followUpRecs = ofType(records, 'follow_up');
  const measureRecs = ofType(records, 'measure');
  const err = (line: number, field: string, message: string) => errors.push({ line, field, message });

  const units = new Map(
    (await tx.select({ id: orgUnits.id, name: orgUnits.name, kind: orgUnits.kind }).from(orgUnits)).map(
      (u) => [u.name, u],
    ),
  );
  const citizenIds = [
    ...new Set([
      ...citizenRecs.map((r) => r.id),
      ...caseRecs.map((r) => r.citizen),
      ...measureRecs.map((r) => r.citizen),
    ]),
  ];
  const oldCitizens = await existing(citizenIds, (chunk) =>
    tx
      .select({ id: citizens.id, externalId: citizens.externalId, cpr: citizens.cpr })
      .from(citizens)
      .where(inArray(citizens.externalId, chunk)),
  );
  const oldCases = await existing(
    [...new Set([...caseRecs.map((r) => r.id), ...serviceRecs.map((r) => r.case)])],
    (chunk) =>
      tx
        .select({ id: cases.id, externalId: cases.externalId, citizenId: cases.citizenId })
        .from(cases)
        .where(inArray(cases.externalId, chunk)),
  );
  const oldServices = await existing(
    [...new Set([...serviceRecs.map((r) => r.id), ...followUpRecs.map((r) => r.service)])],
    (chunk) =>
      tx
        .select({
          id: services.id,
          externalId: services.externalId,
          status: services.status,
          citizenId: services.citizenId,
          caseId: services.caseId,
        })
        .from(services)
        .where(inArray(services.externalId, chunk)),
  );
  const oldFollowUps = await existing(
    followUpRecs.map((r) => r.id),
    (chunk) =>
      tx
        .select({ externalId: followUps.externalId })
        .from(followUps)
        .where(inArray(followUps.externalId, chunk)),
  );
  const oldMeasures = await existing(
    measureRecs.map((r) => r.id),
    (chunk) =>
      tx
        .select({ externalId: measurements.externalId })
        .from(measurements)
        .where(inArray(measurements.externalId, chunk)),
  );

  // ---- check everything before writing anything ----
  const ffb = ref.current('ffb').key;
  const sel = ref.current('serviceloven').key;
  const kl = ref.current('kl-caresocial').key;
  const fileCitizens = new Set(citizenRecs.map((r) => r.id));
  const fileCases = new Map(caseRecs.map((r) => [r.id, r]));
  const fileServices = new Map(serviceRecs.map((r) => [r.id, r]));
  const cprs = await existing(
    citizenRecs.map((r) => r.cpr),
    async (chunk) =>
      (
        await tx
          .select({ externalId: citizens.cpr, owner: citizens.externalId })
          .from(citizens)
          .where(inArray(citizens.cpr, chunk))
      ).map((r) => ({ externalId: r.externalId, owner: r.owner })),
  );
  const cprInFile = new Map<string, string>();
  for (const r of citizenRecs) {
    if (r.unit !== undefined && !units.has(r.unit)) err(r.line, 'unit', `Ukendt enhed: ${r.unit}`);
    const twin = cprInFile.get(r.cpr);
    if (twin && twin !== r.id) err(r.line, 'cpr', `Samme CPR-nummer som borgeren ${twin} i filen`);
    cprInFile.set(r.cpr, r.id);
    const holder = cprs.get(r.cpr);
    if (holder && holder.owner !== r.id) err(r.line, 'cpr', 'En anden borger har allerede dette CPR-nummer');
  }
  for (const r of caseRecs) {
    if (!fileCitizens.has(r.citizen) && !oldCitizens.has(r.citizen))
      err(r.line, 'citizen', `Borgeren ${r.citizen} findes hverken i filen eller i Retning`);
    if (units.get(r.authorityUnit)?.kind !== 'myndighed')
      err(r.line, 'authorityUnit', `${r.authorityUnit} er ikke en myndighedsenhed`);
    if (r.closedOn && r.closedOn < r.openedOn) err(r.line, 'closedOn', 'Sagen lukker før den åbner');
    if (r.closedOn && !ref.codeOfKind(kl, r.endReason ?? '', 'end_reason'))
      err(r.line, 'endReason', 'En lukket sag skal have en ophørsårsag (KL-kode)');
    const old = oldCases.get(r.id);
    const citizen = oldCitizens.get(r.citizen);
    if (old && citizen && old.citizenId !== citizen.id)
      err(r.line, 'citizen', 'Sagen hører til en anden borger');
  }
  for (const r of serviceRecs) {
    if (!fileCases.has(r.case) && !oldCases.has(r.case))
      err(r.line, 'case', `Sagen ${r.case} findes hverken i filen eller i Retning`);
    if (!ref.codeOfKind(ffb, r.ydelse, 'ydelse')) err(r.line, 'ydelse', 'Ukendt FFB-ydelse');
    const paragraph = ref.codeOfKind(sel, r.paragraph, 'paragraph');
    if (!paragraph) err(r.line, 'paragraph', `Ukendt paragraf: ${r.paragraph}`);
    if (!ref.codeOfKind(ffb, r.targetGroup, 'target_group'))
      err(r.line, 'targetGroup', 'Ukendt FFB-målgruppe');
    if (units.get(r.provider)?.kind !== 'tilbud') err(r.line, 'provider', `${r.provider} er ikke et tilbud`);
    if ((r.status === 'active' || r.status === 'ended') && !r.startOn)
      err(r.line, 'startOn', 'En ydelse i gang eller afsluttet skal have en startdato');
    if (r.status === 'ended' && (!r.endOn || !ref.codeOfKind(kl, r.endReason ?? '', 'end_reason')))
      err(r.line, 'endReason', 'En afsluttet ydelse skal have slutdato og ophørsårsag (KL-kode)');
    if (r.startOn && r.endOn && r.endOn < r.startOn)
      err(r.line, 'endOn', 'Slutdatoen ligger før startdatoen');
    const maxMonths = (paragraph?.attrs.maxMonths as number | null | undefined) ?? null;
    if (maxMonths && r.startOn && r.endOn && r.endOn > addMonths(r.startOn, maxMonths))
      err(r.line, 'endOn', `${r.paragraph} gives i højst ${maxMonths} måneder`);
    if ((r.priceAmount === undefined) !== (r.priceUnit === undefined))
      err(r.line, 'priceUnit', 'Angiv både pris og enhed');
  }
  for (const r of followUpRecs) {
    if (!fileServices.has(r.service) && !oldServices.has(r.service))
      err(r.line, 'service', `Ydelsen ${r.service} findes hverken i filen eller i Retning`);
    if (!ref.codeOfKind(ffb, r.result, 'follow_up_result'))
      err(r.line, 'result', 'Ukendt FFB-status på indsats');
    if (r.heldOn > today) err(r.line, 'heldOn', 'Opfølgningen ligger i fremtiden');
  }
  for (const r of measureRecs) {
    if (!fileCitizens.has(r.citizen) && !oldCitizens.has(r.citizen))
      err(r.line, 'citizen', `Borgeren ${r.citizen} findes hverken i filen eller i Retning`);
    const def = ref.instrument(r.instrument);
    if (!def) err(r.line, 'instrument', `Ukendt måleredskab: ${r.instrument}`);
    else
      try {
        checkAnswers(def, r.answers);
      } catch (e) {
        if (!(e instanceof AnswerError)) throw e;
        err(r.line, 'answers', e.message);
      }
  }
  if (errors.length)
    throw new Problem(422, 'import_invalid', `${errors.length} fejl: intet er indlæst.`, {
      total: errors.length,
      rows: errors.sort((a, b) => a.line - b.line).slice(0, MAX_ERRORS_SHOWN),
    });

  // ---- write: citizens, cases, services, follow-ups, measures ----
  const m = ctx.actor.municipalityId;
  const result: ImportResult = {
    citizens: { created: 0, updated: 0 },
    cases: { created: 0, updated: 0 },
    services: { created: 0, updated: 0 },
    followUps: { created: 0, unchanged: 0 },
    measures: { created: 0, unchanged: 0 },
  };
  const citizenId = new Map([...oldCitizens].map(([k, v]) => [k, v.id]));
  for (const r of citizenRecs) {
    const fields = {
      cpr: r.cpr,
      firstName: r.firstName,
      lastName: r.lastName,
      responsibleUnitId: r.unit ? units.get(r.unit)!.id : null,
    };
    const old = oldCitizens.get(r.id);
    if (old) {
      await tx
        .update(citizens)
        .set({ ...fields, version: sql`${citizens.version} + 1`, updatedAt: sql`now()` })
        .where(eq(citizens.id, old.id));
      result.citizens.updated++;
    } else {
      const [c] = await tx
        .insert(citizens)
        .values({ ...fields, municipalityId: m, externalId: r.id })
        .returning({ id: citizens.id });
      citizenId.set(r.id, c!.id);
      result.citizens.created++;
    }
    await audit(tx, ctx, {
      action: old ? 'update' : 'create',
      policy: 'data.import',
      resourceType: 'citizen',
      resourceId: citizenId.get(r.id)!,
      citizenId: citizenId.get(r.id)!,
      criteria: { import: true },
    });
  }
  const caseId = new Map([...oldCases].map(([k, v]) => [k, v.id]));
  for (const r of caseRecs) {
    const fields = {
      reason: r.reason,
      authorityUnitId: units.get(r.authorityUnit)!.id,
      openedOn: r.openedOn,
      closedOn: r.closedOn ?? null,
      phase: r.closedOn ? 'closed' : 'provision',
      endReasonList: r.closedOn ? kl : null,
      endReasonCode: r.closedOn ? r.endReason! : null,
    };
    const old = oldCases.get(r.id);
    if (old) {
      await tx
        .update(cases)
        .set({ ...fields, version: sql`${cases.version} + 1`, updatedAt: sql`now()` })
        .where(eq(cases.id, old.id));
      result.cases.updated++;
    } else {
      const caseNumber = await nextCaseNumber(tx, Number(r.openedOn.slice(0, 4)));
      const [c] = await tx
        .insert(cases)
        .values({
          ...fields,
          municipalityId: m,
          citizenId: citizenId.get(r.citizen)!,
          caseNumber,
          externalId: r.id,
        })
        .returning({ id: cases.id });
      caseId.set(r.id, c!.id);
      await tx.insert(casePhaseEvents).values({
        municipalityId: m,
        caseId: c!.id,
        fromPhase: null,
        toPhase: fields.phase,
        authorUserId: ctx.actor.userId,
      });
      result.cases.created++;
    }
  }
  const serviceId = new Map([...oldServices].map(([k, v]) => [k, v.id]));
  const touched = new Set<string>();
  for (const r of serviceRecs) {
    const [owner] = await tx
      .select({ citizenId: cases.citizenId })
      .from(cases)
      .where(eq(cases.id, caseId.get(r.case)!));
    const fields = {
      citizenId: owner!.citizenId,
      caseId: caseId.get(r.case)!,
      ffbList: ffb,
      ydelseCode: r.ydelse,
      paragraphList: sel,
      paragraphCode: r.paragraph,
      providerUnitId: units.get(r.provider)!.id,
      primaryTargetGroupCode: r.targetGroup,
      status: r.status,
      startOn: r.startOn ?? null,
      endOn: r.endOn ?? null,
      endReasonList: r.status === 'ended' ? kl : null,
      endReasonCode: r.status === 'ended' ? r.endReason! : null,
      hoursPerWeek: r.hoursPerWeek?.toFixed(2) ?? null,
      priceAmount: r.priceAmount?.toFixed(2) ?? null,
      priceUnit: r.priceUnit ?? null,
    };
    const old = oldServices.get(r.id);
    let id: string;
    if (old) {
      id = old.id;
      await tx
        .update(services)
        .set({ ...fields, version: sql`${services.version} + 1`, updatedAt: sql`now()` })
        .where(eq(services.id, id));
      if (old.status !== r.status)
        await tx.insert(serviceEvents).values({
          municipalityId: m,
          serviceId: id,
          fromStatus: old.status,
          toStatus: r.status,
          on: r.endOn ?? r.startOn ?? today,
          authorUserId: ctx.actor.userId,
        });
      result.services.updated++;
    } else {
      const [s] = await tx
        .insert(services)
        .values({ ...fields, municipalityId: m, externalId: r.id })
        .returning({ id: services.id });
      id = s!.id;
      serviceId.set(r.id, id);
      await tx.insert(serviceEvents).values({
        municipalityId: m,
        serviceId: id,
        fromStatus: null,
        toStatus: r.status,
        on: r.startOn ?? today,
        authorUserId: ctx.actor.userId,
      });
      result.services.created++;
    }
    touched.add(id);
  }
  for (const r of followUpRecs) {
    if (oldFollowUps.has(r.id)) {
      result.followUps.unchanged++;
      continue;
    }
    const sid = serviceId.get(r.service)!;
    const [s] = await tx
      .select({ citizenId: services.citizenId, caseId: services.caseId })
      .from(services)
      .where(eq(services.id, sid));
    await tx.insert(followUps).values({
      municipalityId: m,
      citizenId: s!.citizenId,
      caseId: s!.caseId,
      serviceId: sid,
      heldOn: r.heldOn,
      ffbList: ffb,
      resultCode: r.result,
      notes: r.notes ?? '',
      ...r.life,
      authorUserId: ctx.actor.userId,
      externalId: r.id,
    });
    touched.add(sid);
    result.followUps.created++;
  }
  for (const r of measureRecs) {
    if (oldMeasures.has(r.id)) {
      result.measures.unchanged++;
      continue;
    }
    const def = ref.instrument(r.instrument)!;
    const score = scoreAnswers(def, r.answers);
    await tx.insert(measurements).values({
      municipalityId: m,
      citizenId: citizenId.get(r.citizen)!,
      instrumentKey: def.key,
      instrumentVersion: def.version,
      administeredOn: r.administeredOn,
      informantList: kl,
      informantCode:
        ref.ofKind(kl, 'informant').find((c) => c.display === 'Borger')?.code ??
        ref.ofKind(kl, 'informant')[0]!.code,
      answers: r.answers,
      raw: String(score.raw),
      score: String(score.score),
      authorUserId: ctx.actor.userId,
      externalId: r.id,
    });
    result.measures.created++;
  }
  // The next follow-up of every service the file touched, from its latest follow-up.
  for (const id of touched) {
    const [row] = await tx.select().from(services).where(eq(services.id, id));
    const [{ last } = { last: null }] = await tx
      .select({ last: max(followUps.heldOn) })
      .from(followUps)
      .where(and(eq(followUps.serviceId, id)));
    const next = computeNextFollowUp(ref, { ...row!, lastFollowUpOn: last ?? row!.lastFollowUpOn });
    await tx
      .update(services)
      .set({ lastFollowUpOn: last ?? row!.lastFollowUpOn, nextFollowUpOn: next })
      .where(eq(services.id, id));
  }
  await audit(tx, ctx, {
    action: 'create',
    policy: 'data.import',
    resourceType: 'import',
    criteria: { ...result },
  });
  return result;
}
