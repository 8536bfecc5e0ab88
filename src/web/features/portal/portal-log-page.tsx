import { Alert, Badge, Button, Card, Group, Loader, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime, formatNumber } from '../../components/forms';
import type { PortalSession } from './portal-app';

interface LogEntry {
  id: string;
  at: string;
  who: 'me' | 'representative' | 'municipality' | 'partner';
  name: string | null;
  role: string | null;
  organisation: string | null;
  units: string[];
  action: string;
  resourceType: string;
  outcome: string;
  consent: { id: string; purpose: string }[];
  question: { question: string; answer: string | null; answeredAt: string | null } | null;
}

/** "Det her forstår jeg ikke": ask the municipality about one event; the answer appears beside it. */
function Ask({ entry }: { entry: LogEntry }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [question, setQuestion] = useState('');
  const ask = useMutation({
    mutationFn: () => post(`/api/portal/log/${entry.id}/question`, { question }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['portal-log'] }),
  });
  if (entry.question)
    return entry.question.answer ? (
      <Alert color="green" variant="outline" mt="xs">
        {t('portal.log.answer', { answer: entry.question.answer })}
      </Alert>
    ) : (
      <Text size="sm" mt="xs">
        {t('portal.log.asked')}
      </Text>
    );
  if (!open)
    return (
      <Button
        variant="subtle"
        size="xs"
        mt={4}
        px={0}
        onClick={() => setOpen(true)}
        style={{ alignSelf: 'flex-start' }}
      >
        {t('portal.log.dontUnderstand')}
      </Button>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        ask.mutate();
      }}
    >
      <Stack gap="xs" mt="xs">
        <Textarea
          label={t('portal.log.askLabel')}
          value={question}
          onChange={(e) => setQuestion(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <ErrorAlert error={ask.error} />
        <Button type="submit" size="xs" loading={ask.isPending} style={{ alignSelf: 'flex-start' }}>
          {t('portal.log.ask')}
        </Button>
      </Stack>
    </form>
  );
}

/** Min log: who looked at or changed my data, when, from where, and on what consent. */
export function PortalLogPage({ session }: { session: PortalSession }) {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['portal-log'],
    queryFn: () => get<{ total: number; items: LogEntry[] }>('/api/portal/log'),
  });
  if (q.isLoading) return <Loader aria-label={t('portal.loading')} />;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const resource = (r: string) =>
    i18n.exists(`portal.log.resources.${r}`)
      ? t(`portal.log.resources.${r}`)
      : t('portal.log.resources.other');
  const who = (e: LogEntry) => {
    if (e.who === 'me') return t('portal.log.me');
    if (e.who === 'representative') return t('portal.log.representative', { name: e.name ?? '' });
    const role = e.role && i18n.exists(`roles.${e.role}`) ? t(`roles.${e.role}`) : null;
    const where = [e.organisation, ...e.units].filter(Boolean).join(', ');
    const kind = e.who === 'partner' ? t('portal.log.partnerOrg') : t('portal.log.staff');
    return [e.name ?? kind, role, where].filter(Boolean).join(' · ');
  };
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('portal.log.title')}</Title>
        <Text>{t('portal.log.intro')}</Text>
        <Text fw={600} mt="xs">
          {t('portal.log.count', { count: q.data.total, formatted: formatNumber(q.data.total) })}
        </Text>
      </div>
      {!session.representative && (
        <Card withBorder padding="md" component="section" aria-labelledby="my-data">
          <Title order={2} size="h4" id="my-data">
            {t('portal.myData.title')}
          </Title>
          <Text size="sm" mb="sm">
            {t('portal.myData.intro')}
          </Text>
          <Group gap="sm">
            <Button component="a" href="/api/portal/my-data.pdf" download variant="outline">
              {t('portal.myData.pdf')}
            </Button>
            <Button component="a" href="/api/portal/my-data.json" download variant="outline">
              {t('portal.myData.json')}
            </Button>
          </Group>
        </Card>
      )}
      <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {q.data.items.map((e) => (
          <Card withBorder padding="sm" key={e.id} component="li">
            <Text size="sm" c="dimmed">
              {formatDateTime(e.at)}
            </Text>
            <Text>
              <b>{who(e)}</b> {t(`portal.log.actions.${e.action}`, { defaultValue: e.action })}{' '}
              {resource(e.resourceType)}
            </Text>
            {e.consent.map((c) => (
              <Text size="sm" key={c.id}>
                {t('portal.log.consent', { purpose: c.purpose })}
              </Text>
            ))}
            {e.who !== 'me' && !session.representative && <Ask entry={e} />}
            {e.outcome !== 'success' && (
              <Badge color={STATUS_COLORS.neutral} mt={4}>
                {t('portal.log.denied')}
              </Badge>
            )}
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
