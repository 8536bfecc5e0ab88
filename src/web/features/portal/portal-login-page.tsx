import { Alert, Button, Card, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { get } from '../../api';
import { ErrorAlert } from '../../components/error-alert';

const REASONS = ['assurance', 'no_citizen', 'attempt', 'denied', 'unavailable'];

/** Choose the municipality, then off to MitID (a full page navigation: the broker is another site). */
export function PortalLoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const municipalities = useQuery({
    queryKey: ['portal-municipalities'],
    queryFn: () =>
      get<{ items: { code: string; name: string }[]; demo: boolean }>('/api/portal/municipalities'),
  });
  const items = municipalities.data?.items ?? [];
  const preferred = items.find((m) => m.name === 'Demo Kommune')?.code ?? items[0]?.code ?? '';
  const [chosen, setChosen] = useState<string | null>(null);
  const kommune = chosen ?? preferred;
  const refused = params.get('fejl');
  return (
    <Stack maw={480} mx="auto">
      <Title order={1}>{t('portal.login.title')}</Title>
      <Text>{t('portal.login.intro')}</Text>
      {refused && (
        <Alert color="red" variant="outline" role="alert" title={t('portal.login.refused.title')}>
          {t(`portal.login.refused.${REASONS.includes(refused) ? refused : 'other'}`)}
        </Alert>
      )}
      {params.get('udloebet') && (
        <Alert color="yellow" variant="outline" role="status">
          {t('portal.sessionEnded')}
        </Alert>
      )}
      {params.get('ud') && (
        <Alert color="green" variant="outline" role="status">
          {t('portal.loggedOut')}
        </Alert>
      )}
      <ErrorAlert error={municipalities.error} />
      {/* A link, not a form: the server sends the browser on to the broker, another site, which the
          content security policy's form-action 'self' would block after a form submission. */}
      <Card withBorder padding="lg">
        <Stack>
          <NativeSelect
            label={t('portal.login.municipality')}
            value={kommune}
            onChange={(e) => setChosen(e.currentTarget.value)}
            data={items.map((m) => ({ value: m.code, label: m.name }))}
          />
          {/* Until the municipalities are loaded there is nothing to log in to: no link at all (a disabled
              link would still navigate). */}
          {kommune ? (
            <Button component="a" href={`/api/portal/login?kommune=${encodeURIComponent(kommune)}`} size="md">
              {t('portal.login.button')}
            </Button>
          ) : (
            <Button size="md" disabled>
              {t('portal.login.button')}
            </Button>
          )}
        </Stack>
      </Card>
      {municipalities.data?.demo && (
        <Alert color="blue" variant="light">
          {t('portal.login.demo')}
        </Alert>
      )}
    </Stack>
  );
}
