import { z } from 'zod';
import {
  decimal,
  document,
  int,
  isoDate,
  line,
  text as multiLine,
  requiredLine,
  requiredText,
  token,
  uuid,
  version,
} from './fields';

/**
 * The municipal self-assessment survey (issue 4): questionnaires as data, answers, scoring. The report's
 * arithmetic and its disclosure control live in src/server/modules/survey/survey.report.ts; the rules are
 * in docs/survey-formats.md and docs/disclosure-control.md.
 */

/** The five leadership roles the 2020 mapping asked (seed 004, section 2). */
export const SURVEY_ROLES = [
  'udvalgsformand',
  'direktoer',
  'centerchef',
  'myndighedschef',
  'driftschef',
] as const;
export type SurveyRole = (typeof SURVEY_ROLES)[number];
export const SURVEY_ROLE_LABELS: Record<SurveyRole, string> = {
  udvalgsformand: 'Udvalgsformand',
  direktoer: 'Direktør',
  centerchef: 'Centerchef',
  myndighedschef: 'Myndighedschef',
  driftschef: 'Driftschef',
};

export const DONT_KNOW = 'ved_ikke';

/**
 * The two answer scales, most positive first. Each category maps linearly onto 0–5 (5 the most positive):
 * score = 5 × (4 − position) / 4, so 5, 3.75, 2.5, 1.25, 0. "Ved ikke" has no score and is left out of
 * every average and distribution. A reverse-keyed item scores 5 − that.
 */
export const SCALES = {
  degree: [
    { code: 'meget_hoej', label: 'I meget høj grad' },
    { code: 'hoej', label: 'I høj grad' },
    { code: 'nogen', label: 'I nogen grad' },
    { code: 'mindre', label: 'I mindre grad' },
    { code: 'slet_ikke', label: 'Slet ikke' },
  ],
  agreement: [
    { code: 'helt_enig', label: 'Helt enig' },
    { code: 'enig', label: 'Enig' },
    { code: 'hverken', label: 'Hverken enig eller uenig' },
    { code: 'uenig', label: 'Uenig' },
    { code: 'helt_uenig', label: 'Helt uenig' },
  ],
} as const;
export type ScaleKind = keyof typeof SCALES;
export const SCALE_KINDS = Object.keys(SCALES) as ScaleKind[];
export const DONT_KNOW_LABEL = 'Ved ikke';

/** The 0–5 score of a scale answer, or null for "Ved ikke" and no answer. */
export function scaleScore(kind: ScaleKind, code: string | undefined, reverse = false): number | null {
  const i = SCALES[kind].findIndex((c) => c.code === code);
  if (i < 0) return null;
  const s = (5 * (SCALES[kind].length - 1 - i)) / (SCALES[kind].length - 1);
  return reverse ? 5 - s : s;
}

/** The scale category (index, most positive first) nearest to a 0–5 average, as the mapping's figures. */
export function categoryOfScore(kind: ScaleKind, score: number): number {
  const steps = SCALES[kind].length - 1;
  return steps - Math.round((score * steps) / 5);
}

const code = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]+$/, 'Koden må kun indeholde små bogstaver, tal og _')
  .min(1)
  .max(60);
const text = (max: number) => requiredLine(max);
const roles = z.array(z.enum(SURVEY_ROLES)).min(1, 'Vælg mindst én rolle').max(SURVEY_ROLES.length);

const itemBase = {
  code,
  text: text(500),
  help: multiLine(1000).optional(),
  /** The roles the item is asked of. */
  roles,
  required: z.boolean().optional(),
};

export const surveyItem = z.discriminatedUnion('kind', [
  z.object({ ...itemBase, kind: z.enum(SCALE_KINDS), reverse: z.boolean().optional() }),
  z.object({
    ...itemBase,
    kind: z.literal('choice'),
    multiple: z.boolean(),
    options: z
      .array(z.object({ code, label: text(200) }))
      .min(2)
      .max(50),
    /** Adds "Andet, angiv" with a text field. */
    other: z.boolean().optional(),
  }),
  z.object({
    ...itemBase,
    kind: z.literal('number'),
    min: decimal(-1e9, 1e9),
    max: decimal(-1e9, 1e9),
    unit: line(40).optional(),
    /** Ordered bins for reports ("til og med" upper bounds); the last bin takes the rest. */
    bins: z
      .array(z.object({ label: text(80), upTo: decimal(-1e9, 1e9).nullable() }))
      .min(2)
      .max(50),
  }),
  z.object({ ...itemBase, kind: z.literal('text'), maxLength: int(1, 5000).optional() }),
]);
export type SurveyItem = z.infer<typeof surveyItem>;

export const pejlemaerke = z.object({
  code,
  title: text(200),
  description: multiLine(2000).optional(),
  items: z.array(surveyItem).min(1, 'Et pejlemærke skal have mindst ét spørgsmål').max(200),
});
export type Pejlemaerke = z.infer<typeof pejlemaerke>;

export const surveyTheme = z.object({
  code,
  title: text(200),
  pejlemaerker: z.array(pejlemaerke).min(1).max(100),
});

export const questionnaireDefinition = z
  .object({
    title: text(200),
    intro: multiLine(4000).optional(),
    /** Where the questions come from (e.g. the 2020 mapping, seed 004). */
    source: line(500).optional(),
    themes: z.array(surveyTheme).min(1).max(50),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.themes.forEach((t, ti) => {
      t.pejlemaerker.forEach((p, pi) => {
        if (seen.has(p.code))
          ctx.addIssue({
            code: 'custom',
            message: `Koden ${p.code} er brugt to gange`,
            path: ['themes', ti, 'pejlemaerker', pi, 'code'],
          });
        seen.add(p.code);
        p.items.forEach((it, ii) => {
          if (seen.has(it.code))
            ctx.addIssue({
              code: 'custom',
              message: `Koden ${it.code} er brugt to gange`,
              path: ['themes', ti, 'pejlemaerker', pi, 'items', ii, 'code'],
            });
          seen.add(it.code);
          if (it.kind === 'number' && it.min > it.max)
            ctx.addIssue({
              code: 'custom',
              message: 'Minimum er større end maksimum',
              path: ['themes', ti, 'pejlemaerker', pi, 'items', ii, 'min'],
            });
        });
      });
    });
  });
export type QuestionnaireDefinition = z.infer<typeof questionnaireDefinition>;

export interface ItemRef {
  theme: z.infer<typeof surveyTheme>;
  pejlemaerke: Pejlemaerke;
  item: SurveyItem;
}

/** Every item with its theme and pejlemærke, in order. */
export function itemsOf(def: QuestionnaireDefinition): ItemRef[] {
  return def.themes.flatMap((theme) =>
    theme.pejlemaerker.flatMap((p) => p.items.map((item) => ({ theme, pejlemaerke: p, item }))),
  );
}

/** The questionnaire as one role sees it: only its items, pejlemærker and themes that keep any. */
export function forRole(def: QuestionnaireDefinition, role: SurveyRole): QuestionnaireDefinition {
  return {
    ...def,
    themes: def.themes
      .map((t) => ({
        ...t,
        pejlemaerker: t.pejlemaerker
          .map((p) => ({ ...p, items: p.items.filter((i) => i.roles.includes(role)) }))
          .filter((p) => p.items.length > 0),
      }))
      .filter((t) => t.pejlemaerker.length > 0),
  };
}

/** One answer: a scale code (or ved_ikke), choices, a number or a text. */
const answerCode = token(/^[a-z0-9_]{1,60}$/, 'Ukendt svarmulighed');
export const answerValue = z.union([
  multiLine(5000),
  decimal(-1e9, 1e9),
  z.object({ selected: z.array(answerCode).max(50), other: line(1000).optional() }),
]);
export type AnswerValue = z.infer<typeof answerValue>;
export const answersSchema = z.record(answerCode, answerValue.nullable());
export type Answers = z.infer<typeof answersSchema>;

export interface AnswerProblem {
  field: string;
  message: string;
  code: string;
}

/**
 * Checks answers against the questionnaire for one role. Drafts may be incomplete; a submission must
 * answer every required item. Unknown items, items not asked of the role and invalid values are refused.
 * Returns the answers normalised (empty ones dropped).
 */
export function checkAnswers(
  def: QuestionnaireDefinition,
  role: SurveyRole,
  answers: Answers,
  complete: boolean,
): { answers: Record<string, AnswerValue>; problems: AnswerProblem[] } {
  const items = new Map(itemsOf(def).map((r) => [r.item.code, r.item]));
  const problems: AnswerProblem[] = [];
  const out: Record<string, AnswerValue> = {};
  for (const [key, value] of Object.entries(answers)) {
    const item = items.get(key);
    if (!item?.roles.includes(role)) {
      problems.push({ field: key, message: 'Spørgsmålet findes ikke i dit skema', code: 'unknown_item' });
      continue;
    }
    if (value === null || value === '') continue;
    const bad = (message: string) => problems.push({ field: key, message, code: 'invalid_answer' });
    switch (item.kind) {
      case 'degree':
      case 'agreement':
        if (typeof value !== 'string' || (value !== DONT_KNOW && scaleScore(item.kind, value) === null))
          bad('Vælg et af svarene');
        else out[key] = value;
        break;
      case 'choice': {
        if (typeof value !== 'object') {
          bad('Vælg et eller flere svar');
          break;
        }
        const known = new Set(item.options.map((o) => o.code));
        if (item.other) known.add('andet');
        const selected = [...new Set(value.selected)];
        if (selected.some((s) => !known.has(s))) bad('Ukendt svarmulighed');
        else if (!item.multiple && selected.length > 1) bad('Vælg kun ét svar');
        else if (selected.includes('andet') && !value.other?.trim()) bad('Angiv hvad "andet" er');
        else if (selected.length > 0)
          out[key] = selected.includes('andet') ? { selected, other: value.other!.trim() } : { selected };
        break;
      }
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < item.min || value > item.max)
          bad(`Angiv et tal mellem ${item.min} og ${item.max}`);
        else out[key] = value;
        break;
      case 'text':
        if (typeof value !== 'string' || value.length > (item.maxLength ?? 5000)) bad('Teksten er for lang');
        else if (value.trim()) out[key] = value.trim();
        break;
    }
  }
  if (complete)
    for (const { item } of itemsOf(def))
      if (item.required && item.roles.includes(role) && out[item.code] === undefined)
        problems.push({ field: item.code, message: 'Besvar spørgsmålet', code: 'required' });
  return { answers: out, problems };
}

/** The 0–5 score of one answer to a scale item; null for other kinds, "Ved ikke" and no answer. */
export function itemScore(item: SurveyItem, value: AnswerValue | undefined): number | null {
  if (item.kind !== 'degree' && item.kind !== 'agreement') return null;
  return typeof value === 'string' ? scaleScore(item.kind, value, item.reverse) : null;
}

/** A respondent's score on a pejlemærke: the mean of their scored answers there, or null if none. */
export function pejlemaerkeScore(p: Pejlemaerke, answers: Record<string, AnswerValue>): number | null {
  const scores = p.items.map((i) => itemScore(i, answers[i.code])).filter((s): s is number => s !== null);
  return scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
}

/** The bin of a number answer. */
export function binOf(item: Extract<SurveyItem, { kind: 'number' }>, value: number): number {
  const i = item.bins.findIndex((b) => b.upTo === null || value <= b.upTo);
  return i < 0 ? item.bins.length - 1 : i;
}

// ---- request bodies ----

export const ROUND_STATUSES = ['open', 'closed'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export const questionnaireCreateBody = z.object({
  /** Copy a shipped template … */
  template: token(/^[a-z0-9-]{1,60}$/, 'Ukendt skabelon').optional(),
  /** … or one of the municipality's questionnaires. */
  copyOf: uuid().optional(),
  title: text(200).optional(),
});
export const questionnaireUpdateBody = z.object({
  definition: questionnaireDefinition,
  version: version(),
});

const dateOnly = isoDate('Angiv en dato (ÅÅÅÅ-MM-DD)');
export const participantInput = z.object({
  code: z
    .string()
    .trim()
    .max(3)
    .regex(/^\d{3}$/, 'Kommunekoden er tre cifre'),
  name: text(120),
  contactEmail: z.email('Angiv en gyldig e-mailadresse').max(200).optional(),
});
export const roundCreateBody = z
  .object({
    questionnaireId: uuid(),
    title: text(200),
    opensOn: dateOnly,
    closesOn: dateOnly,
    participants: z.array(participantInput).min(1, 'Vælg mindst én kommune').max(200),
  })
  .refine((b) => b.closesOn >= b.opensOn, { message: 'Svarfristen ligger før start', path: ['closesOn'] });
export const roundUpdateBody = z.object({
  closesOn: dateOnly.optional(),
  status: z.enum(['closed']).optional(),
  version: version(),
});
export const quoteBody = z.object({
  pejlemaerke: code,
  role: text(80),
  text: requiredText(2000),
});

/** Token bodies: the link's secret travels in the body, never in a URL the server logs. */
export const tokenBody = z.object({ token: token(/^[A-Za-z0-9_-]{20,100}$/, 'Linket er ugyldigt') });
export const draftBody = tokenBody.extend({ answers: answersSchema });
export const roleLinkBody = tokenBody.extend({
  role: z.enum(SURVEY_ROLES),
  email: z.email('Angiv en gyldig e-mailadresse').max(200).optional(),
});
export const importBody = z.object({ csv: document(5_000_000) });
