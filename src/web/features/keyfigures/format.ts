import { INDICATORS, type Indicator, type PeriodKind } from '../../../shared/indicators';
import { localeOf } from '../../components/forms';

export const indicatorOf = (key: string): Indicator | undefined => INDICATORS.find((i) => i.key === key);

/** A figure as people read it: a share in per cent, an amount in kroner, a mean with one decimal. */
export function formatFigure(ind: Indicator, value: number | null | undefined, lang: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const n = (x: number, digits: number) =>
    x.toLocaleString(localeOf(lang), { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  switch (ind.kind) {
    case 'rate':
      return `${n(value * 100, 0)} %`;
    case 'amount':
      return lang === 'en' ? `DKK ${n(value, 0)}` : `${n(value, 0)} kr.`;
    case 'mean':
      return n(value, 1);
    case 'duration':
      return lang === 'en' ? `${n(value, 0)} days` : `${n(value, 0)} dage`;
    case 'count':
      return n(value, 1);
  }
}

/** The value to chart: shares as per cent, so the axis reads naturally. */
export const chartValue = (ind: Indicator, value: number | null | undefined) =>
  value === null || value === undefined ? null : ind.kind === 'rate' ? Math.round(value * 1000) / 10 : value;

const MONTHS_DA = [
  'jan.',
  'feb.',
  'mar.',
  'apr.',
  'maj',
  'jun.',
  'jul.',
  'aug.',
  'sep.',
  'okt.',
  'nov.',
  'dec.',
];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function periodLabel(kind: PeriodKind, start: string, lang: string): string {
  const y = start.slice(0, 4);
  const m = Number(start.slice(5, 7));
  if (kind === 'year') return y;
  if (kind === 'quarter')
    return lang === 'en' ? `Q${Math.ceil(m / 3)} ${y}` : `${Math.ceil(m / 3)}. kvt. ${y}`;
  return `${(lang === 'en' ? MONTHS_EN : MONTHS_DA)[m - 1]} ${y}`;
}
