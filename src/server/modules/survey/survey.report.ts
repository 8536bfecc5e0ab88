import {
  type GroupCandidate,
  MIN_GROUP,
  mergeNeighbours,
  protectGroups,
} from '../../../shared/domain/disclosure';
import {
  type AnswerValue,
  binOf,
  categoryOfScore,
  itemScore,
  itemsOf,
  pejlemaerkeScore,
  type QuestionnaireDefinition,
  SCALES,
  type ScaleKind,
  SURVEY_ROLES,
  type SurveyItem,
  type SurveyRole,
} from '../../../shared/survey';
import type {
  ItemResult,
  MunicipalityResult,
  PejlemaerkeResult,
  ScoreCell,
  SurveyReport,
} from '../../../shared/survey-report';
import { targetRanges } from '../../platform/ranges';

export interface ReportInput {
  questionnaire: { key: string; version: number; definition: QuestionnaireDefinition };
  participants: { code: string; name: string }[];
  responses: { municipalityCode: string; role: SurveyRole; answers: Record<string, AnswerValue> }[];
  /** Links handed out per municipality and role (for response rates). */
  invited: { municipalityCode: string; role: SurveyRole; links: number }[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The protected results of a round, computed once when it closes. Averages per pejlemærke are protected
 * together (national by role and in total, each municipality in total and by role) as one system per
 * pejlemærke; item distributions are at municipality level with neighbouring categories merged.
 */
export async function buildReport(input: ReportInput): Promise<SurveyReport> {
  const { definition } = input.questionnaire;
  const munIndex = new Map(input.participants.map((p, i) => [p.code, i]));
  const roleIndex = new Map(SURVEY_ROLES.map((r, i) => [r, i]));
  const atomOf = (m: number, r: number) => m * SURVEY_ROLES.length + r;
  const responses = input.responses.filter((r) => munIndex.has(r.municipalityCode));
  const atomOfResponse = (r: ReportInput['responses'][number]) =>
    atomOf(munIndex.get(r.municipalityCode)!, roleIndex.get(r.role)!);
  const atomCount = input.participants.length * SURVEY_ROLES.length;
  const answersPerAtom = new Array<number>(atomCount).fill(0);
  for (const r of responses) answersPerAtom[atomOfResponse(r)]!++;

  const pejlemaerker: PejlemaerkeResult[] = [];
  const slices: MunicipalityResult['pejlemaerker'][] = input.participants.map(() => []);
  for (const theme of definition.themes)
    for (const p of theme.pejlemaerker) {
      const roles = SURVEY_ROLES.filter((r) => p.items.some((i) => i.roles.includes(r)));
      // Each respondent's score on the pejlemærke, by atom.
      const scores: number[][] = Array.from({ length: atomCount }, () => []);
      for (const r of responses) {
        const s = pejlemaerkeScore(p, r.answers);
        if (s !== null) scores[atomOfResponse(r)]!.push(s);
      }
      const counts = scores.map((s) => s.length);
      const group = (key: string, atoms: number[]) => {
        const values = atoms.flatMap((a) => scores[a]!);
        return {
          key,
          atoms,
          values,
          respondents: atoms.reduce((s, a) => s + answersPerAtom[a]!, 0),
          identical: values.length > 1 && values.every((v) => v === values[0]),
        };
      };
      const byN = (a: { values: number[] }, b: { values: number[] }) => b.values.length - a.values.length;
      const all = input.participants.map((_, m) => m);
      const nationalRoles = roles
        .map((r) =>
          group(
            `n:${r}`,
            all.map((m) => atomOf(m, roleIndex.get(r)!)),
          ),
        )
        .sort(byN);
      const nationalTotal = group(
        'n:*',
        nationalRoles.flatMap((g) => g.atoms),
      );
      const munTotals = all
        .map((m) =>
          group(
            `m${m}:*`,
            roles.map((r) => atomOf(m, roleIndex.get(r)!)),
          ),
        )
        .sort(byN);
      const munRoles = all
        .flatMap((m) => roles.map((r) => group(`m${m}:${r}`, [atomOf(m, roleIndex.get(r)!)])))
        .sort(byN);
      const candidates = [...nationalRoles, nationalTotal, ...munTotals, ...munRoles];
      const status = protectGroups(counts, candidates as GroupCandidate[], MIN_GROUP);
      const scaled = p.items.find((i) => i.kind === 'degree' || i.kind === 'agreement');
      if (scaled) await withholdNarrowing(candidates, status, scores, scaled.kind as ScaleKind);
      const cells = new Map(
        candidates.map((g) => {
          const s = status.get(g.key)!;
          let cell: ScoreCell;
          if (g.respondents === 0) cell = { n: 0, mean: null };
          else if (s !== 'published' || g.values.length === 0)
            cell = { n: null, mean: null, suppressed: s === 'published' ? 'too_few' : s };
          else cell = { n: g.values.length, mean: round2(mean(g.values)) };
          return [g.key, cell] as const;
        }),
      );
      const byRoleOf = (prefix: string) =>
        Object.fromEntries(
          roles.map((r) => [r, cells.get(`${prefix}:${r}`)!]),
        ) as PejlemaerkeResult['byRole'];
      pejlemaerker.push({
        code: p.code,
        title: p.title,
        theme: theme.code,
        themeTitle: theme.title,
        roles,
        byRole: byRoleOf('n'),
        total: cells.get('n:*')!,
      });
      all.forEach((m) => {
        slices[m]!.push({ code: p.code, byRole: byRoleOf(`m${m}`), total: cells.get(`m${m}:*`)! });
      });
    }

  const items = itemsOf(definition).map(({ item, pejlemaerke }) => itemResult(item, pejlemaerke.code, input));

  const answersByRole = SURVEY_ROLES.map((role) => ({
    role,
    answers: responses.filter((r) => r.role === role).length,
    invited: input.invited.filter((i) => i.role === role).reduce((s, i) => s + i.links, 0),
  }));
  return {
    minGroup: MIN_GROUP,
    questionnaire: {
      key: input.questionnaire.key,
      title: definition.title,
      version: input.questionnaire.version,
    },
    responses: {
      byRole: answersByRole,
      answers: responses.length,
      invited: answersByRole.reduce((s, r) => s + r.invited, 0),
      municipalities: {
        participating: input.participants.length,
        responding: new Set(responses.map((r) => r.municipalityCode)).size,
      },
    },
    pejlemaerker,
    items,
    municipalities: input.participants.map((p, m) => ({
      code: p.code,
      name: p.name,
      answers: responses.filter((r) => r.municipalityCode === p.code).length,
      pejlemaerker: slices[m]!,
    })),
  };
}

/**
 * A single-choice item at municipality level, as a distribution that adds up: each municipality counts once,
 * under the answer most of its respondents gave, or under "Delte svar" where no answer has a majority.
 * Groups of fewer than 3 municipalities are merged with a neighbour, like the scale items.
 */
function singleChoiceResult(
  item: Extract<SurveyItem, { kind: 'choice' }>,
  base: Omit<ItemResult, 'municipalities'>,
  byMunicipality: Map<string, AnswerValue[]>,
): ItemResult {
  const options = [...item.options, ...(item.other ? [{ code: 'andet', label: 'Andet' }] : [])];
  const labels = [...options.map((o) => o.label), SPLIT_LABEL];
  const category: number[] = [];
  for (const vs of byMunicipality.values()) {
    const picks = vs.flatMap((v) => (typeof v === 'object' ? v.selected.slice(0, 1) : []));
    if (!picks.length) continue;
    const tally = options.map((o) => picks.filter((p) => p === o.code).length);
    const best = tally.findIndex((n) => n * 2 > picks.length);
    category.push(best >= 0 ? best : options.length);
  }
  return { ...base, municipalities: category.length, distribution: distributionOf(labels, category) };
}

/** Municipalities per category, merged to groups of at least MIN_GROUP, as shares of those that answered. */
function distributionOf(labels: string[], category: number[]): ItemResult['distribution'] {
  const counts = labels.map((_, i) => category.filter((c) => c === i).length);
  const merged = mergeNeighbours(counts, MIN_GROUP);
  return merged.published
    ? {
        merged: merged.merged,
        groups: merged.groups.map((g) => ({
          labels: labels.slice(g.from, g.to + 1),
          count: g.count,
          share: round2(g.count / category.length),
        })),
      }
    : { suppressed: merged.reason };
}

/** The category of a municipality whose respondents gave different answers, none of them a majority. */
export const SPLIT_LABEL = 'Delte svar';

/** One item at municipality level: each municipality's average (or whether any of its answers named an option). */
function itemResult(item: SurveyItem, pejlemaerke: string, input: ReportInput): ItemResult {
  const base = { code: item.code, pejlemaerke, text: item.text, kind: item.kind, roles: item.roles };
  const byMunicipality = new Map<string, AnswerValue[]>();
  for (const r of input.responses) {
    const v = r.answers[item.code];
    if (v === undefined || !item.roles.includes(r.role)) continue;
    byMunicipality.set(r.municipalityCode, [...(byMunicipality.get(r.municipalityCode) ?? []), v]);
  }
  if (item.kind === 'choice' && !item.multiple) return singleChoiceResult(item, base, byMunicipality);
  if (item.kind === 'choice') {
    const chosen = [...byMunicipality.values()].map(
      (vs) => new Set(vs.flatMap((v) => (typeof v === 'object' ? v.selected : []))),
    );
    const named = chosen.filter((s) => s.size > 0);
    const options = [...item.options, ...(item.other ? [{ code: 'andet', label: 'Andet' }] : [])];
    return {
      ...base,
      municipalities: named.length,
      options: options.map((o) => {
        const count = named.filter((s) => s.has(o.code)).length;
        const shown = count === 0 || count >= MIN_GROUP;
        return {
          code: o.code,
          label: o.label,
          count: shown ? count : null,
          share: shown && named.length ? round2(count / named.length) : null,
        };
      }),
    };
  }
  if (item.kind === 'text') return { ...base, municipalities: byMunicipality.size };
  let labels: string[];
  const category: number[] = [];
  if (item.kind === 'number') {
    labels = item.bins.map((b) => b.label);
    for (const vs of byMunicipality.values()) {
      const nums = vs.filter((v): v is number => typeof v === 'number');
      if (nums.length) category.push(binOf(item, mean(nums)));
    }
  } else {
    labels = SCALES[item.kind].map((c) => c.label);
    for (const vs of byMunicipality.values()) {
      const scores = vs.map((v) => itemScore(item, v)).filter((s): s is number => s !== null);
      // A reverse-keyed item is shown on its own scale: undo the reversal for the category.
      if (scores.length) {
        const avg = mean(scores);
        category.push(categoryOfScore(item.kind, item.reverse ? 5 - avg : avg));
      }
    }
  }
  return { ...base, municipalities: category.length, distribution: distributionOf(labels, category) };
}

/**
 * The scale bounds (issue 13): every score lies in 0–5, so published averages bound each respondent's score
 * further than adding and subtracting does (three answers averaging 4.9 are each at least 4.7). For each
 * atom (one municipality × role), the least and greatest sum its respondents' scores can have, given every
 * published average (rounded to two decimals, so known to ±0.005) and the bounds, are solved as a linear
 * programme (HiGHS); a respondent's score then lies in [least − 5·(n − 1), greatest]. While some respondent's
 * range is narrower than one answer category (1.25 points on a five-step scale), the last published group (in priority order) containing that
 * respondent is withheld as a complement, and the check runs again.
 */
async function withholdNarrowing(
  candidates: readonly { key: string; atoms: readonly number[]; values: readonly number[] }[],
  status: Map<string, 'published' | 'too_few' | 'all_identical' | 'complementary'>,
  scores: readonly (readonly number[])[],
  kind: ScaleKind,
): Promise<void> {
  const atoms = scores.flatMap((s, a) => (s.length > 0 ? [a] : []));
  const col = new Map(atoms.map((a, i) => [a, i]));
  for (;;) {
    const shown = candidates.filter((g) => status.get(g.key) === 'published' && g.values.length > 0);
    if (shown.length === 0) return;
    const rows = shown.map((g) => {
      const vars = g.atoms.filter((a) => col.has(a)).map((a) => col.get(a)!);
      const n = g.values.length;
      const m = round2(mean(g.values as number[]));
      return { vars, coefs: vars.map(() => 1), lo: n * (m - 0.005), hi: n * (m + 0.005) };
    });
    const { ranges } = await targetRanges(
      {
        lower: atoms.map(() => 0),
        upper: atoms.map((a) => 5 * scores[a]!.length),
        integer: atoms.map(() => false),
        rows,
        truth: atoms.map((a) => scores[a]!.reduce((x, y) => x + y, 0)),
      },
      // An unreachable width makes every atom's sum solved both ways: its exact range.
      atoms.map((_, i) => ({ vars: [i], coefs: [1], width: Number.POSITIVE_INFINITY })),
    );
    const narrowed = atoms.filter((a, i) => {
      const n = scores[a]!.length;
      const lo = Math.max(0, ranges[i]!.min - 5 * (n - 1));
      const hi = Math.min(5, ranges[i]!.max);
      // Narrower than one answer category's width: the answer is known to within one category.
      return hi - lo < 5 / (SCALES[kind].length - 1) - 1e-9;
    });
    if (narrowed.length === 0) return;
    // Withhold the least useful published group over a narrowed atom.
    const last = [...shown].reverse().find((g) => g.atoms.some((a) => narrowed.includes(a)));
    if (!last) return;
    status.set(last.key, 'complementary');
  }
}
