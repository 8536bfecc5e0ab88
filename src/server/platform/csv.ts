/**
 * A CSV field for Danish Excel: `;`-separated, quoted when needed, and formula-safe (a text starting with
 * = + - @ or a control character is prefixed with ' so a spreadsheet does not run it).
 */
export function csvField(v: string | number | null | undefined, sep = ';'): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r')
    ? `"${s.replaceAll('"', '""')}"`
    : s;
}

/** Rows as a CSV file with a BOM (Excel then opens UTF-8 with æøå correctly) and CRLF line ends. */
export function csvFile(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `\uFEFF${rows.map((r) => r.map((v) => csvField(v)).join(';')).join('\r\n')}\r\n`;
}

/**
 * RFC 4180 CSV with ',' or ';' (Danish Excel) as separator; the header decides which. Each row with the
 * line it starts on (a quoted field may span lines); blank rows are left out.
 */
export function parseCsvRows(text: string): { line: number; cells: string[] }[] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: { line: number; cells: string[] }[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push({ line: start, cells: row });
      row = [];
      field = '';
      line++;
      start = line;
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push({ line: start, cells: row });
  }
  return rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

/** The cells of every non-blank row. */
export const parseCsv = (text: string): string[][] => parseCsvRows(text).map((r) => r.cells);
