import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PERIOD_KINDS, type PeriodKind, periodInProgress } from '../../../shared/indicators';
import { todayIso } from '../../components/forms';
import { periodLabel } from './format';

export function PeriodControl({ value, onChange }: { value: PeriodKind; onChange: (p: PeriodKind) => void }) {
  const { t } = useTranslation();
  return (
    <SegmentedControl
      aria-label={t('keyfigures.period.label')}
      value={value}
      onChange={(v) => onChange(v as PeriodKind)}
      data={PERIOD_KINDS.map((p) => ({ value: p, label: t(`keyfigures.period.${p}`) }))}
    />
  );
}

/**
 * Periods as the pages show them: a period in progress (its last day not yet passed where the user is) is
 * named so, "4. kvt. 2026 (i gang)", and kept out of trend lines and headlines by the callers.
 */
export function usePeriods(kind: PeriodKind) {
  const { t, i18n } = useTranslation();
  const today = todayIso();
  const inProgress = (start: string) => periodInProgress(kind, start, today);
  const label = (start: string) => {
    const name = periodLabel(kind, start, i18n.language);
    return inProgress(start) ? t('keyfigures.period.inProgress', { period: name }) : name;
  };
  return { inProgress, label };
}
