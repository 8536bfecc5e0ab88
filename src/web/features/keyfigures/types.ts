import type { PeriodKind } from '../../../shared/indicators';
import type { FigurePoint, GroupPoint } from '../../../shared/keyfigures';

export type { FigurePoint, GroupPoint, PeriodKind };

export interface Overview {
  municipality: { id: string; code: string; name: string };
  computedAt: string | null;
  pending: boolean;
  /** Where the municipality's key figures start (its data are complete from then); null: as far as they go. */
  from: string | null;
  periodKind: PeriodKind;
  indicators: { key: string; points: FigurePoint[] }[];
}

export interface IndicatorView {
  indicator: string;
  periodKind: PeriodKind;
  municipality: { id: string; code: string; name: string };
  own: FigurePoint[];
  breakdown: { kind: string; values: { value: string; label: string; points: FigurePoint[] }[] } | null;
  groups: { id: string; name: string }[];
  group: {
    id: string;
    name: string;
    points: GroupPoint[];
    members: { id: string; name: string; own: boolean; latest: FigurePoint | null }[];
  } | null;
  country: { points: GroupPoint[] };
}

export interface ProtectedTable {
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  colTotals: (number | null)[];
  total: number | null;
}

export interface LadderView {
  computedAt: string | null;
  ladder: { yearAgo: string; today: string; steps: (number | null)[]; table: ProtectedTable } | null;
  stepNames: Record<string, string>;
}

export interface ComparisonGroup {
  id: string;
  name: string;
  members: string[];
  updatedAt: string;
}

export interface DirectoryEntry {
  id: string;
  code: string;
  name: string;
  own: boolean;
  citizens: number | null;
}
