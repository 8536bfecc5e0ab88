import { Card, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { SavedNotice } from '../../components/notice';
import {
  type Representation,
  RepresentationForm,
  RepresentationList,
  useRevoke,
} from '../representatives/representations';
import type { PortalSession } from './portal-app';

/**
 * Pårørende: whom I let act for me in Min Retning, with their own MitID — what they may do and until when.
 * A representative sees only their own access here.
 */
export function PortalRepresentativesPage({ session }: { session: PortalSession }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [given, setGiven] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ['portal-representatives'],
    queryFn: () => get<{ items: Representation[] }>('/api/portal/representatives'),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['portal-representatives'] });
  const revoke = useRevoke((r) => `/api/portal/representatives/${r.id}/revoke`, refresh);
  const isCitizen = session.representative === null;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('portal.representatives.title')}</Title>
        <Text>{isCitizen ? t('portal.representatives.intro') : t('portal.representatives.introRep')}</Text>
      </div>
      {q.isLoading && <Loader aria-label={t('portal.loading')} />}
      <ErrorAlert error={q.error ?? revoke.error} />
      <SavedNotice
        text={given ? t('portal.representatives.given', { name: given }) : null}
        onClose={() => setGiven(null)}
      />
      {q.data && (
        <section aria-labelledby="access-list">
          <Title order={2} size="h3" id="access-list" mb="sm">
            {t('portal.representatives.list', { count: q.data.items.length })}
          </Title>
          <RepresentationList
            items={q.data.items}
            onRevoke={isCitizen ? (r) => revoke.mutate(r) : undefined}
            revoking={revoke.isPending ? (revoke.variables?.id ?? null) : null}
          />
        </section>
      )}
      {isCitizen && (
        <Card withBorder padding="lg" component="section" aria-labelledby="give-access">
          <Title order={2} size="h3" id="give-access" mb="sm">
            {t('portal.representatives.give')}
          </Title>
          <RepresentationForm
            url="/api/portal/representatives"
            onDone={async (name) => {
              setGiven(name);
              await refresh();
            }}
          />
        </Card>
      )}
    </Stack>
  );
}
