import type { z } from 'zod';
import { issueCode } from '../../shared/fields';
import { ApiError } from '../api';
import { fieldMessage, i18n } from '../i18n';

/**
 * The one place numbers and dates get their locale: Danish (decimal comma, "6. dec. 2026") or British
 * English. Every formatter below, and the key figures' formatFigure, go through it.
 */
export const localeOf = (lang: string = i18n.language) => (lang === 'en' ? 'en-GB' : 'da-DK');

export const formatDate = (iso: string | null | undefined) =>
  iso
    ? new Intl.DateTimeFormat(localeOf(), { dateStyle: 'medium' }).format(
        new Date(`${iso.slice(0, 10)}T12:00:00Z`),
      )
    : '–';

/** A number for people to read, by the UI's language (decimal comma in Danish). */
export const formatNumber = (n: number | null | undefined, maximumFractionDigits = 1) =>
  n === null || n === undefined
    ? '–'
    : new Intl.NumberFormat(localeOf(), { maximumFractionDigits }).format(n);

/** A share (0–1) in per cent: "82 %" in Danish, "82%" in English. */
export const formatPercent = (share: number | null | undefined, maximumFractionDigits = 0) =>
  share === null || share === undefined
    ? '–'
    : new Intl.NumberFormat(localeOf(), { style: 'percent', maximumFractionDigits }).format(share);

/** An amount in Danish kroner, whole kroner. */
export const formatMoney = (n: number | null | undefined) =>
  n === null || n === undefined
    ? '–'
    : new Intl.NumberFormat(localeOf(), {
        style: 'currency',
        currency: 'DKK',
        maximumFractionDigits: 0,
      }).format(n);

/** A change with its sign: "+0,4", "−1,2", "0". */
export const formatChange = (n: number | null | undefined, maximumFractionDigits = 1) =>
  n === null || n === undefined
    ? '–'
    : new Intl.NumberFormat(localeOf(), { maximumFractionDigits, signDisplay: 'exceptZero' }).format(n);

export type FieldErrors = Record<string, string>;

/**
 * A field of a record that can no longer change (a completed assessment): shown as its text, without the
 * frame and chevron that say "type here". Spread on TextInput, Textarea and Select.
 */
export const readOnlyField = (ro: boolean) =>
  ro ? ({ readOnly: true, variant: 'unstyled', rightSection: null } as const) : {};

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
  new Intl.DateTimeFormat(localeOf(), {
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
