import { Badge, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../components/forms';
import { ListCount } from '../../components/list-count';

interface Mail {
  id: string;
  kind: string;
  to: string;
  subject: string;
  body: string | null;
  status: string;
  createdAt: string;
  sentAt: string | null;
}

/** Demo mode only: what Retning has sent (survey links and reminders, notices of new messages). */
export function OutboxPage() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['outbox'],
    queryFn: () => get<{ items: Mail[] }>('/api/mail/outbox'),
    refetchInterval: 5000,
  });
  return (
    <Stack gap="md" maw={900}>
      <Title order={1}>{t('survey.outbox.title')}</Title>
      <Text c="dimmed">{t('survey.outbox.intro')}</Text>
      <ErrorAlert error={q.error} />
      {q.data && <ListCount count={q.data.items.length} />}
      {q.data?.items.length === 0 && <Text>{t('survey.outbox.empty')}</Text>}
      {q.data?.items.map((m) => (
        <Paper key={m.id} withBorder p="md" component="article" aria-label={m.subject}>
          <Text fw={600}>{m.subject}</Text>
          <Text size="sm">
            {t('survey.outbox.to')}: {m.to} · {formatDateTime(m.createdAt)}{' '}
            <Badge size="xs" color={m.status === 'sent' ? STATUS_COLORS.positive : STATUS_COLORS.neutral}>
              {t(`survey.outbox.status.${m.status}`, { defaultValue: m.status })}
            </Badge>
          </Text>
          {m.body && (
            <Text
              component="pre"
              size="sm"
              mt="xs"
              style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
              data-testid="mail-body"
            >
              {m.body}
            </Text>
          )}
        </Paper>
      ))}
    </Stack>
  );
}
