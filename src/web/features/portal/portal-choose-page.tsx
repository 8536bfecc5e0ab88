import { Alert, Anchor, Button, Card, Loader, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, get, post } from '../../api';
import { ErrorAlert } from '../../components/error-alert';

interface Choices {
  options: { id: string; as: 'self' | 'representative'; name: string | null }[];
}

/** After MitID, a person who may act for more than one citizen chooses: themself, or someone they help. */
export function PortalChoosePage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const q = useQuery({
    queryKey: ['portal-choices'],
    queryFn: () => get<Choices>('/api/portal/choices'),
    retry: false,
  });
  const [option, setOption] = useState<string | null>(null);
  const choose = useMutation({
    mutationFn: (o: string) => post<{ back: string }>('/api/portal/choose', { option: o }),
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: ['portal-session'] });
      navigate(r.back);
    },
  });
  const expired = q.error instanceof ApiError && q.error.status === 404;
  return (
    <Stack gap="lg" maw={520}>
      <Title order={1}>{t('portal.choose.title')}</Title>
      {q.isLoading && <Loader aria-label={t('portal.loading')} />}
      {expired && (
        <Alert color="yellow" variant="outline">
          {t('portal.choose.expired')}{' '}
          <Anchor component={Link} to="/portal/logind">
            {t('portal.choose.again')}
          </Anchor>
        </Alert>
      )}
      {!expired && <ErrorAlert error={q.error ?? choose.error} />}
      {q.data && (
        <Card
          withBorder
          padding="lg"
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (option) choose.mutate(option);
          }}
        >
          <Stack gap="md">
            <Radio.Group
              label={t('portal.choose.question')}
              description={t('portal.choose.help')}
              value={option}
              onChange={setOption}
            >
              <Stack gap="sm" mt="sm">
                {q.data.options.map((o) => (
                  <Radio
                    key={o.id}
                    value={o.id}
                    label={
                      o.as === 'self' ? t('portal.choose.self') : t('portal.choose.for', { name: o.name })
                    }
                  />
                ))}
              </Stack>
            </Radio.Group>
            <Button type="submit" disabled={!option} loading={choose.isPending}>
              {t('portal.choose.continue')}
            </Button>
            <Text size="sm" c="dimmed">
              {t('portal.choose.logged')}
            </Text>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
