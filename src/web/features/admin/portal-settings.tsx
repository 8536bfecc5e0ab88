import { Card, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';

/** Min Retning's municipal setting: whether citizens see staff names in Min log and in messages. */
export function PortalSettingsCard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['portal-settings'],
    queryFn: () => get<{ showStaffNames: boolean }>('/api/admin/portal-settings'),
  });
  const save = useMutation({
    mutationFn: (showStaffNames: boolean) => put('/api/admin/portal-settings', { showStaffNames }),
    onSuccess: (r) => qc.setQueryData(['portal-settings'], r),
  });
  return (
    <Card withBorder component="section" aria-labelledby="portal-settings">
      <Stack gap="xs">
        <Title order={2} size="h4" id="portal-settings">
          {t('admin.portal.title')}
        </Title>
        <Switch
          label={t('admin.portal.showStaffNames')}
          description={t('admin.portal.showStaffNamesHelp')}
          checked={q.data?.showStaffNames ?? true}
          disabled={!q.data || save.isPending}
          onChange={(e) => save.mutate(e.currentTarget.checked)}
        />
        {save.isSuccess && (
          <Text size="sm" role="status" c="teal.9">
            {t('admin.portal.saved')}
          </Text>
        )}
        <ErrorAlert error={q.error ?? save.error} />
      </Stack>
    </Card>
  );
}
