import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PERIOD_KINDS, type PeriodKind } from '../../../shared/indicators';

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
