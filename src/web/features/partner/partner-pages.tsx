import { Alert, Anchor, Card, List, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, get } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, formatNumber } from '../../components/forms';
import { ListCount } from '../../components/list-count';

interface Listed {
  id: string;
  name: string;
  scopes: string[];
  validUntil: string;
}
interface Goal {
  id: string;
  title: string;
  wordsOf: string;
  status: string;
  lifeArea: { code: string; display: string } | null;
  workedOnBy?: (Goal & { subGoals: Goal[] })[];
  subGoals?: Goal[];
}
interface View {
  id: string;
  name: string;
  consents: { id: string; purpose: string; validUntil: string }[];
  contact: { phone: string | null; email: string | null; address: string } | null;
  goals: Goal[] | null;
  plan: { version: number; purpose: string; employment: string; sharedAt: string | null } | null;
  measures: { instrument: string; on: string; score: number }[] | null;
}

/** A partner organisation's start page: the citizens whose consent lets it see something. */
export function PartnerListPage() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['partner-citizens'],
    queryFn: () => get<{ items: Listed[] }>('/api/partner/citizens'),
  });
  return (
    <Stack maw={760}>
      <Title order={1}>{t('partner.title')}</Title>
      <Text>{t('partner.intro')}</Text>
      {q.isLoading && <Loader aria-label={t('app.loading')} />}
      <ErrorAlert error={q.error} />
      {q.data && q.data.items.length > 0 && <ListCount count={q.data.items.length} />}
      {q.data?.items.length === 0 && <Text>{t('partner.none')}</Text>}
      <Stack gap="xs">
        {q.data?.items.map((c) => (
          <Card withBorder padding="sm" key={c.id}>
            <Anchor component={Link} to={`/partner/${c.id}`} fw={600}>
              {c.name}
            </Anchor>
            <Text size="sm">
              {c.scopes.map((s) => t(`portal.consents.scopes.${s}`)).join(', ')} ·{' '}
              {t('partner.until', { date: formatDate(c.validUntil) })}
            </Text>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}

/** One citizen as the partner may see them: exactly what valid consent allows, checked at every load. */
export function PartnerCitizenPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const q = useQuery({
    queryKey: ['partner-citizen', id],
    queryFn: () => get<View>(`/api/partner/citizens/${id}`),
    retry: false,
  });
  const back = (
    <Anchor component={Link} to="/partner">
      {t('partner.back')}
    </Anchor>
  );
  if (q.isLoading) return <Loader aria-label={t('app.loading')} />;
  if (q.error instanceof ApiError && q.error.status === 404)
    return (
      <Stack maw={760}>
        <Alert color="gray" variant="outline">
          {t('partner.gone')}
        </Alert>
        {back}
      </Stack>
    );
  if (!q.data) return <ErrorAlert error={q.error} />;
  const v = q.data;
  return (
    <Stack maw={760}>
      {back}
      <Title order={1}>{v.name}</Title>
      {v.consents.map((c) => (
        <Text key={c.id} size="sm">
          {t('partner.consent', { purpose: c.purpose, date: formatDate(c.validUntil) })}
        </Text>
      ))}
      {v.contact && (
        <Card withBorder>
          <Title order={2} size="h4">
            {t('partner.contact')}
          </Title>
          <Text>{[v.contact.phone, v.contact.email, v.contact.address].filter(Boolean).join(' · ')}</Text>
        </Card>
      )}
      {v.goals && (
        <Card withBorder>
          <Title order={2} size="h4">
            {t('partner.goals')}
          </Title>
          <List spacing="sm" mt="xs">
            {v.goals.map((g) => (
              <List.Item key={g.id}>
                <Text fw={600}>{g.title}</Text>
                <Text size="sm" c="dimmed">
                  {t(`pathway.goals.wordsOf.${g.wordsOf}`)}
                </Text>
                {(g.workedOnBy ?? []).length > 0 && (
                  <List withPadding size="sm">
                    {g.workedOnBy!.map((i) => (
                      <List.Item key={i.id}>
                        {i.title}
                        {i.lifeArea ? ` (${i.lifeArea.display})` : ''}
                        {i.subGoals.length > 0 && (
                          <List withPadding size="sm">
                            {i.subGoals.map((s) => (
                              <List.Item key={s.id}>{s.title}</List.Item>
                            ))}
                          </List>
                        )}
                      </List.Item>
                    ))}
                  </List>
                )}
              </List.Item>
            ))}
          </List>
        </Card>
      )}
      {v.plan && (
        <Card withBorder>
          <Title order={2} size="h4">
            {t('partner.plan')}
          </Title>
          <Text>{v.plan.purpose}</Text>
          {v.plan.employment && <Text>{v.plan.employment}</Text>}
        </Card>
      )}
      {v.measures && (
        <Card withBorder>
          <Title order={2} size="h4">
            {t('partner.measures')}
          </Title>
          <Table>
            <Table.Tbody>
              {v.measures.map((m) => (
                <Table.Tr key={`${m.instrument}${m.on}`}>
                  <Table.Td>{m.instrument}</Table.Td>
                  <Table.Td>{formatDate(m.on)}</Table.Td>
                  <Table.Td>{formatNumber(m.score)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
