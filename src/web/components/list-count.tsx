import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * How many a list holds, said above it: "12 i alt" for a whole list, "50 vist · der er flere" for a page of
 * a longer one. A live region, so a screen reader hears the count change after a search.
 */
export function ListCount({
  count,
  more,
  loaded = true,
}: {
  count: number;
  more?: boolean;
  loaded?: boolean;
}) {
  const { t } = useTranslation();
  if (!loaded) return null;
  return (
    <Text size="sm" c="dimmed" role="status">
      {more === undefined
        ? t('common.total', { count })
        : t(more ? 'common.shownMore' : 'common.shown', { count })}
    </Text>
  );
}
