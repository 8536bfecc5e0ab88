import { addDays, addMonths, type IsoDate } from './domain/dates';
/**
 * The key-figure catalogue (issue 5): every indicator Retning computes from what caseworkers and providers
 * already record, with its purpose, the concept's principles and the national target areas it serves, and
 * its exact definition. docs/indicators.md is generated from this file (`npm run docs:indicators`) and a
 * test keeps the two in step.
 */

/** The 2023 concept's eight principles for recovery-oriented rehabilitation (seed 001). */
export const PRINCIPLES = {
  1: 'Tag udgangspunkt i borgernes håb, ønsker og drømme',
  2: 'Fokusér på borgernes ressourcer',
  3: 'Inddrag borgernes netværk og de almene fællesskaber',
  4: 'Mød borgerne med åbenhed, tillid og respekt',
  5: 'Hjælp borgerne så tidligt som muligt',
  6: 'Arbejd koordineret med borgernes samlede livssituation',
  7: 'Følg op, så indsatsen altid er den rette',
  8: 'Brug viden og metoder, der virker',
} as const;
export type Principle = keyof typeof PRINCIPLES;

/** The four national target areas of Socialpsykiatriens Nøgletal (reference.md §4.1). */
export const TARGET_AREAS = {
  recovery: 'Øget personlig recovery og trivsel',
  earlier: 'Tidligere indsats',
  education_employment: 'Øget grad af uddannelse og beskæftigelse',
  health: 'Forbedret sundhed',
} as const;
export type TargetArea = keyof typeof TARGET_AREAS;

/** Breakdowns inside a municipality (every indicator also has month, quarter and year). */
export const BREAKDOWNS = {
  paragraph: 'Paragraf',
  step: 'Trin på indsatstrappen',
  unit: 'Enhed (udfører)',
  target_group: 'Målgruppe',
} as const;
export type Breakdown = keyof typeof BREAKDOWNS;

export const PERIOD_KINDS = ['month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
/** How many months each kind of period spans. */
export const PERIOD_MONTHS: Record<PeriodKind, number> = { month: 1, quarter: 3, year: 12 };

/** The last day of a period (YYYY-MM-DD), from its first day. */
export const periodEnd = (kind: PeriodKind, start: IsoDate): IsoDate =>
  addDays(addMonths(start, PERIOD_MONTHS[kind]), -1);

/**
 * A period is in progress until its last day has passed (`today` as YYYY-MM-DD where the user is): its
 * figures would be partial, so the pages mark it, leave it out of trend lines and never make it a headline.
 * (The publication holds complete periods only, SETTLE_DAYS after their end; this guards the pages anyway.)
 */
export const periodInProgress = (kind: PeriodKind, start: IsoDate, today: IsoDate): boolean =>
  today <= periodEnd(kind, start);

/**
 * Whether an indicator's figures of a kind of period are published broken down (by paragraph, step, unit,
 * target group): never by month (its cells are mostly 1–2), by quarter unless its events are too few
 * (breakdownYearly), always by year. The municipality as a whole is published for every kind of period.
 */
export function brokenDown(ind: { breakdownYearly?: true } | undefined, kind: PeriodKind): boolean {
  return kind === 'year' || (kind === 'quarter' && !ind?.breakdownYearly);
}

/**
 * How a figure is made and protected: a count of citizens; a rate (numerator over denominator, both
 * counts of citizens or records); an amount in DKK (dominance rule); a duration in days (median).
 */
export type IndicatorKind = 'count' | 'rate' | 'amount' | 'duration' | 'mean';

export interface Indicator {
  key: string;
  name: string;
  purpose: string;
  principles: Principle[];
  targetAreas: TargetArea[];
  kind: IndicatorKind;
  numerator: string;
  denominator: string | null;
  /** What "in the period" means. */
  period: string;
  population: string;
  /** Where in Retning the data comes from. */
  source: string;
  breakdowns: Breakdown[];
  /**
   * Events that are few per quarter in one paragraph, step, unit or target group (starts, endings, paired
   * measurements): broken down by year only, so the pages are not a wall of withheld cells and the
   * published system has fewer links to attack (brokenDown; decision 010).
   */
  breakdownYearly?: true;
}

const ACTIVE =
  'Borgere med mindst én ydelse (serviceloven §§ 82a–d, 85, 85a, 99, 103, 104, 107, 108, ABL § 105) bevilget eller i gang på et tidspunkt i perioden';

export const INDICATORS: readonly Indicator[] = [
  {
    key: 'citizens',
    name: 'Borgere med indsats',
    purpose: 'Hvor mange borgere kommunen støtter, og på hvilke paragraffer og trin.',
    principles: [5],
    targetAreas: ['earlier'],
    kind: 'count',
    numerator: 'Antal forskellige borgere med en ydelse, der er bevilget eller i gang i perioden',
    denominator: null,
    period:
      'Ydelsen gælder mindst én dag i perioden (start ≤ periodens slut og (slut tom eller ≥ periodens start))',
    population: ACTIVE,
    source: 'services (status, start_on, end_on, paragraph_code); trin fra data/serviceloven',
    breakdowns: ['paragraph', 'step', 'unit', 'target_group'],
  },
  {
    key: 'new_citizens',
    name: 'Nye borgere',
    purpose: 'Tilgangen: borgere, der får deres første ydelse i kommunen.',
    principles: [5],
    targetAreas: ['earlier'],
    kind: 'count',
    numerator: 'Borgere, hvis første ydelse nogensinde i kommunen starter i perioden',
    denominator: null,
    period: 'Første ydelses startdato ligger i perioden',
    population: ACTIVE,
    source: 'services (start_on), første pr. borger',
    breakdowns: ['paragraph', 'step', 'unit', 'target_group'],
    breakdownYearly: true,
  },
  {
    key: 'step_down',
    name: 'Bevægelser ned ad indsatstrappen',
    purpose: 'Om borgerne flytter mod et almindeligt hverdagsliv.',
    principles: [5, 7],
    targetAreas: ['earlier', 'recovery'],
    kind: 'count',
    numerator:
      'Borgere, hvis højeste trin ved periodens slut er lavere end dagen før perioden (eller som er ude af trappen)',
    denominator: 'Borgere med en ydelse dagen før perioden',
    period: 'Trin dagen før perioden og ved periodens slut (i dag for den igangværende periode)',
    population: ACTIVE,
    source: 'services (paragraf → trin), ladderSegments() i src/shared/domain/ladder.ts',
    breakdowns: ['step', 'unit', 'target_group'],
  },
  {
    key: 'step_up',
    name: 'Bevægelser op ad indsatstrappen',
    purpose: 'Borgere, der har brug for mere støtte end før: læses sammen med bevægelser ned.',
    principles: [5, 7],
    targetAreas: ['earlier'],
    kind: 'count',
    numerator: 'Borgere, hvis højeste trin ved periodens slut er højere end dagen før perioden',
    denominator: 'Borgere med en ydelse dagen før perioden',
    period: 'Trin dagen før perioden og ved periodens slut (i dag for den igangværende periode)',
    population: ACTIVE,
    source: 'services (paragraf → trin)',
    breakdowns: ['step', 'unit', 'target_group'],
  },
  {
    key: 'days_on_step',
    name: 'Tid på trinnet',
    purpose: 'Hvor længe borgerne bliver på et trin, før de flytter eller afslutter.',
    principles: [5, 7],
    targetAreas: ['earlier'],
    kind: 'duration',
    numerator: 'Median af antal dage, en afsluttet ydelse har varet, pr. trin (ydelser afsluttet i perioden)',
    denominator: 'Antal afsluttede ydelser (observationer)',
    period: 'Ydelsens slutdato ligger i perioden',
    population: ACTIVE,
    source: 'services (paragraf → trin, start_on, end_on)',
    breakdowns: ['paragraph', 'step', 'unit', 'target_group'],
    breakdownYearly: true,
  },
  {
    key: 'ended_need_met',
    name: 'Afsluttet, fordi behovet er dækket',
    purpose: 'Andelen af afsluttede ydelser, der slutter, fordi borgeren ikke længere har behov.',
    principles: [7],
    targetAreas: ['recovery'],
    kind: 'rate',
    numerator:
      'Ydelser afsluttet i perioden med ophørsårsag "Ikke yderligere behov" (borger- eller fagperson-vurderet)',
    denominator: 'Ydelser afsluttet i perioden',
    period: 'Ydelsens slutdato ligger i perioden',
    population: ACTIVE,
    source: 'services (status ended, end_on, end_reason_code: KL CareSocialCodes)',
    breakdowns: ['paragraph', 'step', 'unit', 'target_group'],
    breakdownYearly: true,
  },
  {
    key: 'gas_attainment',
    name: 'Målopfyldelse (GAS)',
    purpose: 'Hvor langt borgerne når med deres indsatsmål, som borgeren selv vurderer det.',
    principles: [1, 7],
    targetAreas: ['recovery'],
    kind: 'mean',
    numerator:
      'Gennemsnitlig GAS T-score (borgerens vurdering) ved opfølgninger i perioden, kun for mål med en beskrevet GAS-skala',
    denominator: 'Opfølgninger i perioden med borgerens GAS-vurdering af mindst ét mål med GAS-skala',
    period: 'Opfølgningsdatoen ligger i perioden',
    population: 'Borgere med opfølgning på en ydelse i perioden',
    source:
      'follow_ups, follow_up_ratings (rater citizen) på goals med gas_levels (mål uden skala tæller ikke), gasTScore()',
    breakdowns: ['paragraph', 'step', 'unit', 'target_group'],
  },
  {
    key: 'goals_own_words',
    name: 'Mål i borgerens egne ord',
    purpose: 'Om målene er borgerens egne.',
    principles: [1],
    targetAreas: ['recovery'],
    kind: 'rate',
    numerator:
      'Mål skrevet i borgerens ord (borgerens egne eller med støtte), som de stod ved periodens slut',
    denominator: 'Borgerens mål og indsatsmål, der var foreslået eller aktive ved periodens slut',
    period: 'Målets seneste version (goal_events) ved periodens slut',
    population: 'Borgere med en åben sag',
    source: 'goals (kind, words_of, status)',
    breakdowns: ['unit', 'target_group'],
  },
  {
    key: 'who5_improved',
    name: 'Bedre trivsel (WHO-5)',
    purpose: 'Personlig trivsel målt med WHO-5: pålidelig forbedring fra første til seneste måling.',
    principles: [7, 8],
    targetAreas: ['recovery', 'health'],
    kind: 'rate',
    numerator: 'Borgere, hvis seneste WHO-5 i perioden er en pålidelig forbedring i forhold til deres første',
    denominator: 'Borgere med mindst to WHO-5-målinger, den seneste i perioden',
    period: 'Den seneste måling ligger i perioden',
    population: 'Borgere med WHO-5-målinger',
    source:
      'measurements (instrument WHO-5); pålidelig ændring 10 point efter data/instruments/who-5-2026.json (Topp m.fl. 2015)',
    breakdowns: ['unit', 'target_group'],
    breakdownYearly: true,
  },
  {
    key: 'qpr_improved',
    name: 'Højere QPR-15-score',
    purpose:
      'Personlig recovery målt med QPR-15: andelen, hvis seneste score er højere end den første. QPR-15 har intet offentliggjort indeks for pålidelig ændring, så tallet viser enhver stigning, ikke pålidelig forbedring.',
    principles: [1, 7, 8],
    targetAreas: ['recovery'],
    kind: 'rate',
    numerator: 'Borgere, hvis seneste QPR-15 i perioden er højere end deres første (mindst 1 point)',
    denominator: 'Borgere med mindst to QPR-15-målinger, den seneste i perioden',
    period: 'Den seneste måling ligger i perioden',
    population: 'Borgere med QPR-målinger',
    source:
      'measurements (instrument QPR-15); data/instruments/qpr-15-2026.json (reliableChange: null, med begrundelse)',
    breakdowns: ['unit', 'target_group'],
    breakdownYearly: true,
  },
  {
    key: 'follow_up_on_time',
    name: 'Opfølgning til tiden',
    purpose: 'Om opfølgningen sker, når den skal.',
    principles: [7],
    targetAreas: ['recovery'],
    kind: 'rate',
    numerator:
      'Opfølgninger i perioden holdt senest på forfaldsdatoen (første senest 3 måneder efter start, derefter 12 måneder eller den tætte kadence efter forrige)',
    denominator:
      'Opfølgninger holdt i perioden plus ydelser, hvis opfølgning er forfalden og ikke holdt ved periodens slut',
    period: 'Opfølgningsdato eller forfaldsdato i perioden',
    population: ACTIVE,
    source: 'follow_ups (held_on), services (next_follow_up_on), src/shared/domain/cadence.ts',
    breakdowns: ['paragraph', 'unit', 'target_group'],
  },
  {
    key: 'follow_up_interval',
    name: 'Opnået opfølgningskadence',
    purpose: 'Hvor tæt opfølgningen faktisk er.',
    principles: [7],
    targetAreas: ['recovery'],
    kind: 'duration',
    numerator: 'Median af dage mellem to på hinanden følgende opfølgninger på samme ydelse',
    denominator: 'Antal mellemrum (observationer)',
    period: 'Den senere opfølgning ligger i perioden',
    population: ACTIVE,
    source: 'follow_ups (held_on)',
    breakdowns: ['paragraph', 'unit', 'target_group'],
  },
  {
    key: 'plan_offered',
    name: '§ 141-handleplan tilbudt',
    purpose: 'Om borgerne får tilbudt en handleplan, som loven kræver.',
    principles: [6],
    targetAreas: ['recovery'],
    kind: 'rate',
    numerator: 'Borgere med en delt handleplan, hvor planen er tilbudt eller accepteret',
    denominator: 'Borgere med en åben sag ved periodens slut',
    period: 'Seneste delte handleplan ved periodens slut',
    population: 'Borgere med en åben sag',
    source: 'action_plans (status shared, offer)',
    breakdowns: ['unit', 'target_group'],
  },
  {
    key: 'plan_accepted',
    name: '§ 141-handleplan accepteret',
    purpose: 'Om borgerne tager imod handleplanen.',
    principles: [1, 6],
    targetAreas: ['recovery'],
    kind: 'rate',
    numerator: 'Borgere, hvis seneste delte handleplan er accepteret',
    denominator: 'Borgere med en delt handleplan, der er tilbudt',
    period: 'Seneste delte handleplan ved periodens slut',
    population: 'Borgere med en åben sag',
    source: 'action_plans (offer)',
    breakdowns: ['unit', 'target_group'],
  },
  {
    key: 'community_started',
    name: 'Fællesskaber: startet',
    purpose: 'Brobygning til civilsamfund og almene fællesskaber.',
    principles: [3],
    targetAreas: ['recovery'],
    kind: 'count',
    numerator: 'Borgere, der er startet i et fællesskabs- eller civilsamfundstilbud i perioden',
    denominator: null,
    period: 'Startdato i perioden',
    population: ACTIVE,
    source: 'goal_offer_links (status, started_on)',
    breakdowns: ['unit', 'target_group'],
    breakdownYearly: true,
  },
  {
    key: 'community_kept',
    name: 'Fællesskaber: bliver ved',
    purpose: 'Om brobygningen holder.',
    principles: [3],
    targetAreas: ['recovery'],
    kind: 'rate',
    numerator:
      'Borgere, der er startet i et tilbud, og hvis kobling ikke er markeret "stoppet" senest ved periodens slut',
    denominator: 'Borgere, der er startet i et tilbud senest ved periodens slut',
    period: 'Status ved periodens slut',
    population: ACTIVE,
    source: 'goal_offer_links (status continuing / stopped, checked_on)',
    breakdowns: ['unit', 'target_group'],
  },
  {
    key: 'education_employment',
    name: 'I uddannelse eller beskæftigelse',
    purpose: 'Om flere borgere er i uddannelse eller job.',
    principles: [6],
    targetAreas: ['education_employment'],
    kind: 'rate',
    numerator:
      'Borgere, hvis seneste registrerede beskæftigelse er ordinært job, fleks/særlige vilkår, beskyttet beskæftigelse eller uddannelse',
    denominator:
      'Borgere med registreret beskæftigelse (ved udredning eller opfølgning) senest ved periodens slut',
    period: 'Seneste registrering ved periodens slut',
    population: ACTIVE,
    source: 'assessments og follow_ups (employment): livssituationen',
    breakdowns: ['paragraph', 'step', 'unit', 'target_group'],
  },
  {
    key: 'psychiatric_admission',
    name: 'Psykiatrisk indlæggelse',
    purpose: 'Sundhed: færre og kortere indlæggelser.',
    principles: [6],
    targetAreas: ['health'],
    kind: 'rate',
    numerator:
      'Borgere, hvis seneste registrering viser mindst én psykiatrisk indlæggelse de seneste 12 måneder',
    denominator: 'Borgere med registreret antal indlæggelser senest ved periodens slut',
    period: 'Seneste registrering ved periodens slut',
    population: ACTIVE,
    source: 'assessments og follow_ups (admissions_12m, admission_days_12m)',
    breakdowns: ['paragraph', 'step', 'unit', 'target_group'],
  },
  {
    key: 'spend',
    name: 'Udgifter',
    purpose: 'Hvad indsatsen koster, pr. paragraf.',
    principles: [8],
    targetAreas: ['earlier'],
    kind: 'amount',
    numerator: 'Sum af månedlig udgift × de dage, ydelsen gælder i perioden (kr.)',
    denominator: null,
    period: 'Dage i perioden, hvor ydelsen er bevilget eller i gang',
    population: ACTIVE,
    source: 'services (monthly_cost, start_on, end_on), src/shared/domain/cost.ts',
    breakdowns: ['paragraph', 'step', 'unit', 'target_group'],
  },
  {
    key: 'spend_per_citizen',
    name: 'Udgift pr. borger',
    purpose: 'Gennemsnitlig udgift pr. borger med indsats.',
    principles: [8],
    targetAreas: ['earlier'],
    kind: 'amount',
    numerator: 'Udgifter i perioden (som "Udgifter")',
    denominator: 'Borgere med en prissat ydelse i perioden',
    period: 'Som tæller og nævner',
    population: ACTIVE,
    source: 'services',
    breakdowns: ['paragraph', 'step', 'unit', 'target_group'],
  },
  {
    key: 'spend_per_goal_achieved',
    name: 'Udgift pr. opnået mål',
    purpose: 'Hvad et opnået mål koster: udgift set i forhold til resultat.',
    principles: [7, 8],
    targetAreas: ['recovery'],
    kind: 'amount',
    numerator: 'Udgifter i perioden (som "Udgifter") til ydelser i sager med mindst ét indsatsmål',
    denominator: 'Indsatsmål, der første gang får status opnået i perioden',
    period: 'Udgiftens dage i perioden; datoen for målets første status opnået',
    population: ACTIVE,
    source: 'services (sagens indsatsmål), goals (kind intervention), goal_events (status achieved)',
    breakdowns: [],
  },
];

/** The catalogue as Markdown (docs/indicators.md). */
export function indicatorsMarkdown(): string {
  const lines = [
    '# Nøgletal: indikatorkatalog',
    '',
    'Generated from `src/shared/indicators.ts` by `npm run docs:indicators`; a test fails when the two differ.',
    'Every indicator is computed from what caseworkers and providers already record in Retning (no double',
    'registration), per municipality and per month, quarter and year, and is broken down inside the',
    'municipality as listed: by quarter and year, or by year only where its events are too few per quarter',
    '(months are never broken down). Every published figure passes the disclosure control in',
    '`docs/disclosure-control.md` (counts under 3 withheld with complements; amounts pass the dominance rule;',
    'rates are withheld when their numerator or denominator is).',
    '',
    '## Principles and target areas',
    '',
    ...Object.entries(PRINCIPLES).map(([k, v]) => `- Principle ${k}: ${v}`),
    '',
    ...Object.entries(TARGET_AREAS).map(([k, v]) => `- \`${k}\`: ${v}`),
    '',
    '## Indicators',
    '',
    '| key | indicator | kind | principles | target areas |',
    '|---|---|---|---|---|',
    ...INDICATORS.map(
      (i) =>
        `| \`${i.key}\` | ${i.name} | ${i.kind} | ${i.principles.join(', ')} | ${i.targetAreas.join(', ')} |`,
    ),
    '',
  ];
  for (const i of INDICATORS) {
    lines.push(
      `### ${i.name} (\`${i.key}\`)`,
      '',
      i.purpose,
      '',
      `- **Numerator:** ${i.numerator}`,
      `- **Denominator:** ${i.denominator ?? '(none: a count, amount or duration)'}`,
      `- **Period:** ${i.period}`,
      `- **Population:** ${i.population}`,
      `- **Source in Retning:** ${i.source}`,
      `- **Breakdowns:** ${i.breakdowns.length ? `${i.breakdowns.map((b) => BREAKDOWNS[b]).join(', ')}; ${i.breakdownYearly ? 'by year only' : 'by quarter and year'}` : 'the whole municipality only'}`,
      `- **Principles:** ${i.principles.map((p) => `${p}. ${PRINCIPLES[p]}`).join('; ')}`,
      `- **Target areas:** ${i.targetAreas.map((a) => TARGET_AREAS[a]).join('; ')}`,
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
