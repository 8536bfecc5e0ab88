import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { STATUS_COLORS } from '../../components/colors';

/** The worklist flags of one instrument, read by its own rules (src/shared/domain/instruments.ts). */
export interface OutcomeFlags {
  deterioration: boolean;
  noChangeAfterThree: boolean;
  allianceAlert: boolean;
}

/** One badge per raised flag: deterioration in red, the others as something to talk about. */
export function FlagBadges({ instrument, flags }: { instrument: string; flags: OutcomeFlags }) {
  const { t } = useTranslation();
  const raised = (['deterioration', 'noChangeAfterThree', 'allianceAlert'] as const).filter((k) => flags[k]);
  return raised.map((k) => (
    <Badge
      key={k}
      color={k === 'deterioration' ? STATUS_COLORS.negative : STATUS_COLORS.warning}
      mr={4}
      {...WRAPPING}
    >
      {t(`pathway.outcomes.flags.${k}`, { instrument })}
    </Badge>
  ));
}

/** A badge whose text wraps instead of being cut off (a flag must be readable whole). */
export const WRAPPING = {
  h: 'auto',
  py: 2,
  styles: { label: { whiteSpace: 'normal' as const, overflow: 'visible' as const } },
};
