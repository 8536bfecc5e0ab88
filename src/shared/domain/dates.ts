/** Calendar dates as ISO strings (YYYY-MM-DD), computed in UTC so that no time zone shifts a day. */
export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(d: IsoDate): Date {
  const m = ISO.exec(d);
  if (!m) throw new Error(`not an ISO date: ${d}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

export const toIsoDate = (d: Date): IsoDate => d.toISOString().slice(0, 10);

/** Adds calendar months; a day that does not exist in the target month becomes its last day (31 Jan + 1 = 28/29 Feb). */
export function addMonths(d: IsoDate, months: number): IsoDate {
  const base = parseIsoDate(d);
  const y = base.getUTCFullYear();
  const m = base.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return toIsoDate(new Date(Date.UTC(y, m, Math.min(base.getUTCDate(), lastDay))));
}

export function addDays(d: IsoDate, days: number): IsoDate {
  return toIsoDate(new Date(parseIsoDate(d).getTime() + days * 86_400_000));
}

/** Whole days from a to b (negative when b is before a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((parseIsoDate(b).getTime() - parseIsoDate(a).getTime()) / 86_400_000);
}

export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);

const copenhagen = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Denmark at the given instant (what "today" means to a Danish caseworker). */
export const danishDate = (at: Date): IsoDate => copenhagen.format(at);
