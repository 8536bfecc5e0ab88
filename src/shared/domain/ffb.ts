/**
 * KL's rule for functioning levels (kl-reporting-ffb-condition-1): a condition under "Aktivitet og
 * deltagelse" must carry a functioning level 0–4; conditions under "Funktioner og forhold" and
 * "Omgivelser" must not: they are described in text only. Source: ../shared/domain/reference.md §1.4.
 */
export type FfbCategory = 'activity' | 'function' | 'environment';

export const FUNCTIONING_LEVELS = [0, 1, 2, 3, 4] as const;
export const SUPPORT_NEED_LEVELS = [0, 1, 2, 3, 4] as const;

export type LevelRuleViolation =
  | 'level_required'
  | 'level_not_allowed'
  | 'level_out_of_range'
  | 'level_and_not_assessed';

/**
 * Checks a condition's level against KL's rule. Under Aktivitet og deltagelse the level may instead be
 * recorded as FFB's "Ikke vurderet" (Funktionsevneniveau > Ikke vurderet): assessed on purpose as not
 * assessed, which is not the same as forgetting it.
 */
export function checkFunctioningLevel(
  category: FfbCategory,
  level: number | null | undefined,
  notAssessed = false,
): LevelRuleViolation | null {
  const has = level !== null && level !== undefined;
  if (category === 'activity') {
    if (notAssessed) return has ? 'level_and_not_assessed' : null;
    if (!has) return 'level_required';
    return Number.isInteger(level) && level >= 0 && level <= 4 ? null : 'level_out_of_range';
  }
  return has || notAssessed ? 'level_not_allowed' : null;
}

/** An intervention goal (indsatsmål) addresses exactly one primary condition, under Aktivitet og deltagelse. */
export function checkPrimarySubtheme(category: FfbCategory | null): 'primary_must_be_activity' | null {
  return category === 'activity' ? null : 'primary_must_be_activity';
}
