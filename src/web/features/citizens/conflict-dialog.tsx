import { Button, Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AppModal } from '../../components/modal';

/**
 * Shown on a 409: the writer's unsaved version next to the saved one, so nothing is lost. The writer
 * chooses to save theirs on top of the new version, or to take the saved one.
 */
export function ConflictDialog(props: {
  opened: boolean;
  mine: ReactNode;
  theirs: ReactNode;
  onKeepMine: () => void;
  onUseTheirs: () => void;
}) {
  const { t } = useTranslation();
  return (
    <AppModal opened={props.opened} onClose={props.onUseTheirs} title={t('conflict.title')} size="xl">
      <Text mb="md">{t('conflict.intro')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder data-testid="conflict-mine">
          <Title order={3} size="h5" mb="xs">
            {t('conflict.yours')}
          </Title>
          {props.mine}
        </Card>
        <Card withBorder data-testid="conflict-theirs">
          <Title order={3} size="h5" mb="xs">
            {t('conflict.theirs')}
          </Title>
          {props.theirs}
        </Card>
      </SimpleGrid>
      <Group justify="flex-end" mt="md">
        <Button variant="outline" onClick={props.onUseTheirs}>
          {t('conflict.useTheirs')}
        </Button>
        <Button onClick={props.onKeepMine}>{t('conflict.keepMine')}</Button>
      </Group>
    </AppModal>
  );
}
