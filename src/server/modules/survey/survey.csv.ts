import {
  type AnswerValue,
  checkAnswers,
  DONT_KNOW,
  DONT_KNOW_LABEL,
  itemsOf,
  type QuestionnaireDefinition,
  SCALES,
  SURVEY_ROLE_LABELS,
  SURVEY_ROLES,
  type SurveyRole,
} from '../../../shared/survey';
import { parseCsv } from '../../platform/csv';

/** A CSV field as a spreadsheet will read it back (text is never taken for a formula). */
export interface ImportRow {
  municipalityCode: string;
  role: SurveyRole;
  answers: Record<string, AnswerValue>;
}
export interface ImportError {
  /** Line in the file (the header is line 1). */
  line: number;
  column: string;
  message: string;
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
export const MAX_IMPORT_ROWS = 20_000;

/**
 * Reads answers (docs/survey-formats.md): columns kommunekode, rolle, then one per item code; scale answers
 * as code or label ("I høj grad", "Ved ikke"), choices as codes separated by "|", "andet" with its text
 * in the column <item>_andet. Every error is reported with its line and column.
 */
export function parseAnswerCsv(
  text: string,
  def: QuestionnaireDefinition,
  participants: ReadonlySet<string>,
): { rows: ImportRow[]; errors: ImportError[] } {
  const table = parseCsv(text);
  const errors: ImportError[] = [];
  const rows: ImportRow[] = [];
  const [header, ...body] = table;
  if (!header) return { rows, errors: [{ line: 1, column: '', message: 'Filen er tom' }] };
  const cols = header.map((h) => h.trim().toLowerCase());
  const items = new Map(itemsOf(def).map((r) => [r.item.code, r.item]));
  for (const need of ['kommunekode', 'rolle'])
    if (!cols.includes(need)) errors.push({ line: 1, column: need, message: `Kolonnen ${need} mangler` });
  cols.forEach((c) => {
    if (c === 'kommunekode' || c === 'rolle') return;
    const base = c.endsWith('_andet') ? c.slice(0, -6) : c;
    const item = items.get(base);
    if (!item || (c !== base && !(item.kind === 'choice' && item.other)))
      errors.push({ line: 1, column: c, message: `Ukendt kolonne: ${c}` });
  });
  if (errors.length) return { rows, errors };
  if (body.length > MAX_IMPORT_ROWS)
    return { rows, errors: [{ line: 1, column: '', message: `Højst ${MAX_IMPORT_ROWS} rækker pr. fil` }] };
  const roleByText = new Map<string, SurveyRole>();
  for (const r of SURVEY_ROLES) {
    roleByText.set(r, r);
    roleByText.set(norm(SURVEY_ROLE_LABELS[r]), r);
  }
  body.forEach((cells, k) => {
    const line = k + 2;
    const get = (c: string) => (cells[cols.indexOf(c)] ?? '').trim();
    const code = get('kommunekode');
    const role = roleByText.get(norm(get('rolle')));
    const before = errors.length;
    if (!participants.has(code))
      errors.push({
        line,
        column: 'kommunekode',
        message: `Kommune ${code || '(tom)'} deltager ikke i runden`,
      });
    if (!role) errors.push({ line, column: 'rolle', message: `Ukendt rolle: ${get('rolle') || '(tom)'}` });
    if (cells.length > cols.length)
      errors.push({ line, column: '', message: 'Rækken har flere felter end overskriften' });
    if (errors.length > before || !role) return;
    const answers: Record<string, AnswerValue | null> = {};
    for (const c of cols) {
      const item = items.get(c);
      const raw = get(c);
      if (!item || raw === '') continue;
      if (!item.roles.includes(role)) {
        errors.push({
          line,
          column: c,
          message: `Spørgsmålet stilles ikke til ${SURVEY_ROLE_LABELS[role].toLowerCase()}`,
        });
        continue;
      }
      switch (item.kind) {
        case 'degree':
        case 'agreement': {
          const hit = SCALES[item.kind].find((o) => o.code === norm(raw) || norm(o.label) === norm(raw));
          answers[c] =
            norm(raw) === DONT_KNOW || norm(raw) === norm(DONT_KNOW_LABEL) ? DONT_KNOW : (hit?.code ?? raw);
          break;
        }
        case 'choice':
          answers[c] = {
            selected: raw
              .split('|')
              .map((s) => s.trim())
              .filter(Boolean),
            ...(get(`${c}_andet`) ? { other: get(`${c}_andet`) } : {}),
          };
          break;
        case 'number': {
          const n = Number(raw.replace(',', '.'));
          answers[c] = Number.isFinite(n) ? n : raw;
          break;
        }
        case 'text':
          answers[c] = raw;
          break;
      }
    }
    const checked = checkAnswers(def, role, answers, false);
    for (const p of checked.problems) errors.push({ line, column: p.field, message: p.message });
    if (!checked.problems.length) rows.push({ municipalityCode: code, role, answers: checked.answers });
  });
  return { rows, errors };
}
