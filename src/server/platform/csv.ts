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
