import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { nextFollowUpDue } from '../../../shared/domain/cadence';
import { addDays, addMonths, type IsoDate, minDate } from '../../../shared/domain/dates';
import { CASE_PHASES } from '../../../shared/pathway';
import type { Reference } from '../../modules/reference/reference';
import type { Tx } from '../../platform/tenancy';
import {
  actionPlans,
  assessmentAccounts,
  assessmentConditions,
  assessments,
  caseNumberCounters,
  casePhaseEvents,
  cases,
  type communityOffers,
  followUpRatings,
  followUps,
  goalEvents,
  goalOfferLinks,
  goals,
  measurements,
  providerPlans,
  serviceEvents,
  serviceGoals,
  services,
} from '../schema';

/**
 * Fictional pathways for seeded citizens: cases in every VUM phase, assessments with levels, goals in the
 * citizen's words, §141 plans, services on every step of the ladder, follow-ups with GAS and measures.
 * Deterministic for a given random source. Used by the demo seed and by bench:pathway.
 */
export interface PathwaySeed {
  municipalityId: string;
  today: IsoDate;
  rnd: () => number;
  citizens: { id: string; caseworkerId: string | null }[];
  authorityUnitId: string;
  caseworkers: string[];
  /** Provider units by paragraph code. */
  providers: Record<string, string>;
  providerUserId: string | null;
  offers: string[];
}

const PHASES = CASE_PHASES;
/** The demo municipalities went live this many days ago, with their running cases brought over. */
const GO_LIVE_DAYS = 700;

/** The day the demo's data are complete from (its key figures' start): the quarter GO_LIVE_DAYS ago began. */
export function demoGoLive(today: IsoDate): IsoDate {
  const d = addDays(today, -GO_LIVE_DAYS);
  const month = Math.floor((Number(d.slice(5, 7)) - 1) / 3) * 3 + 1;
  return `${d.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
}

/**
 * How many days ago a case in phase `level` opened, from one uniform draw `u`: a caseload in steady state
 * since go-live. Most cases in provision or follow-up were running at go-live (opened up to three years
 * before it), the rest opened since; closed cases opened 500–1,500 days ago and closed 200–500 days later
 * (by today), mostly since go-live; cases still being worked up opened within the last two years.
 */
function openedDaysAgo(level: number, u: number): number {
  if (level === PHASES.length - 1) return 500 + Math.floor(u * 1000);
  if (level >= PHASES.indexOf('provision'))
    return u < 0.85
      ? GO_LIVE_DAYS + Math.floor((u / 0.85) * 1100)
      : 40 + Math.floor(((u - 0.85) / 0.15) * (GO_LIVE_DAYS - 40));
  return 40 + Math.floor(u * 820);
}
const PHASE_WEIGHTS = [6, 9, 5, 7, 5, 26, 30, 28];
const PARAGRAPHS: [string, number, string][] = [
  ['SEL §85', 52, 'Støtte til daglige opgaver i hjemmet'],
  ['SEL §82b', 14, 'Individuel tidsbegrænset socialpædagogisk hjælp og støtte'],
  ['SEL §82a', 6, 'Gruppebaseret hjælp og støtte'],
  ['SEL §104', 10, 'Social aktivitet'],
  ['SEL §107', 12, 'Midlertidigt ophold'],
  ['SEL §108', 6, 'Længerevarende ophold'],
];
const TARGET = [
  'Angst',
  'Depression',
  'Forandret virkelighedsopfattelse',
  'Personlighedsforstyrrelse',
  'Stressbelastning',
];
const INTERVENTIONS: [string, string][] = [
  ['Færdes med transportmidler', 'Borgeren tager bussen alene på kendte ruter'],
  ['Varetage økonomi', 'Borgeren betaler faste regninger selv via netbank'],
  ['Lave mad', 'Borgeren laver et varmt måltid tre gange om ugen'],
  ['Deltage i sociale fællesskaber og fritidsaktiviteter', 'Borgeren deltager i et fællesskab hver uge'],
  ['Håndtere post', 'Borgeren åbner og sorterer sin post hver uge'],
  ['Varetage beskæftigelse', 'Borgeren er i praktik otte timer om ugen'],
  ['Købe ind', 'Borgeren handler selv ind i nærmeste butik'],
  ['Varetage relationer til netværk', 'Borgeren har fast kontakt med to personer i netværket'],
  ['Varetage egen sundhed', 'Borgeren følger en fast døgnrytme fem dage om ugen'],
];
/**
 * The citizen's own goals, each with the indsatsmål that serve it (indices into INTERVENTIONS, the most
 * direct first): a goal hierarchy a caseworker would write with the citizen, where each child serves its
 * parent.
 */
const CITIZEN_GOALS: [string, number[]][] = [
  ['Jeg vil kunne tage bussen alene til min søster', [0, 7]],
  ['Jeg vil have et sted at bo, hvor jeg kan have min hund', [1, 4]],
  ['Jeg vil i gang med en uddannelse', [5, 8, 0]],
  ['Jeg vil have nogen at ringe til, når det er svært', [7, 3]],
  ['Jeg vil kunne lave mad til mine børn, når de er hos mig', [2, 6]],
  ['Jeg vil sove bedre og have mere overskud om dagen', [8, 3]],
  ['Jeg vil tilbage på arbejdsmarkedet, gerne i et køkken', [5, 2, 8]],
  ['Jeg vil selv kunne klare min post og mine regninger', [4, 1]],
  ['Jeg vil male igen og vise mine billeder frem', [3, 0]],
];
/**
 * Each indsatsmål's GAS scale as a caseworker writes it with the citizen: what −2 … +2 look like for this
 * goal. The citizen starts at −1.
 */
const GAS_SCALES: Record<string, [string, string, string, string, string]> = {
  'Borgeren tager bussen alene på kendte ruter': [
    'Tager ikke bussen, heller ikke med følge',
    'Tager bussen med følge på kendte ruter',
    'Tager bussen alene på én kendt rute om ugen',
    'Tager bussen alene på flere kendte ruter',
    'Tager også bussen alene på nye ruter',
  ],
  'Borgeren betaler faste regninger selv via netbank': [
    'Regninger går til rykker',
    'Betaler regninger, når bostøtten sidder med',
    'Betaler de faste regninger selv hver måned',
    'Betaler alle regninger selv og holder øje med kontoen',
    'Lægger selv et budget og følger det',
  ],
  'Borgeren laver et varmt måltid tre gange om ugen': [
    'Spiser næsten kun færdigmad eller springer måltider over',
    'Laver et varmt måltid én gang om ugen med støtte',
    'Laver et varmt måltid tre gange om ugen',
    'Laver et varmt måltid de fleste dage',
    'Laver også mad til gæster eller sine børn',
  ],
  'Borgeren deltager i et fællesskab hver uge': [
    'Deltager ikke i noget fællesskab',
    'Har været med én gang med følge',
    'Deltager i et fællesskab hver uge',
    'Deltager hver uge og har fået en at tale med',
    'Deltager i flere fællesskaber og ses med andre uden for dem',
  ],
  'Borgeren åbner og sorterer sin post hver uge': [
    'Post og e-Boks åbnes ikke',
    'Åbner posten, når bostøtten er der',
    'Åbner og sorterer posten selv hver uge',
    'Åbner posten selv og handler på det, der haster',
    'Klarer posten selv og beder om hjælp, når der er brug for det',
  ],
  'Borgeren er i praktik otte timer om ugen': [
    'Er ikke i gang med praktik eller afklaring',
    'Er i praktik, men færre end fire timer om ugen',
    'Er i praktik otte timer om ugen',
    'Er i praktik mere end otte timer om ugen',
    'Har fået ansættelse på særlige vilkår',
  ],
  'Borgeren handler selv ind i nærmeste butik': [
    'Handler ikke ind; andre handler for borgeren',
    'Handler ind med følge',
    'Handler selv ind i nærmeste butik én gang om ugen',
    'Handler selv ind flere gange om ugen',
    'Handler også selv ind i større butikker',
  ],
  'Borgeren følger en fast døgnrytme fem dage om ugen': [
    'Sover om dagen og er vågen om natten',
    'Står op før middag to-tre dage om ugen',
    'Står op og går i seng på faste tider fem dage om ugen',
    'Har en fast døgnrytme hele ugen',
    'Har en fast døgnrytme og planlægger selv sin uge',
  ],
  'Borgeren har fast kontakt med to personer i netværket': [
    'Har ingen kontakt med netværket',
    'Har kontakt med én person en gang imellem',
    'Har fast kontakt med to personer',
    'Har fast kontakt med to personer og ses med dem',
    'Har fast kontakt med flere og tager selv initiativet',
  ],
};
const scaleOf = (title: string) => {
  const l = GAS_SCALES[title];
  return l ? { gasLevels: { '-2': l[0], '-1': l[1], '0': l[2], '1': l[3], '2': l[4] }, gasBaseline: -1 } : {};
};
/** The provider's delmål under each indsatsmål (by its title), each with its scale from −1 to +1. */
const SUB_GOALS: Record<string, [string, [string, string, string]]> = {
  'Borgeren tager bussen alene på kendte ruter': [
    'Øve turen sammen hver tirsdag',
    ['Aflyser turen', 'Øver turen sammen hver anden uge', 'Øver turen sammen hver tirsdag'],
  ],
  'Borgeren betaler faste regninger selv via netbank': [
    'Gennemgå netbanken sammen hver fredag',
    ['Springer gennemgangen over', 'Gennemgår netbanken sammen', 'Viser selv, hvad der er betalt'],
  ],
  'Borgeren laver et varmt måltid tre gange om ugen': [
    'Lave en madplan for ugen sammen',
    ['Ingen madplan', 'Laver madplanen sammen hver uge', 'Laver selv madplanen og viser den'],
  ],
  'Borgeren deltager i et fællesskab hver uge': [
    'Følges til fællesskabet de første gange',
    ['Bliver hjemme', 'Følges derhen og bliver der en time', 'Går selv derhen og bliver hele tiden'],
  ],
  'Borgeren åbner og sorterer sin post hver uge': [
    'Sortere post og e-Boks sammen hver mandag',
    ['Posten ligger uåbnet', 'Sorterer posten sammen', 'Sorterer selv og viser, hvad der haster'],
  ],
  'Borgeren er i praktik otte timer om ugen': [
    'Tale ugen i praktikken igennem hver fredag',
    ['Aflyser samtalen', 'Taler ugen igennem sammen', 'Fortæller selv, hvad der gik godt og skidt'],
  ],
  'Borgeren handler selv ind i nærmeste butik': [
    'Skrive indkøbsliste sammen',
    ['Ingen indkøbsliste', 'Skriver listen, når vi gør det sammen', 'Skriver listen selv og viser den'],
  ],
  'Borgeren har fast kontakt med to personer i netværket': [
    'Aftale et opkald til netværket hver uge',
    ['Ringer ikke', 'Ringer, når vi sidder sammen', 'Ringer selv og fortæller om det bagefter'],
  ],
  'Borgeren følger en fast døgnrytme fem dage om ugen': [
    'Lave en ugeplan på køleskabet',
    ['Ingen ugeplan', 'Ugeplanen laves sammen hver uge', 'Borgeren laver selv ugeplanen'],
  ],
};

const FUNCTION_NOTES: [string, string][] = [
  ['Igangsætning og motivation', 'Svært ved at komme i gang om morgenen; bedre med en fast aftale.'],
  ['Søvn', 'Sover uroligt og vågner ofte; vil gerne arbejde med døgnrytmen.'],
  ['Følelser og adfærd', 'Bliver hurtigt overvældet i nye situationer.'],
  ['Økonomisk situation', 'Har gæld, men har selv taget kontakt til gældsrådgivning.'],
];

export interface PathwayRows {
  cases: (typeof cases.$inferInsert)[];
  casePhaseEvents: (typeof casePhaseEvents.$inferInsert)[];
  assessments: (typeof assessments.$inferInsert)[];
  conditions: (typeof assessmentConditions.$inferInsert)[];
  accounts: (typeof assessmentAccounts.$inferInsert)[];
  goals: (typeof goals.$inferInsert)[];
  goalEvents: (typeof goalEvents.$inferInsert)[];
  plans: (typeof actionPlans.$inferInsert)[];
  services: (typeof services.$inferInsert)[];
  serviceGoals: (typeof serviceGoals.$inferInsert)[];
  serviceEvents: (typeof serviceEvents.$inferInsert)[];
  providerPlans: (typeof providerPlans.$inferInsert)[];
  followUps: (typeof followUps.$inferInsert)[];
  ratings: (typeof followUpRatings.$inferInsert)[];
  measurements: (typeof measurements.$inferInsert)[];
  links: (typeof goalOfferLinks.$inferInsert)[];
}

const at = (d: IsoDate) => new Date(`${d}T10:00:00Z`);

export function generatePathways(ref: Reference, s: PathwaySeed): PathwayRows {
  const rows: PathwayRows = {
    cases: [],
    casePhaseEvents: [],
    assessments: [],
    conditions: [],
    accounts: [],
    goals: [],
    goalEvents: [],
    plans: [],
    services: [],
    serviceGoals: [],
    serviceEvents: [],
    providerPlans: [],
    followUps: [],
    ratings: [],
    measurements: [],
    links: [],
  };
  const { rnd, municipalityId: m } = s;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const weighted = <T>(xs: readonly T[], w: readonly number[]) => {
    let r = rnd() * w.reduce((a, b) => a + b, 0);
    for (const [i, x] of xs.entries()) {
      r -= w[i]!;
      if (r < 0) return x;
    }
    return xs[xs.length - 1]!;
  };
  const ffb = ref.current('ffb');
  const kl = ref.current('kl-caresocial');
  const sel = ref.current('serviceloven');
  const byDisplay = (kind: string, name: string) => {
    const c = ref.ofKind(ffb.key, kind).find((x) => x.display === name);
    if (!c) throw new Error(`FFB ${kind} "${name}" missing`);
    return c.code;
  };
  const klCode = (kind: string, prefix: string) =>
    ref.ofKind(kl.key, kind).find((x) => x.display.startsWith(prefix))!.code;
  const themeOf = (subthemeCode: string) => ffb.codes.get(subthemeCode)!.parentCode!;
  const supportNeed = (n: number) =>
    ref.ofKind(ffb.key, 'support_need').find((x) => x.attrs.ordinal === n)!.code;
  const develop = byDisplay('goal_type', 'Udvikle funktionsevne');
  const keep = byDisplay('goal_type', 'Fastholde funktionsevne');
  const result = (prefix: string) =>
    ref.ofKind(ffb.key, 'follow_up_result').find((x) => x.display.startsWith(prefix))!.code;
  const informant = {
    citizen: klCode('informant', 'Borger'),
    caseworker: klCode('informant', 'Sagsbehandler'),
    provider: klCode('informant', 'Udfører'),
  };
  const who5 = ref.instrument('WHO-5')!;
  const ors = ref.instrument('ORS');
  let caseSeq = 0;
  const addGoal = (g: Omit<typeof goals.$inferInsert, 'municipalityId' | 'id'>, on: IsoDate) => {
    const id = randomUUID();
    rows.goals.push({ ...g, id, municipalityId: m, createdAt: at(on), updatedAt: at(on) });
    rows.goalEvents.push({
      municipalityId: m,
      goalId: id,
      kind: 'created',
      snapshot: { title: g.title, status: g.status, wordsOf: g.wordsOf },
      authorUserId: g.createdBy ?? null,
      createdAt: at(on),
    });
    return id;
  };

  for (const citizen of s.citizens) {
    if (rnd() < 0.12) continue; // no case (yet)
    const phase = weighted(PHASES, PHASE_WEIGHTS);
    const level = PHASES.indexOf(phase);
    const cw = citizen.caseworkerId ?? pick(s.caseworkers);
    const openedOn = addDays(s.today, -openedDaysAgo(level, rnd()));
    const caseId = randomUUID();
    const year = Number(openedOn.slice(0, 4));
    caseSeq++;
    const closedOn = phase === 'closed' ? addDays(openedOn, 200 + Math.floor(rnd() * 300)) : null;
    rows.cases.push({
      id: caseId,
      municipalityId: m,
      citizenId: citizen.id,
      caseNumber: `${year}-${String(caseSeq).padStart(5, '0')}`,
      phase,
      reason: pick([
        'Henvendelse fra borgeren',
        'Henvendelse fra regionspsykiatrien ved udskrivning',
        'Henvendelse fra pårørende',
        'Henvendelse fra jobcentret',
        'Henvendelse fra egen læge',
      ]),
      authorityUnitId: s.authorityUnitId,
      caseworkerId: cw,
      openedOn,
      closedOn: closedOn && closedOn > s.today ? s.today : closedOn,
      endReasonList: phase === 'closed' ? kl.key : null,
      endReasonCode:
        phase === 'closed'
          ? klCode(
              'end_reason',
              pick([
                'Ikke yderligere behov (fagperson',
                'Ikke yderligere behov (borger',
                'Hændelse medfører',
              ]),
            )
          : null,
      closingNote: phase === 'closed' ? 'Borgeren klarer sig nu med støtte fra netværket.' : null,
      createdBy: cw,
      updatedBy: cw,
      createdAt: at(openedOn),
    });
    for (let p = 0; p <= level; p++) {
      const on = p === PHASES.length - 1 && closedOn ? closedOn : addDays(openedOn, p * 20);
      rows.casePhaseEvents.push({
        municipalityId: m,
        caseId,
        fromPhase: p ? PHASES[p - 1]! : null,
        toPhase: PHASES[p]!,
        authorUserId: cw,
        createdAt: at(minDate(on, s.today)),
      });
    }
    const base = { municipalityId: m, citizenId: citizen.id, caseId, createdBy: cw, updatedBy: cw };
    // The citizen's own goal comes first, at the first conversation.
    const [wishTitle, serving] = pick(CITIZEN_GOALS);
    const wish = addGoal(
      {
        ...base,
        kind: 'citizen_goal',
        wordsOf: rnd() < 0.75 ? 'citizen' : 'citizen_supported',
        title: wishTitle,
        status: level >= 5 ? 'active' : 'proposed',
        helpers: pick(['Min søster', 'Min mor og min kontaktperson', 'Naboen', '']),
      },
      addDays(openedOn, 3),
    );
    if (level < 1) continue;
    // Assessment: a draft while assessing, completed from the professional judgement on.
    const picks = serving.map((i) => INTERVENTIONS[i]!);
    const levels = picks.map(() => 1 + Math.floor(rnd() * 3));
    const assessedOn = addDays(openedOn, 20);
    const life = {
      housing: weighted(
        ['own_home', 'with_family', 'supported_temporary', 'homeless', 'supported_long_term'] as const,
        [60, 12, 14, 6, 8],
      ),
      employment: weighted(
        [
          'unemployed',
          'sick_leave',
          'early_retirement',
          'flex_or_special_terms',
          'in_education',
          'protected_employment',
        ] as const,
        [35, 15, 25, 10, 8, 7],
      ),
      education: weighted(
        ['primary', 'upper_secondary', 'vocational', 'higher', 'none_completed'] as const,
        [35, 20, 25, 10, 10],
      ),
      psychiatryContact: weighted(
        ['none', 'gp_only', 'outpatient', 'admitted_last_12m'] as const,
        [15, 20, 45, 20],
      ),
    };
    const admitted = life.psychiatryContact === 'admitted_last_12m';
    const addAssessment = (kind: string, on: IsoDate, completed: boolean, shift: number) => {
      const id = randomUUID();
      rows.assessments.push({
        id,
        municipalityId: m,
        caseId,
        citizenId: citizen.id,
        kind,
        status: completed ? 'completed' : 'draft',
        assessedOn: on,
        ffbList: ffb.key,
        supportNeedCode: supportNeed(
          Math.max(1, Math.min(4, Math.round(levels.reduce((a, b) => a + b, 0) / levels.length) - shift)),
        ),
        supportNeedNote: 'Har brug for støtte flere gange om ugen i starten.',
        citizenPerspective: `${wishTitle}. Jeg vil gerne have hjælp, men jeg vil selv bestemme tempoet.`,
        citizenResources: pick([
          'Stædig på den gode måde.',
          'God til at lave mad og gå lange ture.',
          'Har en søster, der altid støtter.',
        ]),
        professionalJudgement:
          'Borgeren er motiveret og har ressourcer i netværket. Der er behov for støtte til hverdagens opgaver.',
        ...life,
        admissions12m: admitted ? 1 + Math.floor(rnd() * 3) : 0,
        admissionDays12m: admitted ? 5 + Math.floor(rnd() * 40) : 0,
        createdBy: cw,
        updatedBy: cw,
        createdAt: at(on),
        completedAt: completed ? at(on) : null,
        completedBy: completed ? cw : null,
      });
      picks.forEach(([sub], i) => {
        rows.conditions.push({
          municipalityId: m,
          assessmentId: id,
          ffbList: ffb.key,
          subthemeCode: byDisplay('subtheme', sub),
          level: Math.max(0, levels[i]! - shift),
          note: 'Vurderet sammen med borgeren.',
          inFocus: i === 0,
        });
      });
      const [fn, note] = pick(FUNCTION_NOTES);
      rows.conditions.push({
        municipalityId: m,
        assessmentId: id,
        ffbList: ffb.key,
        subthemeCode: byDisplay('subtheme', fn),
        level: null,
        note,
        inFocus: false,
      });
      const theme = themeOf(byDisplay('subtheme', picks[0]![0]));
      rows.accounts.push({
        municipalityId: m,
        assessmentId: id,
        ffbList: ffb.key,
        themeCode: theme,
        informantList: kl.key,
        informantCode: informant.citizen,
        body: 'Det er svært for mig, men jeg vil gerne lære det.',
      });
      rows.accounts.push({
        municipalityId: m,
        assessmentId: id,
        ffbList: ffb.key,
        themeCode: theme,
        informantList: kl.key,
        informantCode: informant.caseworker,
        body: 'Borgeren har brug for træning med støtte i starten.',
      });
    };
    addAssessment('initial', assessedOn, level >= 2, 0);
    if (level < 3) continue;
    // Goals and the plan.
    addGoal(
      {
        ...base,
        kind: 'purpose',
        wordsOf: 'caseworker',
        citizenGoalId: wish,
        title: 'At borgeren bliver mere selvhjulpen i hverdagen og kommer tættere på egne mål',
        status: 'active',
      },
      addDays(openedOn, 35),
    );
    const interventionIds = picks.slice(0, 1 + Math.floor(rnd() * 2)).map(([sub, title], i) =>
      addGoal(
        {
          ...base,
          kind: 'intervention',
          wordsOf: 'caseworker',
          citizenGoalId: wish,
          title,
          status: phase === 'closed' ? pick(['achieved', 'partly_achieved']) : 'active',
          what: 'Træning sammen med bostøttemedarbejderen en gang om ugen',
          measure: 'Borgeren gør det selv tre uger i træk',
          dueOn: addMonths(openedOn, 12),
          helpers: 'Bostøtten og en person fra netværket',
          ffbList: ffb.key,
          subthemeCode: byDisplay('subtheme', sub),
          expectedLevel: Math.max(0, levels[i]! - 1),
          goalTypeCode: rnd() < 0.85 ? develop : keep,
          ...scaleOf(title),
        },
        addDays(openedOn, 36),
      ),
    );
    const planOn = addDays(openedOn, 40);
    const sharedPlan = level >= 4;
    rows.plans.push({
      municipalityId: m,
      citizenId: citizen.id,
      caseId,
      version: 1,
      status: sharedPlan ? 'shared' : 'draft',
      purpose: 'At borgeren bliver mere selvhjulpen i hverdagen',
      servicesNeeded: 'Socialpædagogisk støtte',
      expectedDuration: '12 måneder',
      housing: life.housing === 'own_home' ? 'Bor i egen lejlighed' : '',
      employment: 'Afklaring sammen med jobcentret',
      offer: rnd() < 0.85 ? 'accepted' : 'declined',
      offeredOn: planOn,
      agreementOn: planOn,
      agreementHow: 'meeting',
      participants: [
        { kind: 'provider', name: 'Bostøtten', responsibility: 'Ugentlig støtte' },
        ...(rnd() < 0.4
          ? [{ kind: 'jobcenter', name: 'Jobcentret', responsibility: 'Praktik og afklaring' }]
          : []),
      ],
      goalsSnapshot: sharedPlan ? [{ kind: 'citizen_goal', title: wishTitle }] : null,
      servicesSnapshot: sharedPlan ? [] : null,
      sharedAt: sharedPlan ? at(planOn) : null,
      sharedBy: sharedPlan ? cw : null,
      createdBy: cw,
      updatedBy: cw,
      createdAt: at(planOn),
    });
    if (level < 4) continue;
    // Services: one per case, some step down from a temporary residence to support in own home.
    const [paragraph, , ydelse] = weighted(
      PARAGRAPHS,
      PARAGRAPHS.map((p) => p[1]),
    );
    const addService = (
      par: string,
      yd: string,
      plannedStart: IsoDate,
      endOn: IsoDate | null,
      status: string,
    ) => {
      const id = randomUUID();
      const maxMonths = (ref.code(sel.key, par)?.attrs.maxMonths as number | null) ?? null;
      // A time-limited service (§82b: six months) on an open case is the one running now, not one that ran
      // out long ago: the demo never shows a case with the provider and only ended services.
      const startOn =
        maxMonths && !endOn && phase !== 'closed' && addMonths(plannedStart, maxMonths) < s.today
          ? addMonths(s.today, -(1 + Math.floor(rnd() * (maxMonths - 1))))
          : plannedStart;
      const end = endOn ?? (maxMonths ? addMonths(startOn, maxMonths) : null);
      const ended = status === 'ended' || (end !== null && end < s.today && status === 'active');
      const hours = par === 'SEL §85' ? 2 + Math.floor(rnd() * 5) : par === 'SEL §82b' ? 2 : null;
      const monthly = par === 'SEL §107' || par === 'SEL §108';
      const close = rnd() < 0.2;
      const svc: typeof services.$inferInsert & { id: string; status: string } = {
        id,
        municipalityId: m,
        citizenId: citizen.id,
        caseId,
        ffbList: ffb.key,
        ydelseCode: byDisplay('ydelse', yd),
        paragraphList: sel.key,
        paragraphCode: par,
        providerUnitId: s.providers[par]!,
        primaryTargetGroupCode: byDisplay('target_group', pick(TARGET)),
        secondaryTargetGroupCodes: rnd() < 0.3 ? [byDisplay('target_group', 'Social isolation')] : [],
        // The støttebehov of the assessment the service was granted on.
        supportNeedCode: supportNeed(
          Math.max(1, Math.min(4, Math.round(levels.reduce((a, b) => a + b, 0) / levels.length))),
        ),
        status: ended ? 'ended' : status,
        // A granted service has its expected start, from which the first follow-up falls due.
        startOn,
        endOn: ended ? (end && end < s.today ? end : s.today) : end,
        endReasonList: ended ? kl.key : null,
        endReasonCode: ended ? klCode('end_reason', 'Ikke yderligere behov (fagperson') : null,
        hoursPerWeek: hours === null ? null : hours.toFixed(2),
        priceAmount: monthly
          ? par === 'SEL §108'
            ? '62000.00'
            : '48000.00'
          : par === 'SEL §104'
            ? '3500.00'
            : '465.00',
        priceUnit: monthly || par === 'SEL §104' ? 'month' : 'hour',
        cadenceKind: close ? 'close' : 'standard',
        cadenceMonths: close ? 2 : null,
        createdBy: cw,
        updatedBy: cw,
        createdAt: at(startOn),
      };
      rows.services.push(svc);
      for (const g of interventionIds)
        rows.serviceGoals.push({ municipalityId: m, serviceId: id, goalId: g });
      rows.serviceEvents.push({
        municipalityId: m,
        serviceId: id,
        fromStatus: null,
        toStatus: 'granted',
        on: addDays(startOn, -7),
        authorUserId: cw,
      });
      if (status !== 'granted')
        rows.serviceEvents.push({
          municipalityId: m,
          serviceId: id,
          fromStatus: 'granted',
          toStatus: 'active',
          on: startOn,
          authorUserId: cw,
        });
      if (svc.status === 'ended')
        rows.serviceEvents.push({
          municipalityId: m,
          serviceId: id,
          fromStatus: 'active',
          toStatus: 'ended',
          on: svc.endOn!,
          authorUserId: cw,
        });
      return svc;
    };
    const startOn = addDays(planOn, 14);
    const stepDown = paragraph === 'SEL §107' && rnd() < 0.45 && level >= 5;
    const first = addService(
      paragraph,
      ydelse,
      startOn,
      stepDown ? addMonths(startOn, 8) : phase === 'closed' ? closedOn : null,
      level >= 5 ? 'active' : 'granted',
    );
    const running = stepDown
      ? addService(
          'SEL §85',
          'Støtte til daglige opgaver i hjemmet',
          addDays(addMonths(startOn, 8), -14),
          null,
          'active',
        )
      : first;
    if (level < 5 || running.status === 'granted') continue;
    // The provider's plan, follow-ups with GAS trending up, and measures.
    rows.providerPlans.push({
      municipalityId: m,
      serviceId: running.id,
      version: 1,
      approach: 'Vi tager udgangspunkt i borgerens egne mål og aftaler hver uge, hvad vi øver.',
      methodCodes: pick([['FIT', 'MI'], ['KRAP'], ['MI', 'NETWORK_MEETING'], ['IMR']]),
      authorUserId: s.providerUserId ?? cw,
      createdAt: at(addDays(running.startOn!, 10)),
    });
    if (interventionIds[0]) {
      addGoal(
        {
          ...base,
          kind: 'sub',
          wordsOf: 'provider',
          parentGoalId: interventionIds[0],
          serviceId: running.id,
          ...(([title, [less, expected, more]]) => ({
            title,
            gasLevels: { '-1': less, '0': expected, '1': more },
            gasBaseline: -1,
          }))(SUB_GOALS[picks[0]![1]]!),
          status: 'active',
          createdBy: s.providerUserId ?? cw,
        },
        addDays(running.startOn!, 12),
      );
    }
    let last: IsoDate | null = null;
    const cadence =
      running.cadenceKind === 'close'
        ? ({ kind: 'close', months: 2 } as const)
        : ({ kind: 'standard' } as const);
    const maxMonths = (ref.code(sel.key, running.paragraphCode)?.attrs.maxMonths as number | null) ?? null;
    const limit = running.endOn && running.endOn < s.today ? running.endOn : s.today;
    // Follow-ups at the cadence up to today, a little before each due date. About one running service in
    // six has its latest follow-up outstanding, by days or weeks (never by a year): a realistic worklist.
    for (let n = 0; n < 40; n++) {
      const due = nextFollowUpDue({
        startDate: running.startOn!,
        endDate: running.endOn ?? null,
        lastFollowUpDate: last,
        cadence,
        maxMonths,
      });
      const held = addDays(due, -Math.floor(rnd() * 20));
      if (held > limit || (last && held <= last)) break;
      if (running.status === 'active' && due > addDays(s.today, -45) && rnd() < 0.17) break;
      const fid = randomUUID();
      rows.followUps.push({
        id: fid,
        municipalityId: m,
        citizenId: citizen.id,
        caseId,
        serviceId: running.id,
        heldOn: held,
        ffbList: ffb.key,
        resultCode: result('Træf afgørelse om fortsættelse'),
        notes: 'Borgeren har taget små skridt. Vi fortsætter.',
        citizenView: pick([
          'Det går bedre.',
          'Jeg er lidt træt af det, men jeg kan mærke fremskridt.',
          'Jeg er stolt af mig selv.',
        ]),
        // The life situation moves a little over the follow-ups (no extra random draws: the demo stays stable).
        housing: life.housing,
        employment: n >= 3 && life.employment === 'unemployed' ? 'in_education' : life.employment,
        education: life.education,
        psychiatryContact: admitted && n >= 2 ? 'outpatient' : life.psychiatryContact,
        admissions12m: admitted ? Math.max(0, 2 - n) : 0,
        admissionDays12m: admitted ? Math.max(0, 21 - n * 7) : 0,
        authorUserId: s.providerUserId ?? cw,
        createdAt: at(held),
      });
      for (const g of interventionIds) {
        const score = Math.max(-2, Math.min(2, Math.round(-1 + Math.min(n, 4) * 0.4 + (rnd() - 0.5))));
        rows.ratings.push({
          municipalityId: m,
          followUpId: fid,
          goalId: g,
          rater: 'citizen',
          informantList: kl.key,
          informantCode: informant.citizen,
          score,
          weight: 1,
        });
        rows.ratings.push({
          municipalityId: m,
          followUpId: fid,
          goalId: g,
          rater: 'professional',
          informantList: kl.key,
          informantCode: informant.provider,
          score: Math.max(-2, Math.min(2, score + (rnd() < 0.3 ? -1 : 0))),
          weight: 1,
        });
      }
      last = held;
    }
    // Every service with follow-ups knows its latest one; only a running service has a next one.
    running.lastFollowUpOn = last;
    if (running.status === 'active') {
      running.nextFollowUpOn = nextFollowUpDue({
        startDate: running.startOn!,
        endDate: running.endOn ?? null,
        lastFollowUpDate: last,
        cadence,
        maxMonths,
      });
    }
    if (rnd() < 0.6) {
      let score = 6 + Math.floor(rnd() * 8);
      for (let n = 0; n < 2 + Math.floor(rnd() * 4); n++) {
        const on = addDays(running.startOn!, n * 90);
        if (on > s.today) break;
        const answers = Object.fromEntries(
          who5.items.map((it) => [it.id, Math.max(0, Math.min(5, Math.round(score / 5 + (rnd() - 0.5))))]),
        );
        const raw = Object.values(answers).reduce((a, b) => a + b, 0);
        rows.measurements.push({
          municipalityId: m,
          citizenId: citizen.id,
          serviceId: running.id,
          instrumentKey: who5.key,
          instrumentVersion: who5.version,
          administeredOn: on,
          informantList: kl.key,
          informantCode: informant.citizen,
          answers,
          raw: raw.toFixed(2),
          score: (raw * 4).toFixed(2),
          authorUserId: s.providerUserId ?? cw,
        });
        score += Math.floor(rnd() * 5) - 1;
      }
    }
    if (ors && rnd() < 0.25) {
      let total = 14 + rnd() * 10;
      for (let n = 0; n < 3 + Math.floor(rnd() * 3); n++) {
        const on = addDays(running.startOn!, 7 + n * 14);
        if (on > s.today) break;
        const item = Math.round((total / 4) * 10) / 10;
        const answers = { '1': item, '2': item, '3': item, '4': item };
        rows.measurements.push({
          municipalityId: m,
          citizenId: citizen.id,
          serviceId: running.id,
          instrumentKey: ors.key,
          instrumentVersion: ors.version,
          administeredOn: on,
          informantList: kl.key,
          informantCode: informant.citizen,
          answers,
          raw: (item * 4).toFixed(2),
          score: (item * 4).toFixed(2),
          authorUserId: s.providerUserId ?? cw,
        });
        total += rnd() * 3 - 0.5;
      }
    }
    if (s.offers.length && rnd() < 0.35) {
      const startedOn = addDays(running.startOn!, 30 + Math.floor(rnd() * 60));
      if (startedOn <= s.today)
        rows.links.push({
          municipalityId: m,
          citizenId: citizen.id,
          goalId: wish,
          offerId: pick(s.offers),
          status: pick(['started', 'continuing', 'continuing', 'stopped']),
          startedOn,
          checkedOn: s.today,
          note: '',
        });
    }
  }
  return rows;
}

/** Inserts generated rows in batches, parents before children. */
export async function insertPathways(tx: Tx, rows: PathwayRows, batch = 500) {
  const put = async <T>(table: Parameters<Tx['insert']>[0], xs: T[]) => {
    for (let i = 0; i < xs.length; i += batch) await tx.insert(table).values(xs.slice(i, i + batch) as never);
  };
  // Goals reference each other (citizen goal, parent): insert in creation order, kinds first.
  const order = { citizen_goal: 0, purpose: 1, intervention: 2, sub: 3 } as Record<string, number>;
  await put(cases, rows.cases);
  // Later cases continue the numbering: the counter per year is the highest seeded number.
  const highest = new Map<number, number>();
  for (const c of rows.cases) {
    const [year, n] = c.caseNumber.split('-').map(Number) as [number, number];
    highest.set(year, Math.max(highest.get(year) ?? 0, n));
  }
  for (const [year, lastValue] of highest)
    await tx
      .insert(caseNumberCounters)
      .values({ municipalityId: rows.cases[0]!.municipalityId, year, lastValue })
      .onConflictDoUpdate({
        target: [caseNumberCounters.municipalityId, caseNumberCounters.year],
        set: { lastValue: sql`greatest(${caseNumberCounters.lastValue}, excluded.last_value)` },
      });
  await put(casePhaseEvents, rows.casePhaseEvents);
  await put(
    assessments,
    rows.assessments.map((a) => ({ ...a, status: 'draft' })),
  );
  await put(assessmentConditions, rows.conditions);
  await put(assessmentAccounts, rows.accounts);
  // Completed assessments are immutable: complete them after their conditions and accounts are in.
  const completed = rows.assessments.filter((a) => a.status === 'completed').map((a) => a.id!);
  for (let i = 0; i < completed.length; i += batch) {
    await tx
      .update(assessments)
      .set({ status: 'completed' })
      .where(inArray(assessments.id, completed.slice(i, i + batch)));
  }
  const subs = rows.goals.filter((g) => g.kind === 'sub');
  await put(
    goals,
    [...rows.goals.filter((g) => g.kind !== 'sub')].sort((a, b) => order[a.kind]! - order[b.kind]!),
  );
  await put(actionPlans, rows.plans);
  await put(services, rows.services);
  await put(goals, subs);
  await put(goalEvents, rows.goalEvents);
  await put(serviceGoals, rows.serviceGoals);
  await put(serviceEvents, rows.serviceEvents);
  await put(providerPlans, rows.providerPlans);
  await put(followUps, rows.followUps);
  await put(followUpRatings, rows.ratings);
  await put(measurements, rows.measurements);
  await put(goalOfferLinks, rows.links);
}

export const DEMO_OFFERS: Omit<typeof communityOffers.$inferInsert, 'municipalityId'>[] = [
  {
    name: 'Madklubben i Kulturhuset',
    organiser: 'Frivilligcentret',
    category: 'community',
    location: 'Kulturhuset, Torvet 2',
    schedule: 'Torsdag kl. 17–19',
    contact: 'madklub@frivillig.example',
    tags: ['mad', 'fællesskab'],
  },
  {
    name: 'Gå-gruppen',
    organiser: 'Ældre Sagen og Psykiatriforeningen',
    category: 'sport',
    location: 'Mødested ved Stationen',
    schedule: 'Tirsdag kl. 10',
    contact: '20 30 40 50',
    tags: ['bevægelse', 'natur'],
  },
  {
    name: 'Recovery College: Mit liv, mine mål',
    organiser: 'Kommunen og peer-medarbejdere',
    category: 'education',
    location: 'Biblioteket',
    schedule: 'Onsdag kl. 13–15, 6 gange',
    contact: 'recoverycollege@kommune.example',
    tags: ['kursus', 'recovery'],
  },
  {
    name: 'Værkstedet',
    organiser: 'Frivillige håndværkere',
    category: 'work',
    location: 'Havnegade 12',
    schedule: 'Mandag og fredag kl. 9–12',
    contact: 'vaerkstedet@frivillig.example',
    tags: ['træ', 'praktisk'],
  },
  {
    name: 'Sindets Kor',
    organiser: 'Kulturskolen',
    category: 'culture',
    location: 'Musikhuset',
    schedule: 'Mandag kl. 18–20',
    contact: 'kor@kulturskolen.example',
    tags: ['musik'],
  },
  {
    name: 'Peer-cafeen',
    organiser: 'LAP – Landsforeningen af nuværende og tidligere psykiatribrugere',
    category: 'peer_support',
    location: 'Værestedet Kilden',
    schedule: 'Hver anden lørdag kl. 11–14',
    contact: 'peer@lap.example',
    tags: ['peer', 'samtale'],
  },
  {
    name: 'Frivillig i genbrugsbutikken',
    organiser: 'Røde Kors',
    category: 'volunteering',
    location: 'Søndergade 8',
    schedule: 'Efter aftale',
    contact: 'genbrug@roedekors.example',
    tags: ['frivillig'],
  },
  {
    name: 'Badmintonholdet Fri Fjer',
    organiser: 'Idrætsforeningen',
    category: 'sport',
    location: 'Hallen',
    schedule: 'Søndag kl. 10–12',
    contact: 'frifjer@if.example',
    tags: ['sport', 'hold'],
  },
];
