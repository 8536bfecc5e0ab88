import type { GasLevel, LifeSituation } from '../../../shared/pathway';
/** Response shapes of the pathway API, as the web app reads them. */
export interface Coded {
  code: string;
  display: string;
}

export interface Reference {
  ffb: {
    key: string;
    version: string;
    themes: (Coded & {
      category: 'function' | 'activity' | 'environment';
      definition: string;
      subthemes: (Coded & { definition: string })[];
    })[];
    functioningLevels: (Coded & { ordinal: number })[];
    supportNeeds: (Coded & { ordinal: number })[];
    goalTypes: Coded[];
    followUpResults: (Coded & { ends: boolean })[];
    ydelser: (Coded & { parentCode: string | null; paragraph: string | null })[];
    providerTypes: (Coded & { parentCode: string | null })[];
    targetGroups: (Coded & { parentCode: string | null })[];
  };
  klCaresocial: { informants: Coded[]; endReasons: (Coded & { parentCode: string | null })[] };
  serviceloven: {
    steps: (Coded & { step: number })[];
    paragraphs: (Coded & { step: number; maxMonths: number | null; ydelser: string[] | null })[];
  };
  methods: { items: (Coded & { description: string })[] };
  instruments: Instrument[];
}

export interface Instrument {
  key: string;
  name: string;
  period: string;
  licence: { required: boolean; note: string };
  items: { id: string; text: string }[];
  scale: { min: number; max: number; step: number; labels: { value: number; label: string }[] };
  scoring: { method: string; min: number | null; max: number | null };
  cutoffs: { value: number; label: string }[];
  reliableChange: number | null;
}

export interface CaseSummary {
  id: string;
  caseNumber: string;
  phase: string;
  reason: string;
  citizen: { id: string; name: string };
  authorityUnit: { id: string; name: string };
  caseworker: { id: string; name: string | null } | null;
  openedOn: string;
  closedOn: string | null;
  version: number;
}

export interface Goal {
  id: string;
  caseId: string;
  kind: 'citizen_goal' | 'purpose' | 'intervention' | 'sub';
  parentGoalId: string | null;
  citizenGoalId: string | null;
  wordsOf: string;
  title: string;
  what: string;
  measure: string;
  dueOn: string | null;
  helpers: string;
  status: string;
  subtheme: Coded | null;
  expectedLevel: number | null;
  goalType: Coded | null;
  gasWeight: number;
  /** The goal's GAS scale in words and its baseline; null when it has none (then it is not rated). */
  gas: { levels: Partial<Record<GasLevel, string>>; baseline: number } | null;
  untraced: boolean;
  serviceId: string | null;
  notes: { body: string; authorName: string | null; createdAt: string }[];
  offers: {
    id: string;
    offerId: string;
    offerName: string;
    status: string;
    startedOn: string | null;
    checkedOn: string | null;
    note: string;
    version: number;
  }[];
  version: number;
}

export interface Service {
  id: string;
  caseId: string;
  citizenId: string;
  status: 'proposed' | 'granted' | 'active' | 'ended';
  ydelse: Coded;
  paragraph: { code: string; display: string; step: number | null };
  provider: { id: string; name: string | null };
  catalogueItemId: string | null;
  primaryTargetGroup: Coded;
  secondaryTargetGroups: Coded[];
  startOn: string | null;
  endOn: string | null;
  endReason: Coded | null;
  supportNeed: Coded | null;
  hoursPerWeek: number | null;
  price: { amount: number; unit: string } | null;
  monthlyCost: number | null;
  cadence: { kind: 'standard' } | { kind: 'close'; months: number };
  nextFollowUpOn: string | null;
  lastFollowUpOn: string | null;
  version: number;
  goalIds?: string[];
  permissions: { write: boolean; provide: boolean };
}

export interface ServiceDetail extends Service {
  /** What the citizen prepared in the portal for the next follow-up (issue 14). */
  preparation: { topics: string; ratings: Record<string, number>; updatedAt: string } | null;
  caseNumber: string;
  citizen: { id: string; name: string };
  goals: Goal[];
  subGoals: Goal[];
  plans: {
    version: number;
    approach: string;
    methods: { code: string; name: string }[];
    authorName: string | null;
    createdAt: string;
  }[];
  followUps: {
    id: string;
    heldOn: string;
    result: Coded | null;
    notes: string;
    citizenView: string;
    nextOn: string | null;
    life: LifeSituation;
    authorName: string | null;
    endReason: Coded | null;
    /** The provider recommended ending the service (the caseworker decides). */
    endRecommended: boolean;
    ratings: { goalId: string; rater: string; informant: string | null; score: number }[];
    gas: { citizen: number | null; professional: number | null };
  }[];
  /** The provider's latest follow-up recommends ending and the service still runs. */
  endRecommendation: { followUpId: string; on: string; reason: Coded | null } | null;
}

export interface CaseView extends CaseSummary {
  endReason: Coded | null;
  closingNote: string | null;
  phases: { fromPhase: string | null; toPhase: string; authorName: string | null; createdAt: string }[];
  assessments: {
    id: string;
    kind: string;
    status: string;
    assessedOn: string;
    supportNeed: Coded | null;
    completedAt: string | null;
  }[];
  movements: {
    subthemes: {
      code: string;
      display: string;
      points: { assessmentId: string; assessedOn: string; level: number }[];
    }[];
    supportNeed: { assessmentId: string; assessedOn: string; level: number | null; display: string | null }[];
  };
  goals: Goal[];
  services: Service[];
  view: 'authority' | 'provider';
  permissions: { write: boolean };
}

export interface Assessment {
  id: string;
  caseId: string;
  caseNumber: string;
  citizen: { id: string; name: string };
  kind: string;
  status: 'draft' | 'completed';
  assessedOn: string;
  ffbVersion: string;
  supportNeed: Coded | null;
  supportNeedNote: string;
  citizenPerspective: string;
  citizenResources: string;
  professionalJudgement: string;
  life: Record<'housing' | 'employment' | 'education' | 'psychiatryContact', string | null> & {
    admissions12m: number | null;
    admissionDays12m: number | null;
  };
  conditions: {
    subtheme: Coded;
    level: number | null;
    notAssessed: boolean;
    note: string;
    inFocus: boolean;
  }[];
  accounts: { theme: Coded; informant: Coded; body: string }[];
  version: number;
  completedAt: string | null;
  permissions: { write: boolean };
}
