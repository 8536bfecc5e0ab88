import { eq, inArray, max, sql } from 'drizzle-orm';
import { addMonths } from '../../../shared/domain/dates';
import { checkPrimarySubtheme, type FfbCategory } from '../../../shared/domain/ffb';
import { ydelseFitsParagraph } from '../../../shared/domain/grant';
import { AnswerError, checkAnswers, scoreAnswers } from '../../../shared/domain/instruments';
import { type ImportRecord, importRecord } from '../../../shared/import';
import {
  casePhaseEvents,
  cases,
  citizens,
  followUpRatings,
  followUps,
  goalEvents,
  goals,
  measurements,
  orgUnits,
  serviceEvents,
  services,
} from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { parseCsvRows } from '../../platform/csv';
import { Problem } from '../../platform/errors';
import type { Tx } from '../../platform/tenancy';
import { reserveCaseNumbers } from '../cases/cases.service';
import type { Reference } from '../reference/reference';
import { computeNextFollowUp } from '../services/services.service';
import { checkHistory, loadHistory, writeHistory } from './import.history';

export interface ImportError {
  /** Line in the file (1-based). */
  line: number;
  field: string;
  message: string;
}

export const MAX_IMPORT_LINES = 500_000;
const MAX_ERRORS_SHOWN = 1000;
const BATCH = 1000;

type Rec<T extends ImportRecord['type']> = Extract<ImportRecord, { type: T }> & { line: number };

/** Fields that are numbers in the format (a CSV cell is text; a decimal comma is accepted). */
const NUMERIC = new Set([
  'hoursPerWeek',
  'priceAmount',
  'expectedLevel',
  'version',
  'gas.baseline',
  'life.admissions12m',
  'life.admissionDays12m',
]);
/** Numbered columns that are list entries (ratings.1.goal …), and the fields inside them that are not text. */
const LISTS = new Set(['ratings', 'conditions', 'accounts', 'participants']);
const NUMERIC_IN_LIST = new Set(['ratings.score', 'conditions.level']);
const BOOLEAN_IN_LIST = new Set(['conditions.notAssessed', 'conditions.inFocus']);

/**
 * A CSV row as the record it stands for: one column per field, nested fields as `life.employment` or
 * `answers.1`, list entries as `ratings.1.goal` (numbered from 1); empty cells are left out.
 */
function csvRecord(header: string[], cells: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  header.forEach((name, k) => {
    const cell = (cells[k] ?? '').trim();
    if (!name || cell === '') return;
    const path = name.split('.');
    const inList = LISTS.has(path[0]!) ? `${path[0]}.${path[2]}` : '';
    const numeric = NUMERIC.has(name) || path[0] === 'answers' || NUMERIC_IN_LIST.has(inList);
    const asNumber = Number(cell.replace(',', '.'));
    const value = BOOLEAN_IN_LIST.has(inList)
      ? cell === 'true' || cell === 'ja'
      : numeric && cell !== '' && Number.isFinite(asNumber)
        ? asNumber
        : cell;
    let target = out;
    for (const key of path.slice(0, -1)) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path.at(-1)!] = value;
  });
  // Numbered columns of a list (ratings.1.…, ratings.2.…) are its entries, in their numbers' order.
  for (const list of LISTS) {
    const v = out[list];
    if (typeof v === 'object' && v !== null && !Array.isArray(v))
      out[list] = Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([, x]) => x);
  }
  return out;
}

/** The file's entries with their line numbers: NDJSON lines, or CSV rows under a header row. */
function entries(source: ImportSource): { line: number; value: unknown }[] | ImportError {
  if (typeof source === 'string') {
    const lines = source.split(/\r?\n/);
    if (lines.length > MAX_IMPORT_LINES)
      return { line: 0, field: '', message: `Højst ${MAX_IMPORT_LINES} linjer pr. fil` };
    return lines.flatMap((text, i) => {
      if (!text.trim()) return [];
      try {
        return [{ line: i + 1, value: JSON.parse(text) as unknown }];
      } catch {
        return [{ line: i + 1, value: NOT_JSON }];
      }
    });
  }
  const rows = parseCsvRows(source.csv);
  if (rows.length > MAX_IMPORT_LINES)
    return { line: 0, field: '', message: `Højst ${MAX_IMPORT_LINES} linjer pr. fil` };
  const [head, ...data] = rows;
  if (!head?.cells.map((c) => c.trim()).includes('type'))
    return { line: 1, field: 'type', message: 'Første linje skal være kolonnenavne med en kolonne "type"' };
  const header = head.cells.map((c) => c.trim());
  return data.map((r) => ({ line: r.line, value: csvRecord(header, r.cells) }));
}

const NOT_JSON = Symbol('not json');

/** Lines → records, or the errors of every bad line. */
function parse(source: ImportSource): {
  records: (ImportRecord & { line: number })[];
  errors: ImportError[];
} {
  const records: (ImportRecord & { line: number })[] = [];
  const errors: ImportError[] = [];
  const list = entries(source);
  if (!Array.isArray(list)) return { records, errors: [list] };
  const seen = new Set<string>();
  for (const { line, value } of list) {
    if (value === NOT_JSON) {
      errors.push({ line, field: '', message: 'Linjen er ikke gyldig JSON' });
      continue;
    }
    const r = importRecord.safeParse(value);
    if (!r.success) {
      for (const issue of r.error.issues)
        errors.push({ line, field: issue.path.join('.'), message: issue.message });
      continue;
    }
    const key = `${r.data.type}:${r.data.id}`;
    if (seen.has(key))
      errors.push({ line, field: 'id', message: `${r.data.type} ${r.data.id} står to gange i filen` });
    seen.add(key);
    records.push({ ...r.data, line });
  }
  return { records, errors };
}

/** An NDJSON file as text, or a CSV file (docs/import-format.md). */
export type ImportSource = string | { csv: string };

const ofType = <T extends ImportRecord['type']>(records: (ImportRecord & { line: number })[], type: T) =>
  records.filter((r): r is Rec<T> => r.type === type);

/** Existing rows for the keys the file names (external ids by default), loaded a chunk of keys at a time. */
async function existing<T>(
  keys: string[],
  load: (chunk: string[]) => Promise<T[]>,
  keyOf: (row: T) => string = (row) => (row as { externalId: string }).externalId,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (let k = 0; k < keys.length; k += 1000)
    for (const row of await load(keys.slice(k, k + 1000))) out.set(keyOf(row), row);
  return out;
}

export interface ImportResult {
  citizens: { created: number; updated: number };
  cases: { created: number; updated: number };
  services: { created: number; updated: number };
  goals: { created: number; updated: number; unchanged: number };
  assessments: { created: number; updated: number; unchanged: number };
  plans: { created: number; updated: number; unchanged: number };
  /** Follow-ups, and the GAS ratings that came with the new ones. */
  followUps: { created: number; unchanged: number; ratings: number };
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
  source: ImportSource,
): Promise<ImportResult> {
  const { records, errors } = parse(source);
  const citizenRecs = ofType(records, 'citizen');
  const caseRecs = ofType(records, 'case');
  const serviceRecs = ofType(records, 'service');
  const followUpRecs = ofType(records, 'follow_up');
  const measureRecs = ofType(records, 'measure');
  const goalRecs = ofType(records, 'goal');
  const history = { assessments: ofType(records, 'assessment'), plans: ofType(records, 'plan') };
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
    [
      ...new Set([
        ...caseRecs.map((r) => r.id),
        ...serviceRecs.map((r) => r.case),
        ...goalRecs.map((r) => r.case),
        ...history.assessments.map((r) => r.case),
        ...history.plans.map((r) => r.case),
      ]),
    ],
    (chunk) =>
      tx
        .select({ id: cases.id, externalId: cases.externalId, citizenId: cases.citizenId })
        .from(cases)
        .where(inArray(cases.externalId, chunk)),
  );
  const oldServices = await existing(
    [
      ...new Set([
        ...serviceRecs.map((r) => r.id),
        ...followUpRecs.map((r) => r.service),
        ...goalRecs.flatMap((r) => (r.service ? [r.service] : [])),
      ]),
    ],
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
  const oldGoals = await existing(
    [
      ...new Set([
        ...goalRecs.map((r) => r.id),
        ...goalRecs.flatMap((r) => (r.citizenGoal ? [r.citizenGoal] : [])),
        ...goalRecs.flatMap((r) => (r.parent ? [r.parent] : [])),
        ...followUpRecs.flatMap((r) => (r.ratings ?? []).map((x) => x.goal)),
      ]),
    ],
    (chunk) =>
      tx
        .select({
          id: goals.id,
          externalId: goals.externalId,
          caseId: goals.caseId,
          kind: goals.kind,
          status: goals.status,
          title: goals.title,
          wordsOf: goals.wordsOf,
          gasWeight: goals.gasWeight,
          scaled: sql<boolean>`${goals.gasLevels} is not null`,
        })
        .from(goals)
        .where(inArray(goals.externalId, chunk)),
  );
  const oldMeasures = await existing(
    measureRecs.map((r) => r.id),
    (chunk) =>
      tx
        .select({ externalId: measurements.externalId })
        .from(measurements)
        .where(inArray(measurements.externalId, chunk)),
  );

  const oldHistory = await loadHistory(
    tx,
    history,
    [...oldCases.values()].map((c) => c.id),
  );

  // ---- check everything before writing anything ----
  const ffb = ref.current('ffb').key;
  const sel = ref.current('serviceloven').key;
  const kl = ref.current('kl-caresocial').key;
  const fileCitizens = new Set(citizenRecs.map((r) => r.id));
  const fileCases = new Map(caseRecs.map((r) => [r.id, r]));
  const fileServices = new Map(serviceRecs.map((r) => [r.id, r]));
  // Citizens already here with a CPR number the file uses, and the external id they were imported with.
  const cprs = await existing(
    citizenRecs.map((r) => r.cpr),
    (chunk) =>
      tx
        .select({ cpr: citizens.cpr, owner: citizens.externalId })
        .from(citizens)
        .where(inArray(citizens.cpr, chunk)),
    (row) => row.cpr,
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
    const ydelse = ref.codeOfKind(ffb, r.ydelse, 'ydelse');
    if (!ydelse) err(r.line, 'ydelse', 'Ukendt FFB-ydelse');
    const paragraph = ref.codeOfKind(sel, r.paragraph, 'paragraph');
    if (!paragraph) err(r.line, 'paragraph', `Ukendt paragraf: ${r.paragraph}`);
    else if (ydelse && !ydelseFitsParagraph(r.ydelse, (paragraph.attrs.ydelser as string[]) ?? null))
      err(r.line, 'ydelse', `«${ydelse.display}» gives ikke efter ${r.paragraph}`);
    if (r.supportNeed !== undefined && !ref.codeOfKind(ffb, r.supportNeed, 'support_need'))
      err(r.line, 'supportNeed', 'Ukendt FFB-støttebehovsniveau');
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
  const fileGoals = new Map(goalRecs.map((r) => [r.id, r]));
  // A case as one key whether it is in the file, already in Retning, or both.
  const caseKey = (external: string) => oldCases.get(external)?.id ?? `file:${external}`;
  const caseOfService = (external: string) =>
    fileServices.has(external)
      ? caseKey(fileServices.get(external)!.case)
      : (oldServices.get(external)?.caseId ?? null);
  const caseOfGoal = (external: string) =>
    fileGoals.has(external)
      ? caseKey(fileGoals.get(external)!.case)
      : (oldGoals.get(external)?.caseId ?? null);
  for (const r of goalRecs) {
    if (!fileCases.has(r.case) && !oldCases.has(r.case))
      err(r.line, 'case', `Sagen ${r.case} findes hverken i filen eller i Retning`);
    if (r.createdOn > today) err(r.line, 'createdOn', 'Målet er oprettet i fremtiden');
    if (r.statusOn && (r.statusOn < r.createdOn || r.statusOn > today))
      err(r.line, 'statusOn', 'Statusdatoen skal ligge mellem oprettelsen og i dag');
    const old = oldGoals.get(r.id);
    if (old && old.kind !== r.kind) err(r.line, 'kind', 'Målet er allerede indlæst som en anden slags mål');
    if (r.kind === 'intervention') {
      const sub = ref.codeOfKind(ffb, r.subtheme ?? '', 'subtheme');
      if (!sub) err(r.line, 'subtheme', 'Et indsatsmål skal have et kendt FFB-undertema');
      else if (checkPrimarySubtheme(sub.attrs.category as FfbCategory))
        err(r.line, 'subtheme', 'Indsatsmålets primære undertema skal ligge under Aktivitet og deltagelse');
      if (r.expectedLevel === undefined) err(r.line, 'expectedLevel', 'Angiv forventet funktionsevneniveau');
      if (!ref.codeOfKind(ffb, r.goalType ?? '', 'goal_type')) err(r.line, 'goalType', 'Ukendt FFB-måltype');
      if (r.citizenGoal) {
        const inFile = fileGoals.get(r.citizenGoal);
        const before = oldGoals.get(r.citizenGoal);
        if ((inFile ?? before)?.kind !== 'citizen_goal')
          err(r.line, 'citizenGoal', `Borgerens mål ${r.citizenGoal} findes hverken i filen eller i Retning`);
        else if (caseOfGoal(r.citizenGoal) !== caseKey(r.case))
          err(r.line, 'citizenGoal', 'Borgerens mål hører til en anden sag');
      }
    } else if (r.subtheme || r.expectedLevel !== undefined || r.goalType || r.citizenGoal)
      err(r.line, 'subtheme', 'Undertema, niveau, måltype og borgerens mål hører kun til indsatsmål');
    if (r.kind === 'sub') {
      const parent = r.parent ? (fileGoals.get(r.parent) ?? oldGoals.get(r.parent)) : undefined;
      if (!r.parent || parent?.kind !== 'intervention')
        err(r.line, 'parent', 'Et delmål skal høre til et indsatsmål i filen eller i Retning');
      else if (caseOfGoal(r.parent) !== caseKey(r.case))
        err(r.line, 'parent', 'Indsatsmålet hører til en anden sag');
      const serviceCase = r.service ? caseOfService(r.service) : null;
      if (serviceCase === null)
        err(r.line, 'service', 'Et delmål skal høre til en ydelse i filen eller i Retning');
      else if (serviceCase !== caseKey(r.case)) err(r.line, 'service', 'Ydelsen hører til en anden sag');
    } else if (r.parent || r.service) err(r.line, 'parent', 'Overordnet mål og ydelse hører kun til delmål');
    if (r.gas && r.kind === 'citizen_goal')
      err(r.line, 'gas', 'GAS-skalaen hører til indsatsmål og delmål, ikke borgerens egne mål');
  }
  checkHistory(
    ref,
    today,
    history,
    oldHistory,
    (c) => fileCases.has(c) || oldCases.has(c),
    (c) => oldCases.get(c)?.id,
    err,
  );
  for (const r of followUpRecs) {
    if (!fileServices.has(r.service) && !oldServices.has(r.service))
      err(r.line, 'service', `Ydelsen ${r.service} findes hverken i filen eller i Retning`);
    if (!ref.codeOfKind(ffb, r.result, 'follow_up_result'))
      err(r.line, 'result', 'Ukendt FFB-status på indsats');
    if (r.heldOn > today) err(r.line, 'heldOn', 'Opfølgningen ligger i fremtiden');
    const rated = new Set<string>();
    (r.ratings ?? []).forEach((x, i) => {
      const goalCase = caseOfGoal(x.goal);
      if (goalCase === null)
        err(r.line, `ratings.${i}.goal`, `Målet ${x.goal} findes hverken i filen eller i Retning`);
      else if (goalCase !== caseOfService(r.service))
        err(r.line, `ratings.${i}.goal`, 'Målet hører til en anden sag end ydelsen');
      if (x.informant !== undefined && !ref.codeOfKind(kl, x.informant, 'informant'))
        err(r.line, `ratings.${i}.informant`, 'Ukendt kilde (KL-kode)');
      if (rated.has(`${x.goal}|${x.rater}`))
        err(r.line, `ratings.${i}.rater`, 'Målet er vurderet to gange af samme part');
      rated.add(`${x.goal}|${x.rater}`);
    });
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

  // ---- write: citizens, cases, services, follow-ups, measures (new rows in batches) ----
  const m = ctx.actor.municipalityId;
  const result: ImportResult = {
    citizens: { created: 0, updated: 0 },
    cases: { created: 0, updated: 0 },
    services: { created: 0, updated: 0 },
    goals: { created: 0, updated: 0, unchanged: 0 },
    assessments: { created: 0, updated: 0, unchanged: 0 },
    plans: { created: 0, updated: 0, unchanged: 0 },
    followUps: { created: 0, unchanged: 0, ratings: 0 },
    measures: { created: 0, unchanged: 0 },
  };
  const batches = async <T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) => {
    for (let k = 0; k < rows.length; k += BATCH) await write(rows.slice(k, k + BATCH));
  };

  const citizenId = new Map([...oldCitizens].map(([k, v]) => [k, v.id]));
  const citizenFields = (r: Rec<'citizen'>) => ({
    cpr: r.cpr,
    firstName: r.firstName,
    lastName: r.lastName,
    responsibleUnitId: r.unit ? units.get(r.unit)!.id : null,
  });
  for (const r of citizenRecs.filter((x) => oldCitizens.has(x.id))) {
    await tx
      .update(citizens)
      .set({ ...citizenFields(r), version: sql`${citizens.version} + 1`, updatedAt: sql`now()` })
      .where(eq(citizens.id, oldCitizens.get(r.id)!.id));
    result.citizens.updated++;
  }
  await batches(
    citizenRecs.filter((x) => !oldCitizens.has(x.id)),
    async (chunk) => {
      const rows = await tx
        .insert(citizens)
        .values(chunk.map((r) => ({ ...citizenFields(r), municipalityId: m, externalId: r.id })))
        .returning({ id: citizens.id, externalId: citizens.externalId });
      for (const row of rows) citizenId.set(row.externalId!, row.id);
      result.citizens.created += rows.length;
    },
  );
  for (const r of citizenRecs)
    await audit(tx, ctx, {
      action: oldCitizens.has(r.id) ? 'update' : 'create',
      policy: 'data.import',
      resourceType: 'citizen',
      resourceId: citizenId.get(r.id)!,
      citizenId: citizenId.get(r.id)!,
      criteria: { import: true },
    });

  const caseId = new Map([...oldCases].map(([k, v]) => [k, v.id]));
  const caseFields = (r: Rec<'case'>) => ({
    reason: r.reason,
    authorityUnitId: units.get(r.authorityUnit)!.id,
    openedOn: r.openedOn,
    closedOn: r.closedOn ?? null,
    phase: r.closedOn ? 'closed' : 'provision',
    endReasonList: r.closedOn ? kl : null,
    endReasonCode: r.closedOn ? r.endReason! : null,
  });
  for (const r of caseRecs.filter((x) => oldCases.has(x.id))) {
    await tx
      .update(cases)
      .set({ ...caseFields(r), version: sql`${cases.version} + 1`, updatedAt: sql`now()` })
      .where(eq(cases.id, oldCases.get(r.id)!.id));
    result.cases.updated++;
  }
  // New cases get case numbers in their opening year, a block per year.
  const newCases = caseRecs.filter((x) => !oldCases.has(x.id));
  const numbers = new Map<string, string>();
  const byYear = new Map<number, Rec<'case'>[]>();
  for (const r of newCases) {
    const year = Number(r.openedOn.slice(0, 4));
    byYear.set(year, [...(byYear.get(year) ?? []), r]);
  }
  for (const [year, inYear] of byYear) {
    const first = await reserveCaseNumbers(tx, year, inYear.length);
    inYear.forEach((r, k) => {
      numbers.set(r.id, `${year}-${String(first + k).padStart(5, '0')}`);
    });
  }
  await batches(newCases, async (chunk) => {
    const rows = await tx
      .insert(cases)
      .values(
        chunk.map((r) => ({
          ...caseFields(r),
          municipalityId: m,
          citizenId: citizenId.get(r.citizen)!,
          caseNumber: numbers.get(r.id)!,
          externalId: r.id,
        })),
      )
      .returning({ id: cases.id, externalId: cases.externalId, phase: cases.phase });
    for (const row of rows) caseId.set(row.externalId!, row.id);
    await tx.insert(casePhaseEvents).values(
      rows.map((row) => ({
        municipalityId: m,
        caseId: row.id,
        fromPhase: null,
        toPhase: row.phase,
        authorUserId: ctx.actor.userId,
      })),
    );
    result.cases.created += rows.length;
  });

  const caseCitizen = new Map<string, string>();
  for (const r of caseRecs) caseCitizen.set(caseId.get(r.id)!, citizenId.get(r.citizen)!);
  for (const [ext, old] of oldCases)
    if (!caseCitizen.has(old.id)) caseCitizen.set(caseId.get(ext)!, old.citizenId);
  const serviceId = new Map([...oldServices].map(([k, v]) => [k, v.id]));
  const serviceFields = (r: Rec<'service'>) => ({
    citizenId: caseCitizen.get(caseId.get(r.case)!)!,
    caseId: caseId.get(r.case)!,
    ffbList: ffb,
    ydelseCode: r.ydelse,
    paragraphList: sel,
    paragraphCode: r.paragraph,
    providerUnitId: units.get(r.provider)!.id,
    primaryTargetGroupCode: r.targetGroup,
    supportNeedCode: r.supportNeed ?? null,
    status: r.status,
    startOn: r.startOn ?? null,
    endOn: r.endOn ?? null,
    endReasonList: r.status === 'ended' ? kl : null,
    endReasonCode: r.status === 'ended' ? r.endReason! : null,
    hoursPerWeek: r.hoursPerWeek?.toFixed(2) ?? null,
    priceAmount: r.priceAmount?.toFixed(2) ?? null,
    priceUnit: r.priceUnit ?? null,
  });
  for (const r of serviceRecs.filter((x) => oldServices.has(x.id))) {
    const old = oldServices.get(r.id)!;
    await tx
      .update(services)
      .set({ ...serviceFields(r), version: sql`${services.version} + 1`, updatedAt: sql`now()` })
      .where(eq(services.id, old.id));
    if (old.status !== r.status)
      await tx.insert(serviceEvents).values({
        municipalityId: m,
        serviceId: old.id,
        fromStatus: old.status,
        toStatus: r.status,
        on: r.endOn ?? r.startOn ?? today,
        authorUserId: ctx.actor.userId,
      });
    result.services.updated++;
  }
  await batches(
    serviceRecs.filter((x) => !oldServices.has(x.id)),
    async (chunk) => {
      const rows = await tx
        .insert(services)
        .values(chunk.map((r) => ({ ...serviceFields(r), municipalityId: m, externalId: r.id })))
        .returning({
          id: services.id,
          externalId: services.externalId,
          status: services.status,
          startOn: services.startOn,
        });
      for (const row of rows) serviceId.set(row.externalId!, row.id);
      await tx.insert(serviceEvents).values(
        rows.map((row) => ({
          municipalityId: m,
          serviceId: row.id,
          fromStatus: null,
          toStatus: row.status,
          on: row.startOn ?? today,
          authorUserId: ctx.actor.userId,
        })),
      );
      result.services.created += rows.length;
    },
  );

  // Goals: citizens' own goals first (indsatsmål point to them), each with its history as goal events dated
  // when it was made and when it reached its status, so the key figures see it as it was.
  const goalId = new Map([...oldGoals].map(([k, v]) => [k, v.id]));
  const at = (day: string) => new Date(`${day}T12:00:00Z`);
  const goalFields = (r: Rec<'goal'>) => ({
    title: r.title,
    wordsOf: r.wordsOf,
    status: r.status,
    dueOn: r.dueOn ?? null,
    ffbList: r.kind === 'intervention' ? ffb : null,
    subthemeCode: r.subtheme ?? null,
    expectedLevel: r.expectedLevel ?? null,
    goalTypeCode: r.goalType ?? null,
    gasLevels: r.gas?.levels ?? null,
    gasBaseline: r.gas?.baseline ?? null,
  });
  const snapshotOf = (r: Rec<'goal'>, status: string) => ({
    title: r.title,
    wordsOf: r.wordsOf,
    status,
    dueOn: r.dueOn ?? null,
    citizenGoalId: r.citizenGoal ? (goalId.get(r.citizenGoal) ?? null) : null,
    subthemeCode: r.subtheme ?? null,
    expectedLevel: r.expectedLevel ?? null,
    goalTypeCode: r.goalType ?? null,
    gasLevels: r.gas?.levels ?? null,
    gasBaseline: r.gas?.baseline ?? null,
  });
  const FINAL = ['achieved', 'partly_achieved', 'not_achieved', 'cancelled'];
  // Citizens' goals first, then the indsatsmål that point to them, then the delmål under those.
  for (const kind of ['citizen_goal', 'intervention', 'sub'] as const) {
    const ofKind = goalRecs.filter((r) => r.kind === kind);
    for (const r of ofKind.filter((x) => oldGoals.has(x.id))) {
      const old = oldGoals.get(r.id)!;
      if (
        old.status === r.status &&
        old.title === r.title &&
        old.wordsOf === r.wordsOf &&
        old.scaled === (r.gas !== undefined)
      ) {
        result.goals.unchanged++;
        continue;
      }
      await tx
        .update(goals)
        .set({ ...goalFields(r), version: sql`${goals.version} + 1`, updatedAt: sql`now()` })
        .where(eq(goals.id, old.id));
      await tx.insert(goalEvents).values({
        municipalityId: m,
        goalId: old.id,
        kind: 'updated',
        snapshot: snapshotOf(r, r.status),
        authorUserId: ctx.actor.userId,
        createdAt: at(r.statusOn ?? today),
      });
      result.goals.updated++;
    }
    await batches(
      ofKind.filter((x) => !oldGoals.has(x.id)),
      async (chunk) => {
        const rows = await tx
          .insert(goals)
          .values(
            chunk.map((r) => {
              const cid = caseId.get(r.case)!;
              return {
                ...goalFields(r),
                municipalityId: m,
                kind: r.kind,
                caseId: cid,
                citizenId: caseCitizen.get(cid)!,
                citizenGoalId: r.citizenGoal ? goalId.get(r.citizenGoal)! : null,
                parentGoalId: r.parent ? goalId.get(r.parent)! : null,
                serviceId: r.service ? serviceId.get(r.service)! : null,
                createdAt: at(r.createdOn),
                createdBy: ctx.actor.userId,
                externalId: r.id,
              };
            }),
          )
          .returning({ id: goals.id, externalId: goals.externalId });
        for (const row of rows) goalId.set(row.externalId!, row.id);
        // Made as proposed or active; a final status reached later is a second event on its own date.
        const events = chunk.flatMap((r) => {
          const id = goalId.get(r.id)!;
          const later = FINAL.includes(r.status) && r.statusOn !== undefined && r.statusOn > r.createdOn;
          const first = { municipalityId: m, goalId: id, authorUserId: ctx.actor.userId };
          return [
            {
              ...first,
              kind: 'created',
              snapshot: snapshotOf(r, later ? 'active' : r.status),
              createdAt: at(r.createdOn),
            },
            ...(later
              ? [{ ...first, kind: 'updated', snapshot: snapshotOf(r, r.status), createdAt: at(r.statusOn!) }]
              : []),
          ];
        });
        await tx.insert(goalEvents).values(events);
        result.goals.created += rows.length;
      },
    );
  }

  const written = await writeHistory(
    tx,
    ctx,
    ref,
    history,
    oldHistory,
    (external) => caseId.get(external)!,
    (id) => caseCitizen.get(id)!,
    today,
  );
  result.assessments = written.assessments;
  result.plans = written.plans;

  const serviceOwner = new Map<string, { citizenId: string; caseId: string }>();
  for (const r of serviceRecs)
    serviceOwner.set(serviceId.get(r.id)!, {
      citizenId: caseCitizen.get(caseId.get(r.case)!)!,
      caseId: caseId.get(r.case)!,
    });
  for (const old of oldServices.values())
    if (!serviceOwner.has(old.id)) serviceOwner.set(old.id, { citizenId: old.citizenId, caseId: old.caseId });
  const newFollowUps = followUpRecs.filter((r) => !oldFollowUps.has(r.id));
  result.followUps.unchanged = followUpRecs.length - newFollowUps.length;
  const informants = ref.ofKind(kl, 'informant');
  const informantOf = (display: string) =>
    (informants.find((c) => c.display === display) ?? informants[0])!.code;
  const citizenInformant = informantOf('Borger');
  const defaultInformant = { citizen: citizenInformant, professional: informantOf('Medarbejder alene') };
  await batches(newFollowUps, async (chunk) => {
    const written = await tx
      .insert(followUps)
      .values(
        chunk.map((r) => {
          const sid = serviceId.get(r.service)!;
          return {
            municipalityId: m,
            ...serviceOwner.get(sid)!,
            serviceId: sid,
            heldOn: r.heldOn,
            ffbList: ffb,
            resultCode: r.result,
            notes: r.notes ?? '',
            ...r.life,
            authorUserId: ctx.actor.userId,
            externalId: r.id,
          };
        }),
      )
      .returning({ id: followUps.id, externalId: followUps.externalId });
    result.followUps.created += chunk.length;
    // GAS ratings, weighted by the goal's GAS weight as in the pathway.
    const followUpId = new Map(written.map((w) => [w.externalId!, w.id]));
    const ratings = chunk.flatMap((r) =>
      (r.ratings ?? []).map((x) => ({
        municipalityId: m,
        followUpId: followUpId.get(r.id)!,
        goalId: goalId.get(x.goal)!,
        rater: x.rater,
        informantList: kl,
        informantCode: x.informant ?? defaultInformant[x.rater],
        score: x.score,
        weight: oldGoals.get(x.goal)?.gasWeight ?? 1,
      })),
    );
    if (ratings.length) await tx.insert(followUpRatings).values(ratings);
    result.followUps.ratings += ratings.length;
  });

  const newMeasures = measureRecs.filter((r) => !oldMeasures.has(r.id));
  result.measures.unchanged = measureRecs.length - newMeasures.length;
  await batches(newMeasures, async (chunk) => {
    await tx.insert(measurements).values(
      chunk.map((r) => {
        const def = ref.instrument(r.instrument)!;
        const score = scoreAnswers(def, r.answers);
        return {
          municipalityId: m,
          citizenId: citizenId.get(r.citizen)!,
          instrumentKey: def.key,
          instrumentVersion: def.version,
          administeredOn: r.administeredOn,
          informantList: kl,
          informantCode: citizenInformant,
          answers: r.answers,
          raw: String(score.raw),
          score: String(score.score),
          authorUserId: ctx.actor.userId,
          externalId: r.id,
        };
      }),
    );
    result.measures.created += chunk.length;
  });

  // The last and next follow-up of every service the file touched.
  const touched = [
    ...new Set([
      ...serviceRecs.map((r) => serviceId.get(r.id)!),
      ...newFollowUps.map((r) => serviceId.get(r.service)!),
    ]),
  ];
  await batches(touched, async (chunk) => {
    const rows = await tx
      .select({ service: services, last: max(followUps.heldOn) })
      .from(services)
      .leftJoin(followUps, eq(followUps.serviceId, services.id))
      .where(inArray(services.id, chunk))
      .groupBy(services.id);
    for (const { service, last } of rows) {
      const lastFollowUpOn = last ?? service.lastFollowUpOn;
      const next = computeNextFollowUp(ref, { ...service, lastFollowUpOn });
      if (lastFollowUpOn !== service.lastFollowUpOn || next !== service.nextFollowUpOn)
        await tx
          .update(services)
          .set({ lastFollowUpOn, nextFollowUpOn: next })
          .where(eq(services.id, service.id));
    }
  });
  await audit(tx, ctx, {
    action: 'create',
    policy: 'data.import',
    resourceType: 'import',
    criteria: { ...result },
  });
  return result;
}
