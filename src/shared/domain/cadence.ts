import { addMonths, type IsoDate, minDate } from './dates';

/**
 * How often a service is followed up. Default: the first follow-up within 3 months of the start, then at
 * least every 12 months. Close: every 1–3 months while there is a "recovery window". Short services
 * (§82b, up to six months) are followed up at their end date. Source: ../shared/domain/reference.md §1.7, §2.1.
 */
export type Cadence = { kind: 'standard' } | { kind: 'close'; months: 1 | 2 | 3 };

export const FIRST_FOLLOW_UP_MONTHS = 3;
export const STANDARD_INTERVAL_MONTHS = 12;

export interface CadenceInput {
  startDate: IsoDate;
  endDate: IsoDate | null;
  lastFollowUpDate: IsoDate | null;
  cadence: Cadence;
  /** The paragraph's time limit in months (§82b: 6); a time-limited service follows its end date. */
  maxMonths: number | null;
  /** A next date agreed at the last follow-up; honoured when it is not later than the rule allows. */
  agreedNextDate?: IsoDate | null;
}

/** The latest date the rule allows for the next follow-up. */
export function latestAllowedFollowUp(input: CadenceInput): IsoDate {
  const { startDate, endDate, lastFollowUpDate, cadence, maxMonths } = input;
  if (maxMonths !== null) {
    const limit = addMonths(startDate, maxMonths);
    return endDate ? minDate(endDate, limit) : limit;
  }
  const due =
    cadence.kind === 'close'
      ? addMonths(lastFollowUpDate ?? startDate, cadence.months)
      : lastFollowUpDate
        ? addMonths(lastFollowUpDate, STANDARD_INTERVAL_MONTHS)
        : addMonths(startDate, FIRST_FOLLOW_UP_MONTHS);
  return endDate ? minDate(endDate, due) : due;
}

/** The next follow-up date: the agreed date when there is one within the rule, else the rule's date. */
export function nextFollowUpDue(input: CadenceInput): IsoDate {
  const latest = latestAllowedFollowUp(input);
  return input.agreedNextDate && input.agreedNextDate <= latest ? input.agreedNextDate : latest;
}

export type DueState = 'overdue' | 'due_soon' | 'later';

/** Worklist state: overdue after the date, due soon within 30 days. */
export function dueState(due: IsoDate, today: IsoDate): DueState {
  if (due < today) return 'overdue';
  return due <= addMonths(today, 1) ? 'due_soon' : 'later';
}
