import { addDays, addMonths, type IsoDate } from '../../../shared/domain/dates';
import { checkPrimarySubtheme, type FfbCategory } from '../../../shared/domain/ffb';
import type { ImportRecord } from '../../../shared/import';
import type { Reference } from '../../modules/reference/reference';
import { prng } from './random';

/**
 * A fictional national data set in the import format (docs/import-format.md), for benchmarks and for trying
 * Retning at national scale (issue 5, item 7): 98 municipalities of varying size, ~100,000 citizens,
 * ~400,000 services and ~3,000,000 measures over 10 years at scale 1. Deterministic for a seed.
 */
export interface GeneratedMunicipality {
  code: string;
  name: string;
  citizens: number;
  /** The units the file refers to: create them before importing. */
  units: { name: string; kind: 'myndighed' | 'tilbud' }[];
}

export const NATIONAL_UNITS: GeneratedMunicipality['units'] = [
  { name: 'Myndighed', kind: 'myndighed' },
  { name: 'Tidlig indsats', kind: 'tilbud' },
  { name: 'Bostøtte', kind: 'tilbud' },
  { name: 'Værested', kind: 'tilbud' },
  { name: 'Midlertidigt botilbud', kind: 'tilbud' },
  { name: 'Længerevarende botilbud', kind: 'tilbud' },
];

const WORDS = ['citizen', 'citizen_supported', 'caseworker'] as const;
const OWN_GOALS = [
  'Jeg vil have mit eget sted at bo',
  'Jeg vil i gang med en uddannelse',
  'Jeg vil have en hverdag med faste rytmer',
  'Jeg vil se min familie mere',
  'Jeg vil have et arbejde nogle timer om ugen',
  'Jeg vil kunne handle ind og lave mad selv',
];

/** Paragraphs per step of the ladder, with the unit that delivers them. */
const BY_STEP: Record<number, { paragraph: string; provider: string }[]> = {
  2: [
    { paragraph: 'SEL §82a', provider: 'Tidlig indsats' },
    { paragraph: 'SEL §82b', provider: 'Tidlig indsats' },
  ],
  3: [
    { paragraph: 'SEL §85', provider: 'Bostøtte' },
    { paragraph: 'SEL §104', provider: 'Værested' },
  ],
  4: [{ paragraph: 'SEL §107', provider: 'Midlertidigt botilbud' }],
  5: [{ paragraph: 'SEL §108', provider: 'Længerevarende botilbud' }],
};

/** 98 sizes, log-normally spread (the largest municipality ~60 times the smallest), scaled to the total. */
export function municipalitySizes(total: number, count = 98, seed = 98): number[] {
  const rnd = prng(seed);
  const raw = Array.from({ length: count }, () => {
    const u = Math.max(1e-9, rnd());
    const v = rnd();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.exp(0.75 * normal);
  });
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => Math.max(5, Math.round((r / sum) * total)));
}

export function nationalMunicipalities(opts: { citizens: number; count?: number }): GeneratedMunicipality[] {
  return municipalitySizes(opts.citizens, opts.count).map((n, i) => ({
    code: String(601 + i),
    name: `Fiktiv Kommune ${601 + i}`,
    citizens: n,
    units: NATIONAL_UNITS,
  }));
}

/** The records of one municipality, in import order (a citizen's records follow the citizen). */
export function* municipalityRecords(
  ref: Reference,
  m: GeneratedMunicipality,
  opts: { today: IsoDate; years?: number; seed?: number },
): Generator<ImportRecord> {
  const rnd = prng((opts.seed ?? 1) * 1000 + Number(m.code));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ffb = ref.current('ffb').key;
  const kl = ref.current('kl-caresocial').key;
  const sel = ref.current('serviceloven').key;
  const allYdelser = ref.ofKind(ffb, 'ydelse').map((c) => c.code);
  /** The FFB ydelser a paragraph grants (data/serviceloven), so every generated service is one it can. */
  const ydelserOf = (paragraph: string) =>
    (ref.code(sel, paragraph)?.attrs.ydelser as string[] | undefined) ?? allYdelser;
  const supportNeeds = ref
    .ofKind(ffb, 'support_need')
    .filter((c) => typeof c.attrs.ordinal === 'number' && (c.attrs.ordinal as number) >= 1)
    .map((c) => c.code);
  const targets = ref.ofKind(ffb, 'target_group').map((c) => c.code);
  const results = ref
    .ofKind(ffb, 'follow_up_result')
    .filter((c) => !c.attrs.ends)
    .map((c) => c.code);
  const reasons = ref.ofKind(kl, 'end_reason').map((c) => c.code);
  const needMet = ref
    .ofKind(kl, 'end_reason')
    .filter((c) => c.display.startsWith('Ikke yderligere behov'))
    .map((c) => c.code);
  const years = opts.years ?? 10;
  const horizon = addMonths(opts.today, -12 * years);
  const span = (Date.parse(opts.today) - Date.parse(horizon)) / 86_400_000;
  const who5 = ref.instrument('WHO-5')!;
  const grnd = prng((opts.seed ?? 1) * 7919 + Number(m.code));
  const gpick = <T>(xs: readonly T[]): T => xs[Math.floor(grnd() * xs.length)]!;
  // GAS ratings have their own stream too, for the same reason, and so do assessments and plans.
  const rrnd = prng((opts.seed ?? 1) * 104_729 + Number(m.code));
  const hrnd = prng((opts.seed ?? 1) * 15_485_863 + Number(m.code));
  const hpick = <T>(xs: readonly T[]): T => xs[Math.floor(hrnd() * xs.length)]!;
  const subthemes = ref
    .ofKind(ffb, 'subtheme')
    .filter((c) => !checkPrimarySubtheme(c.attrs.category as FfbCategory))
    .map((c) => c.code);
  const goalTypes = ref.ofKind(ffb, 'goal_type').map((c) => c.code);
  for (let i = 0; i < m.citizens; i++) {
    const cid = `${m.code}-B${i}`;
    // A fictional CPR, unique by construction: a valid date of birth from the index, the century digit that
    // fits 1950–2004, and a serial number.
    const born = 1950 + (i % 55);
    const month = String(1 + (Math.floor(i / 55) % 12)).padStart(2, '0');
    const day = String(1 + (Math.floor(i / 660) % 28)).padStart(2, '0');
    const serial = String(Math.floor(i / 18_480) % 1000).padStart(3, '0');
    const cpr = `${day}${month}${String(born % 100).padStart(2, '0')}${born >= 2000 ? 4 : 0}${serial}`;
    yield { type: 'citizen', id: cid, cpr, firstName: pick(FIRST), lastName: pick(LAST), unit: 'Bostøtte' };
    const caseId = `${m.code}-S${i}`;
    const openedOn = addDays(horizon, Math.floor(rnd() * span * 0.6));
    // The pathway: a first step, then moves (mostly down the ladder) until today or the end.
    let step = pick([2, 2, 3, 3, 3, 3, 4, 4, 5]);
    let on = addDays(openedOn, 14 + Math.floor(rnd() * 30));
    const services: { id: string; startOn: IsoDate; endOn: IsoDate | null }[] = [];
    /** Follow-ups with GAS ratings so far in this pathway. */
    let rated = 0;
    let ended = false;
    for (let k = 0; k < 12 && on < opts.today && !ended; k++) {
      const { paragraph, provider } = pick(BY_STEP[step]!);
      const months = paragraph === 'SEL §82b' ? 1 + Math.floor(rnd() * 6) : 2 + Math.floor(rnd() * 16);
      let endOn: IsoDate | null = addMonths(on, months);
      if (endOn >= opts.today) endOn = null;
      const sid = `${m.code}-Y${i}-${k}`;
      const last = endOn !== null && rnd() < (step <= 2 ? 0.4 : 0.06);
      const hourly = step <= 3;
      yield {
        type: 'service',
        id: sid,
        case: caseId,
        ydelse: pick(ydelserOf(paragraph)),
        paragraph,
        supportNeed: supportNeeds[(i + k) % supportNeeds.length]!,
        targetGroup: pick(targets),
        provider,
        status: endOn ? 'ended' : 'active',
        startOn: on,
        ...(endOn ? { endOn, endReason: last ? pick(needMet) : pick(reasons) } : {}),
        ...(hourly
          ? {
              priceAmount: 450 + Math.floor(rnd() * 200),
              priceUnit: 'hour' as const,
              hoursPerWeek: 1 + Math.floor(rnd() * 6),
            }
          : { priceAmount: 30_000 + Math.floor(rnd() * 40_000), priceUnit: 'month' as const }),
      };
      services.push({ id: sid, startOn: on, endOn });
      // Alongside support at home, often an activity and community offer (§ 104).
      if (step === 3 && paragraph === 'SEL §85' && rnd() < 0.5)
        yield {
          type: 'service',
          id: `${sid}-akt`,
          case: caseId,
          ydelse: pick(ydelserOf('SEL §104')),
          paragraph: 'SEL §104',
          supportNeed: supportNeeds[(i + k) % supportNeeds.length]!,
          targetGroup: pick(targets),
          provider: 'Værested',
          status: endOn ? 'ended' : 'active',
          startOn: on,
          ...(endOn ? { endOn, endReason: pick(reasons) } : {}),
          priceAmount: 9_000 + Math.floor(rnd() * 6_000),
          priceUnit: 'month',
        };
      // Follow-ups: the first within 3 months, then every 6–12 months while it runs.
      let f = addDays(on, 30 + Math.floor(rnd() * 60));
      let n = 0;
      while (f <= (endOn ?? opts.today) && f <= opts.today) {
        yield {
          type: 'follow_up',
          id: `${sid}-O${n}`,
          service: sid,
          heldOn: f,
          result: pick(results),
          // GAS on the case's indsatsmål (below): by the citizen at every follow-up, often by the
          // professional too, drifting from "somewhat less than expected" towards the expected level.
          ratings: (['citizen', 'professional'] as const)
            .filter((rater) => rater === 'citizen' || rrnd() < 0.5)
            .map((rater) => ({
              goal: `${caseId}-M2`,
              rater,
              score: Math.max(
                -2,
                Math.min(2, -1 + Math.floor((rated + rrnd() * 3) / 2) - (rrnd() < 0.2 ? 1 : 0)),
              ),
            })),
          life: {
            employment: pick([
              'unemployed',
              'sick_leave',
              'early_retirement',
              'in_education',
              'flex_or_special_terms',
            ] as const),
            admissions12m: Math.floor(rnd() * rnd() * 3),
          },
        };
        n++;
        rated++;
        f = addMonths(f, 6 + Math.floor(rnd() * 7));
      }
      if (last) ended = true;
      if (endOn) {
        on = addDays(endOn, 1);
        step = Math.max(2, Math.min(5, step + (rnd() < 0.7 ? -1 : rnd() < 0.5 ? 0 : 1)));
      } else on = opts.today;
    }
    const lastEnd = services.at(-1)?.endOn ?? null;
    yield {
      type: 'case',
      id: caseId,
      citizen: cid,
      authorityUnit: 'Myndighed',
      reason: 'Henvendelse om støtte',
      openedOn,
      ...(ended && lastEnd ? { closedOn: lastEnd, endReason: pick(needMet) } : {}),
    };
    // Goals: the citizen's own goal (mostly in their own words) and an indsatsmål serving it, achieved when
    // the pathway ended because the need was met. A separate random stream keeps the rest of the data set
    // the same as before goals were generated.
    const first = services[0]?.startOn;
    if (!first) continue;
    const own = gpick([...WORDS, 'citizen', 'citizen'] as const);
    const done = ended && lastEnd !== null;
    yield {
      type: 'goal',
      id: `${caseId}-M1`,
      case: caseId,
      kind: 'citizen_goal',
      title: gpick(OWN_GOALS),
      wordsOf: own,
      status: done ? 'achieved' : 'active',
      createdOn: first,
      ...(done ? { statusOn: lastEnd } : {}),
    };
    yield {
      type: 'goal',
      id: `${caseId}-M2`,
      case: caseId,
      kind: 'intervention',
      title: 'Borgeren klarer selv hverdagens gøremål',
      wordsOf: grnd() < 0.3 ? 'citizen_supported' : 'caseworker',
      status: done ? (grnd() < 0.7 ? 'achieved' : 'partly_achieved') : 'active',
      createdOn: first,
      ...(done ? { statusOn: lastEnd } : {}),
      citizenGoal: `${caseId}-M1`,
      subtheme: gpick(subthemes),
      expectedLevel: 1 + Math.floor(grnd() * 3),
      goalType: gpick(goalTypes),
      gas: GAS_SCALE,
    };
    // The first udredning, completed before the first service, and the §141 plan offered with it (most
    // accept it, and it is shared); from their own stream so the rest of the data set stays as it was.
    const assessedOn = addDays(first, -10);
    if (assessedOn > openedOn) {
      yield {
        type: 'assessment',
        id: `${caseId}-U1`,
        case: caseId,
        kind: 'initial',
        assessedOn,
        status: 'completed',
        supportNeed: supportNeeds[i % supportNeeds.length]!,
        citizenPerspective: 'Jeg vil gerne klare mere selv.',
        conditions: [{ subtheme: hpick(subthemes), level: 1 + Math.floor(hrnd() * 3) }],
      };
      const offered = hrnd() < 0.85;
      const accepted = offered && hrnd() < 0.8;
      yield {
        type: 'plan',
        id: `${caseId}-H1`,
        case: caseId,
        version: 1,
        status: accepted ? 'shared' : 'draft',
        ...(accepted ? { sharedOn: addDays(assessedOn, 5) } : {}),
        purpose: 'At borgeren klarer mere selv i hverdagen',
        offer: offered ? (accepted ? 'accepted' : 'declined') : 'not_offered',
        ...(offered ? { offeredOn: addDays(assessedOn, 3) } : {}),
        ...(accepted ? { agreementOn: addDays(assessedOn, 5), agreementHow: 'meeting' as const } : {}),
      };
    }
    // WHO-5 about every month from the first service to the end of the pathway, drifting up over time.
    const stop = lastEnd && ended ? lastEnd : opts.today;
    let level = 1 + Math.floor(rnd() * 2);
    let k = 0;
    for (let d = first; d <= stop; d = addMonths(d, 1)) {
      level = Math.max(0, Math.min(5, level + (rnd() < 0.35 ? 1 : rnd() < 0.2 ? -1 : 0)));
      const answers = Object.fromEntries(
        who5.items.map((it) => [it.id, Math.max(0, Math.min(5, level + Math.floor(rnd() * 3) - 1))]),
      );
      yield {
        type: 'measure',
        id: `${cid}-M${k++}`,
        citizen: cid,
        instrument: 'WHO-5',
        administeredOn: d,
        answers,
      };
    }
  }
}

/** The indsatsmål's GAS scale (the same wording for every generated case). */
const GAS_SCALE = {
  levels: {
    '-2': 'Klarer ingen af hverdagens gøremål selv',
    '-1': 'Klarer hverdagens gøremål med støtte hver dag',
    '0': 'Klarer de fleste gøremål selv med støtte én gang om ugen',
    '1': 'Klarer hverdagens gøremål selv og beder om hjælp, når der er brug for det',
    '2': 'Klarer hverdagens gøremål selv og hjælper andre',
  },
  baseline: -1,
};

const FIRST = [
  'Anna',
  'Bo',
  'Carla',
  'Dennis',
  'Emma',
  'Frederik',
  'Gitte',
  'Hassan',
  'Ida',
  'Jonas',
  'Karen',
  'Lars',
];
const LAST = [
  'Andersen',
  'Berg',
  'Christensen',
  'Dahl',
  'Eriksen',
  'Friis',
  'Holm',
  'Jensen',
  'Kristensen',
  'Larsen',
];
