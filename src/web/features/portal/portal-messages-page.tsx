import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { messageCreateBody } from '../../../shared/schemas';
import { get, post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, formatDateTime, serverFieldErrors, validate } from '../../components/forms';
import { MessageList, ReplyForm, type ThreadMessage } from '../../components/messages';
import type { PortalSession } from './portal-app';

export interface ThreadSummary {
  id: string;
  caseId: string;
  subject: string;
  unit: { id: string; name: string | null };
  messages: number;
  unread: number;
  lastAt: string;
  lastFrom: string | null;
}
interface MyThreads {
  threads: ThreadSummary[];
  recipients: {
    caseId: string;
    caseNumber: string;
    unitId: string;
    unitName: string | null;
    kind: 'caseworker' | 'provider';
  }[];
}
interface Thread {
  id: string;
  subject: string;
  unit: { id: string; name: string | null };
  messages: ThreadMessage[];
}

const mayWrite = (s: PortalSession) => !s.representative || s.representative.scopes.includes('messages');

function NewMessage({ data, onDone }: { data: MyThreads; onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const options = data.recipients.map((r) => ({
    value: `${r.caseId}|${r.unitId}`,
    label: `${t(`portal.messages.to.${r.kind}`)}: ${r.unitName ?? ''}${
      new Set(data.recipients.map((x) => x.caseId)).size > 1 ? ` (${r.caseNumber})` : ''
    }`,
  }));
  const [to, setTo] = useState(options[0]?.value ?? '');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const send = useMutation({
    mutationFn: (b: unknown) => post<{ id: string }>('/api/portal/messages', b),
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: ['portal-messages'] });
      onDone(r.id);
    },
    onError: (err) => setErrors(serverFieldErrors(err)),
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const [caseId, unitId] = to.split('|');
    const v = validate(messageCreateBody, { caseId, unitId, subject, body });
    setErrors(v.errors);
    if (v.data) send.mutate(v.data);
  };
  if (options.length === 0) return <Text>{t('portal.messages.noRecipients')}</Text>;
  return (
    <Stack component="form" onSubmit={submit} gap="sm">
      <Select
        label={t('portal.messages.toLabel')}
        data={options}
        value={to}
        onChange={(v) => setTo(v ?? '')}
        allowDeselect={false}
        error={errors.unitId}
      />
      <TextInput
        label={t('portal.messages.subject')}
        value={subject}
        onChange={(e) => setSubject(e.currentTarget.value)}
        maxLength={200}
        error={errors.subject}
      />
      <Textarea
        label={t('portal.messages.body')}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        autosize
        minRows={4}
        maxLength={5000}
        error={errors.body}
      />
      <ErrorAlert error={send.error && Object.keys(errors).length === 0 ? send.error : null} />
      <Group>
        <Button type="submit" loading={send.isPending}>
          {t('portal.messages.send')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Beskeder: my threads with the caseworker and my provider, newest first; write a new one. */
export function PortalMessagesPage({ session }: { session: PortalSession }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [writing, setWriting] = useState(false);
  const q = useQuery({
    queryKey: ['portal-messages'],
    queryFn: () => get<MyThreads>('/api/portal/messages'),
  });
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('portal.messages.title')}</Title>
        <Text>{t('portal.messages.intro')}</Text>
      </div>
      {q.isLoading && <Loader aria-label={t('portal.loading')} />}
      <ErrorAlert error={q.error} />
      {q.data && mayWrite(session) && (
        <Card withBorder padding="lg" component="section" aria-labelledby="new-message">
          <Group justify="space-between">
            <Title order={2} size="h3" id="new-message">
              {t('portal.messages.new')}
            </Title>
            {!writing && <Button onClick={() => setWriting(true)}>{t('portal.messages.write')}</Button>}
          </Group>
          {writing && (
            <div style={{ marginTop: 'var(--mantine-spacing-sm)' }}>
              <NewMessage data={q.data} onDone={(id) => navigate(`/portal/beskeder/${id}?sendt=1`)} />
            </div>
          )}
        </Card>
      )}
      {q.data && (
        <section aria-labelledby="threads">
          <Title order={2} size="h3" id="threads" mb="sm">
            {t('portal.messages.threads', { count: q.data.threads.length })}
          </Title>
          {q.data.threads.length === 0 && <Text>{t('portal.messages.none')}</Text>}
          <Stack gap="xs">
            {q.data.threads.map((th) => (
              <Card key={th.id} withBorder padding="sm">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Anchor component={Link} to={`/portal/beskeder/${th.id}`} fw={th.unread ? 700 : 500}>
                    {th.subject}
                  </Anchor>
                  {th.unread > 0 && (
                    <Badge color={STATUS_COLORS.negative}>
                      {t('portal.messages.unread', { count: th.unread })}
                    </Badge>
                  )}
                </Group>
                <Text size="sm" c="dimmed">
                  {th.unit.name} · {formatDateTime(th.lastAt)} ·{' '}
                  {t('portal.messages.count', { count: th.messages })}
                </Text>
              </Card>
            ))}
          </Stack>
        </section>
      )}
    </Stack>
  );
}

/** One thread: every message, and an answer. Opening it marks the staff's messages read. */
export function PortalThreadPage({ session }: { session: PortalSession }) {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const [sent, setSent] = useState(new URLSearchParams(window.location.search).has('sendt'));
  const q = useQuery({
    queryKey: ['portal-thread', id],
    queryFn: async () => {
      const r = await get<Thread>(`/api/portal/messages/${id}`);
      void qc.invalidateQueries({ queryKey: ['portal-messages'] });
      return r;
    },
  });
  const who = (m: ThreadMessage) =>
    m.from === 'staff'
      ? (m.name ?? q.data?.unit.name ?? t('portal.messages.staff'))
      : m.from === 'representative'
        ? t('portal.messages.byRepresentative', { name: m.name ?? '' })
        : session.representative
          ? `${session.citizen.firstName} ${session.citizen.lastName}`
          : t('portal.messages.me');
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/portal/beskeder">
        ← {t('portal.messages.back')}
      </Anchor>
      {q.isLoading && <Loader aria-label={t('portal.loading')} />}
      <ErrorAlert error={q.error} />
      {q.data && (
        <>
          <div>
            <Title order={1} size="h2">
              {q.data.subject}
            </Title>
            <Text c="dimmed">{t('portal.messages.with', { unit: q.data.unit.name ?? '' })}</Text>
          </div>
          <MessageList messages={q.data.messages} mine={(m) => m.from !== 'staff'} who={who} />
          {sent && (
            <Alert color="green" variant="outline" role="status">
              {t('portal.messages.sent')}
            </Alert>
          )}
          {mayWrite(session) && (
            <ReplyForm
              url={`/api/portal/messages/${id}`}
              label={t('portal.messages.reply')}
              submitLabel={t('portal.messages.send')}
              onSent={async () => {
                setSent(true);
                await qc.invalidateQueries({ queryKey: ['portal-thread', id] });
              }}
            />
          )}
        </>
      )}
    </Stack>
  );
}
