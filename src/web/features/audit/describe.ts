import type { TFunction } from 'i18next';
import { formatNumber } from '../../components/forms';
import { i18n } from '../../i18n';

/** An audit event as the staff log and the administrator's list of citizens' questions read it. */
export interface DescribedEvent {
  action: string;
  resourceType: string;
  actorName?: string | null;
  actorRole?: string | null;
  role?: string | null;
  criteria?: Record<string, unknown> | null;
}

/** Who did it, in words: a staff member with their role, the citizen, a relative, or Retning itself. */
export function actorText(e: DescribedEvent, t: TFunction): string {
  const role = e.actorRole ?? e.role ?? null;
  if (role === 'borger') return t('audit.citizenSelf');
  if (role === 'repraesentant') return t('audit.representative');
  if (!e.actorName && !role) return t('audit.system');
  const roleText = role && i18n.exists(`roles.${role}`) ? t(`roles.${role}`) : null;
  return [e.actorName, roleText && `(${roleText})`].filter(Boolean).join(' ');
}

/** What happened, as a sentence: "Så en sag", "Søgte i borgerens stamoplysninger". */
export function eventSentence(e: DescribedEvent, t: TFunction): string {
  const verb = i18n.exists(`audit.verbs.${e.action}`) ? t(`audit.verbs.${e.action}`) : t('audit.verbs.read');
  const what = i18n.exists(`audit.resources.${e.resourceType}`)
    ? t(`audit.resources.${e.resourceType}`)
    : t('audit.otherResource');
  return `${verb} ${what}`;
}

const COUNTS = [
  'resultCount',
  'count',
  'rows',
  'figures',
  'threads',
  'versions',
  'cases',
  'goals',
  'proposals',
  'ratings',
  'tables',
  'total',
  'participants',
  'reminders',
  'directors',
] as const;
const VALUES = ['offset', 'baseVersion', 'baseRevision', 'format', 'code', 'result', 'instrument'] as const;
const WORDS = ['reason', 'status', 'phase', 'scope', 'period'] as const;
const FLAGS = ['mine', 'endRecommended', 'notified', 'revoked', 'withdrawn', 'import'] as const;
const SWITCHES = ['change', 'showStaffNames'] as const;
const TERMS = ['name', 'cpr', 'citizen'] as const;

/** A code as people write it: file formats and instruments in capitals ("who5" → "WHO-5"). */
const codeText = (k: string, v: string) =>
  k === 'format' || k === 'instrument' ? v.toUpperCase().replace(/^([A-Z]+)(\d+)$/, '$1-$2') : v;

/**
 * The event's details in words ("søgt på navnet "Line", 3 resultater"). Only what has a translation is
 * shown here; ids and anything else stay in the technical details, so nothing reads as a raw key.
 */
export function detailsText(criteria: Record<string, unknown> | null | undefined, t: TFunction): string {
  if (!criteria) return '';
  const c = criteria;
  const word = (v: unknown) =>
    typeof v === 'string' && i18n.exists(`audit.values.${v}`)
      ? t(`audit.values.${v}`)
      : typeof v === 'string' && i18n.exists(`pathway.phases.${v}`)
        ? t(`pathway.phases.${v}`).toLowerCase()
        : null;
  const parts: string[] = [];
  for (const k of TERMS)
    if (typeof c[k] === 'string' && c[k]) parts.push(t(`audit.details.${k}`, { value: c[k] }));
  for (const k of FLAGS) if (c[k] === true) parts.push(t(`audit.details.${k}`));
  for (const k of SWITCHES)
    if (typeof c[k] === 'boolean') parts.push(t(`audit.details.${k}${c[k] ? 'True' : 'False'}`));
  for (const k of WORDS) {
    const w = word(c[k]);
    if (w) parts.push(t(`audit.details.${k}`, { value: w }));
  }
  if (Array.isArray(c.scopes)) {
    const ws = c.scopes.map(word).filter(Boolean);
    if (ws.length) parts.push(t('audit.details.scopes', { value: ws.join(', ') }));
  }
  for (const k of VALUES) {
    const v = c[k];
    if (typeof v === 'number' && !(k === 'offset' && v === 0))
      parts.push(t(`audit.details.${k}`, { value: formatNumber(v) }));
    else if (typeof v === 'string' && v) parts.push(t(`audit.details.${k}`, { value: codeText(k, v) }));
  }
  for (const k of COUNTS)
    if (typeof c[k] === 'number') parts.push(t(`audit.details.${k}`, { count: c[k] as number }));
  return parts.join(', ');
}
