import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { get } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../components/forms';
import { MessageList, ReplyForm, type ThreadMessage } from '../../components/messages';

interface Inbox {
  units: { id: string; name: string | null }[];
  unread: number;
  items: {
    id: string;
    subject: string;
    unit: { id: string; name: string | null };
    citizen: { id: string; name: string };
    messages: number;
    unread: number;
    lastAt: string;
    lastFrom: string | null;
  }[];
}
interface StaffThread {
  id: string;
  caseId: string;
  subject: string;
  citizen: { id: string; name: string | null };
  unit: { id: string; name: string | null };
  messages: ThreadMessage[];
}

/** The unit inbox: citizens' messages to my units, newest first, unread first to the eye. */
export function InboxPage() {
  const { t } = useTranslation();
  const [unit, setUnit] = useState<string>('all');
  const q = useQuery({
    queryKey: ['inbox', unit],
    queryFn: () => get<Inbox>(unit === 'all' ? '/api/messages' : `/api/messages?unitId=${unit}`),
  });
  const units = useQuery({ queryKey: ['inbox', 'all'], queryFn: () => get<Inbox>('/api/messages') }).data
    ?.units;
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>{t('messages.title')}</Title>
        {units && units.length > 1 && (
          <SegmentedControl
            aria-label={t('messages.unit')}
            value={unit}
            onChange={setUnit}
            data={[
              { value: 'all', label: t('messages.allUnits') },
              ...units.map((u) => ({ value: u.id, label: u.name ?? '' })),
            ]}
          />
        )}
      </Group>
      <Text>{t('messages.intro')}</Text>
      {q.isLoading && <Loader aria-label={t('app.loading')} />}
      <ErrorAlert error={q.error} />
      {q.data && (
        <Text fw={600}>{t('messages.counts', { count: q.data.items.length, unread: q.data.unread })}</Text>
      )}
      {q.data && q.data.items.length === 0 && <Text>{t('messages.none')}</Text>}
      {q.data && q.data.items.length > 0 && (
        <Stack gap="xs" hiddenFrom="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {q.data.items.map((i) => (
            <Card key={i.id} withBorder padding="sm" component="li">
              <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                <Anchor component={Link} to={`/beskeder/${i.id}`} fw={i.unread ? 700 : 400}>
                  {i.subject}
                </Anchor>
                {i.unread > 0 && (
                  <Badge color="red.9" size="sm" style={{ flexShrink: 0 }}>
                    {t('messages.unread', { count: i.unread })}
                  </Badge>
                )}
              </Group>
              <Text size="sm">
                {i.citizen.name} · {i.unit.name}
              </Text>
              <Text size="sm" c="dimmed">
                {formatDateTime(i.lastAt)} · {t(`messages.from.${i.lastFrom ?? 'citizen'}`)}
              </Text>
            </Card>
          ))}
        </Stack>
      )}
      {q.data && q.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={560} visibleFrom="sm">
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('messages.subject')}</Table.Th>
                <Table.Th>{t('messages.citizen')}</Table.Th>
                <Table.Th>{t('messages.unit')}</Table.Th>
                <Table.Th>{t('messages.last')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.items.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor component={Link} to={`/beskeder/${i.id}`} fw={i.unread ? 700 : 400}>
                        {i.subject}
                      </Anchor>
                      {i.unread > 0 && (
                        <Badge color="red.9" size="sm" style={{ flexShrink: 0 }}>
                          {t('messages.unread', { count: i.unread })}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/borgere/${i.citizen.id}`}>
                      {i.citizen.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{i.unit.name}</Table.Td>
                  <Table.Td>
                    {formatDateTime(i.lastAt)} · {t(`messages.from.${i.lastFrom ?? 'citizen'}`)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** One thread in the unit inbox; opening it marks the citizen's messages read. The answer is mailed as a notice only. */
export function InboxThreadPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const [sent, setSent] = useState<boolean | null>(null);
  const q = useQuery({
    queryKey: ['inbox-thread', id],
    queryFn: async () => {
      const r = await get<StaffThread>(`/api/messages/${id}`);
      void qc.invalidateQueries({ queryKey: ['inbox'] });
      return r;
    },
  });
  const who = (m: ThreadMessage) =>
    m.from === 'staff'
      ? (m.name ?? t('messages.from.staff'))
      : m.from === 'representative'
        ? t('messages.representative', { name: m.name ?? '' })
        : (q.data?.citizen.name ?? t('messages.from.citizen'));
  return (
    <Stack>
      <Anchor component={Link} to="/beskeder">
        ← {t('messages.back')}
      </Anchor>
      {q.isLoading && <Loader aria-label={t('app.loading')} />}
      <ErrorAlert error={q.error} />
      {q.data && (
        <>
          <div>
            <Title order={1} size="h2">
              {q.data.subject}
            </Title>
            <Text c="dimmed">
              <Anchor component={Link} to={`/borgere/${q.data.citizen.id}`} underline="always">
                {q.data.citizen.name}
              </Anchor>{' '}
              ·{' '}
              <Anchor component={Link} to={`/sager/${q.data.caseId}`} underline="always">
                {t('messages.case')}
              </Anchor>{' '}
              · {q.data.unit.name}
            </Text>
          </div>
          <MessageList messages={q.data.messages} mine={(m) => m.from === 'staff'} who={who} />
          {sent !== null && (
            <Alert color="green" variant="outline" role="status" maw={760}>
              {sent ? t('messages.sentNotified') : t('messages.sentNoEmail')}
            </Alert>
          )}
          <ReplyForm<{ notified: boolean }>
            url={`/api/messages/${id}`}
            label={t('messages.reply')}
            help={t('messages.replyHelp')}
            submitLabel={t('messages.send')}
            onSent={async (r) => {
              setSent(r.notified);
              await qc.invalidateQueries({ queryKey: ['inbox-thread', id] });
            }}
          />
        </>
      )}
    </Stack>
  );
}
