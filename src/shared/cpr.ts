/** CPR numbers: DDMMYY-SSSS. Since 2007 not all satisfy modulus 11, so only the date and century are checked. */
export function normalizeCpr(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** The birth date a CPR encodes, or null when the digits cannot be a CPR number. */
export function cprBirthDate(cpr: string): Date | null {
  const c = normalizeCpr(cpr);
  if (!/^\d{10}$/.test(c)) return null;
  const dd = Number(c.slice(0, 2));
  const mm = Number(c.slice(2, 4));
  const yy = Number(c.slice(4, 6));
  const d7 = Number(c[6]);
  let century: number;
  if (d7 <= 3) century = 1900;
  else if (d7 === 4 || d7 === 9) century = yy <= 36 ? 2000 : 1900;
  else century = yy <= 57 ? 2000 : 1800;
  const year = century + yy;
  const date = new Date(Date.UTC(year, mm - 1, dd));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== mm - 1 || date.getUTCDate() !== dd)
    return null;
  return date;
}

export const isValidCpr = (cpr: string) => cprBirthDate(cpr) !== null;

/** Whole years from a birth date (YYYY-MM-DD) to a day (YYYY-MM-DD): the age on that day. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** Shown to roles that do not need the full number: the date part only. */
export function maskCpr(cpr: string): string {
  const c = normalizeCpr(cpr);
  return `${c.slice(0, 6)}-xxxx`;
}

export function formatCpr(cpr: string): string {
  const c = normalizeCpr(cpr);
  return `${c.slice(0, 6)}-${c.slice(6)}`;
}
