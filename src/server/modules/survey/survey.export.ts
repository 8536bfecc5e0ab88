import { SURVEY_ROLE_LABELS, type SurveyRole } from '../../../shared/survey';
import type { ScoreCell, Suppression } from '../../../shared/survey-report';
import { csvField } from '../../platform/csv';
import type { Sheet } from '../../platform/xlsx';
import type { ReportView } from './survey.service';

export const SUPPRESSION_TEXT: Record<Suppression, string> = {
  too_few: 'Under 3 svar',
  all_identical: 'Alle svar ens',
  complementary: 'Skjult for at beskytte en lille gruppe',
};

/** The columns of the aggregate export (docs/survey-formats.md). */
export const EXPORT_COLUMNS = [
  'afsnit',
  'kode',
  'tekst',
  'gruppe',
  'antal',
  'gennemsnit',
  'andel',
  'note',
] as const;
type Row = [string, string, string, string, number | null, number | null, number | null, string];

const cellRow = (afsnit: string, code: string, text: string, group: string, c: ScoreCell): Row => [
  afsnit,
  code,
  text,
  group,
  c.n,
  c.mean,
  null,
  c.suppressed ? SUPPRESSION_TEXT[c.suppressed] : '',
];

/** The protected results as one long table: every figure a page shows, nothing more. */
export function exportRows(view: ReportView): Row[] {
  const { report } = view;
  const rows: Row[] = [];
  for (const p of report.pejlemaerker) {
    for (const role of p.roles)
      rows.push(cellRow('pejlemaerke', p.code, p.title, SURVEY_ROLE_LABELS[role], p.byRole[role]!));
    rows.push(cellRow('pejlemaerke', p.code, p.title, 'I alt', p.total));
  }
  for (const m of report.municipalities)
    for (const p of m.pejlemaerker) {
      const title = report.pejlemaerker.find((x) => x.code === p.code)?.title ?? p.code;
      for (const [role, c] of Object.entries(p.byRole))
        rows.push(cellRow(`kommune:${m.code}`, p.code, title, SURVEY_ROLE_LABELS[role as SurveyRole], c!));
      rows.push(cellRow(`kommune:${m.code}`, p.code, title, 'I alt', p.total));
    }
  for (const i of report.items) {
    if (i.distribution && 'groups' in i.distribution)
      for (const g of i.distribution.groups)
        rows.push([
          'spoergsmaal',
          i.code,
          i.text,
          g.labels.join(' / '),
          g.count,
          null,
          g.share,
          g.labels.length > 1 ? 'Kategorier lagt sammen (mindst 3 kommuner pr. gruppe)' : '',
        ]);
    else if (i.distribution)
      rows.push([
        'spoergsmaal',
        i.code,
        i.text,
        '',
        null,
        null,
        null,
        SUPPRESSION_TEXT[i.distribution.suppressed],
      ]);
    for (const o of i.options ?? [])
      rows.push([
        'spoergsmaal',
        i.code,
        i.text,
        o.label,
        o.count,
        null,
        o.share,
        o.count === null ? SUPPRESSION_TEXT.too_few : '',
      ]);
  }
  for (const r of report.responses.byRole)
    rows.push([
      'besvarelser',
      r.role,
      'Besvarelser',
      SURVEY_ROLE_LABELS[r.role],
      r.answers,
      null,
      r.invited ? Math.round((r.answers / r.invited) * 100) / 100 : null,
      `${r.invited} links udsendt`,
    ]);
  return rows;
}

export function toCsv(view: ReportView): string {
  const lines = [
    EXPORT_COLUMNS.join(';'),
    ...exportRows(view).map((r) => r.map((v) => csvField(v)).join(';')),
  ];
  // BOM: Excel opens UTF-8 with æøå correctly.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function toSheets(view: ReportView): Sheet[] {
  const rows = exportRows(view);
  const sheet = (name: string, pick: (r: Row) => boolean): Sheet => ({
    name,
    rows: [[...EXPORT_COLUMNS], ...rows.filter(pick)],
  });
  return [
    sheet('Pejlemærker', (r) => r[0] === 'pejlemaerke'),
    ...(view.report.municipalities.length ? [sheet('Kommuner', (r) => r[0].startsWith('kommune:'))] : []),
    sheet('Spørgsmål', (r) => r[0] === 'spoergsmaal'),
    sheet('Besvarelser', (r) => r[0] === 'besvarelser'),
  ];
}
