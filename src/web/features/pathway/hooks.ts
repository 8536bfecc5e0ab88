import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import type { Reference } from './types';

/** The current reference data (code lists, paragraphs, methods, instruments); it changes only at deploy. */
export function useReference() {
  return useQuery({
    queryKey: ['reference'],
    queryFn: () => get<Reference>('/api/reference'),
    staleTime: Infinity,
  });
}

/** A KL informant ("kilde") code by its Danish name, e.g. "Borger"; empty while the reference loads. */
export const informantCode = (ref: Reference | undefined, name: string) =>
  ref?.klCaresocial.informants.find((i) => i.display === name)?.code ?? '';

/** Select options from coded values. */
export const options = (xs: { code: string; display: string }[]) =>
  xs.map((x) => ({ value: x.code, label: x.display }));

/** The subthemes of a category, grouped by theme, as Mantine select groups. */
export function subthemeGroups(ref: Reference, category?: 'activity' | 'function' | 'environment') {
  return ref.ffb.themes
    .filter((t) => !category || t.category === category)
    .map((t) => ({ group: t.display, items: t.subthemes.map((s) => ({ value: s.code, label: s.display })) }));
}
