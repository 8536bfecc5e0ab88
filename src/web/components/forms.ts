import type { z } from 'zod';
import { issueCode } from '../../shared/fields';
import { ApiError } from '../api';
import { fieldMessage, i18n } from '../i18n';

export const formatDate = (iso: string | null | undefined) =>
  iso
    ? new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'da-DK', { dateStyle: 'medium' }).format(
        new Date(`${iso.slice(0, 10)}T12:00:00Z`),
      )
    : '–';

/** A number for people to read, by the UI's language (decimal comma in Danish). */
export const formatNumber = (n: number | null | undefined, maximumFractionDigits = 1) =>
  n === null || n === undefined
    ? '–'
    : new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'da-DK', { maximumFractionDigits }).format(n);

export type FieldErrors = Record<string, string>;

/** Validates with the shared API schema, so the browser and server agree on what is valid. */
export function validate<S extends z.ZodType>(
  schema: S,
  values: unknown,
): { data?: z.output<S>; errors: FieldErrors } {
  const r = schema.safeParse(values);
  if (r.success) return { data: r.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of r.error.issues) {
    const field = issue.path.join('.') || '(body)';
    errors[field] ??= fieldMessage(field, issueCode(issue as Parameters<typeof issueCode>[0]));
  }
  return { errors };
}

/** Field errors from a 400 answer, translated. */
export function serverFieldErrors(err: unknown): FieldErrors {
  if (!(err instanceof ApiError)) return {};
  const out: FieldErrors = {};
  for (const e of err.fieldErrors) {
    // A domain rule (422) explains itself in Danish; schema errors (400) are translated by field.
    out[e.field] ??= err.status === 422 && i18n.language === 'da' ? e.message : fieldMessage(e.field, e.code);
  }
  return out;
}

export const formatDateTime = (iso: string) =>
  new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'da-DK', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));

/** Today's date where the user is (not UTC: just after midnight in Denmark is still yesterday in UTC). */
export const todayIso = () => {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/** Empty form fields are sent as null, as the API expects. */
export const orNull = (s: string | null | undefined) => (s?.trim() ? s : null);
