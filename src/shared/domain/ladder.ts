import { addDays, type IsoDate } from './dates';

/**
 * Where a citizen stands on the step-down ladder (indsatstrappe) over time: on any day, the highest step
 * among the services running that day (a service runs from its start to its end date, inclusive).
 * Days with no running service are step 0 (no service). Source: ../shared/domain/reference.md §4.2.
 */
export interface LadderService {
  step: number;
  startOn: IsoDate | null;
  endOn: IsoDate | null;
}

export interface LadderSegment {
  from: IsoDate;
  /** Inclusive; null while it lasts. */
  to: IsoDate | null;
  step: number;
}

export function ladderSegments(services: readonly LadderService[]): LadderSegment[] {
  const running = services.filter((s): s is LadderService & { startOn: IsoDate } => s.startOn !== null);
  if (!running.length) return [];
  // Every day the step can change: a start, or the day after an end.
  const changes = new Set<IsoDate>();
  for (const s of running) {
    changes.add(s.startOn);
    if (s.endOn) changes.add(addDays(s.endOn, 1));
  }
  const days = [...changes].sort();
  const stepOn = (d: IsoDate) =>
    Math.max(0, ...running.filter((s) => s.startOn <= d && (!s.endOn || s.endOn >= d)).map((s) => s.step));
  const segments: LadderSegment[] = [];
  for (const day of days) {
    const step = stepOn(day);
    const last = segments[segments.length - 1];
    if (last && last.step === step) continue;
    if (last) last.to = addDays(day, -1);
    segments.push({ from: day, to: null, step });
  }
  // A final step-0 segment is "no service since": keep it, it is a step down too.
  return segments;
}

/** The step on a given day. */
export function stepOn(segments: readonly LadderSegment[], day: IsoDate): number {
  const s = segments.find((x) => x.from <= day && (x.to === null || x.to >= day));
  return s?.step ?? 0;
}
