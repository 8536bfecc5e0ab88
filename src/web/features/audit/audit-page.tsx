import { Alert, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, AUDIT_RESOURCES } from '../../../shared/enums';
import { get, post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../components/forms';
import { ListCount } from '../../components/list-count';
import { ScrollRegion } from '../../components/scroll-region';
import type { AuditEvent } from '../../types';
import { useSession } from '../auth/session';
import { actorText, detailsText, eventSentence } from './describe';
import { LogQuestions } from './log-questions';

interface Page {
  items: AuditEvent[];
  nextBefore: string | null;
}
interface VerifyReport {
  checked: number;
  ok: boolean;
  firstBreak: { id: string; chainId: number; chainSeq: number; problem: string } | null;
  chains: number;
}
interface Filters {
  from: string;
  to: string;
  actorUserId: string | null;
  citizen: string;
  citizenId: string | null;
  action: string | null;
  resourceType: string | null;
  outcome: string | null;
  order: 'newest' | 'oldest';
}
const NO_FILTERS: Filters = {
  from: '',
  to: '',
  actorUserId: null,
  citizen: '',
  citizenId: null,
  action: null,
  resourceType: null,
  outcome: null,
  order: 'newest',
};

const toIso = (d: string, end = false) =>
  d ? new Date(`${d}T${end ? '23:59:59' : '00:00:00'}`).toISOString() : undefined;

const OUTCOME_COLOR = {
  success: STATUS_COLORS.positive,
  denied: STATUS_COLORS.negative,
  error: STATUS_COLORS.warning,
} as const;

/** The audit log as sentences: who did what to which citizen, filtered and sorted by time, person, citizen and action. */
export function AuditPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<AuditEvent[]>([]);
  const actors = useQuery({
    queryKey: ['audit-actors'],
    queryFn: () => get<{ items: { id: string; displayName: string }[] }>('/api/audit/actors'),
  });
  const search = useMutation({
    mutationFn: (body: Record<string, unknown>) => post<Page>('/api/audit/search', body),
  });
  const verify = useMutation({ mutationFn: () => post<VerifyReport>('/api/audit/verify') });
  const run = (f: Filters, before?: string) =>
    search.mutate(
      {
        from: toIso(f.from),
        to: toIso(f.to, true),
        actorUserId: f.actorUserId ?? undefined,
        citizen: f.citizen.trim() || undefined,
        citizenId: f.citizenId ?? undefined,
        action: f.action ?? undefined,
        resourceType: f.resourceType ?? undefined,
        outcome: f.outcome ?? undefined,
        order: f.order,
        before,
      },
      { onSuccess: (p) => setItems((prev) => (before ? [...prev, ...p.items] : p.items)) },
    );
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the newest events once on arrival
  useEffect(() => run(NO_FILTERS), []);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(filters);
  };
  const onlyCitizen = (citizenId: string | null) => {
    const next = { ...filters, citizenId, citizen: '' };
    setFilters(next);
    run(next);
  };
  const phone = useMediaQuery('(max-width: 48em)');
  const report = verify.data;
  const more = search.data?.nextBefore ?? null;
  return (
    <Stack>
      <Title order={1}>{t('audit.title')}</Title>
      <Text>{t('audit.intro')}</Text>
      {can('audit.answer') && <LogQuestions />}
      {can('audit.verify') && (
        <Group>
          <Button variant="outline" loading={verify.isPending} onClick={() => verify.mutate()}>
            {t('audit.verify')}
          </Button>
          {report && (
            <Alert role="status" color={report.ok ? 'green' : 'red'} variant="outline" py={6}>
              {report.ok
                ? t('audit.verifyOk', { count: report.checked, chains: report.chains })
                : t('audit.verifyBroken', {
                    seq: report.firstBreak?.chainSeq,
                    chain: report.firstBreak?.chainId,
                    id: report.firstBreak?.id,
                    problem: t(`audit.problems.${report.firstBreak?.problem}`),
                  })}
            </Alert>
          )}
        </Group>
      )}
      <Card withBorder component="form" onSubmit={submit} role="search">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            type="date"
            label={t('audit.from')}
            value={filters.from}
            onChange={(e) => set({ from: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('audit.to')}
            value={filters.to}
            onChange={(e) => set({ to: e.currentTarget.value })}
          />
          <Select
            label={t('audit.person')}
            clearable
            searchable
            placeholder={t('audit.any')}
            data={(actors.data?.items ?? []).map((a) => ({ value: a.id, label: a.displayName }))}
            value={filters.actorUserId}
            onChange={(v) => set({ actorUserId: v })}
          />
          {can('citizen.search') && (
            <TextInput
              label={t('audit.citizen')}
              value={filters.citizen}
              maxLength={100}
              onChange={(e) => set({ citizen: e.currentTarget.value, citizenId: null })}
            />
          )}
          <Select
            label={t('audit.action')}
            clearable
            placeholder={t('audit.any')}
            data={AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))}
            value={filters.action}
            onChange={(v) => set({ action: v })}
          />
          <Select
            label={t('audit.what')}
            clearable
            searchable
            placeholder={t('audit.any')}
            data={AUDIT_RESOURCES.map((r) => ({ value: r, label: t(`audit.resources.${r}`) })).sort((a, b) =>
              a.label.localeCompare(b.label),
            )}
            value={filters.resourceType}
            onChange={(v) => set({ resourceType: v })}
          />
          <Select
            label={t('audit.outcome')}
            clearable
            placeholder={t('audit.any')}
            data={AUDIT_OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))}
            value={filters.outcome}
            onChange={(v) => set({ outcome: v })}
          />
          <Select
            label={t('audit.order')}
            allowDeselect={false}
            data={(['newest', 'oldest'] as const).map((o) => ({ value: o, label: t(`audit.orders.${o}`) }))}
            value={filters.order}
            onChange={(v) => set({ order: v === 'oldest' ? 'oldest' : 'newest' })}
          />
          <Button type="submit" loading={search.isPending}>
            {t('common.search')}
          </Button>
        </Group>
      </Card>
      {filters.citizenId && (
        <Group>
          <Text>{t('audit.onlyCitizenActive')}</Text>
          <Button variant="subtle" onClick={() => onlyCitizen(null)}>
            {t('audit.clearCitizen')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={search.error ?? verify.error ?? actors.error} />
      <ListCount count={items.length} more={!!more} loaded={!search.isPending} />
      {phone ? (
        <Stack
          gap="xs"
          component="ul"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label={t('audit.table')}
        >
          {items.map((e) => (
            <Card key={e.id} withBorder padding="sm" component="li">
              <Group justify="space-between" gap="xs">
                <Text size="sm" c="dimmed">
                  {formatDateTime(e.occurredAt)}
                </Text>
                <Outcome e={e} />
              </Group>
              <Text size="sm" fw={600}>
                {actorText(e, t)}
              </Text>
              <EventText e={e} />
              {e.citizenId && <Subject e={e} onlyCitizen={filters.citizenId ? undefined : onlyCitizen} />}
            </Card>
          ))}
        </Stack>
      ) : (
        <ScrollRegion label={t('audit.table')} minWidth={860}>
          <Table striped captionSide="top" verticalSpacing="xs">
            <Table.Caption>{t('audit.table')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.time')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.event')}</Table.Th>
                <Table.Th>{t('audit.subject')}</Table.Th>
                <Table.Th>{t('audit.outcome')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.occurredAt)}</Table.Td>
                  <Table.Td>{actorText(e, t)}</Table.Td>
                  <Table.Td>
                    <EventText e={e} />
                  </Table.Td>
                  <Table.Td>
                    {e.citizenId ? (
                      <Subject e={e} onlyCitizen={filters.citizenId ? undefined : onlyCitizen} />
                    ) : (
                      t('audit.noCitizen')
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Outcome e={e} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      )}
      {more && (
        <Button variant="outline" onClick={() => run(filters, more)}>
          {t('common.showMore')}
        </Button>
      )}
    </Stack>
  );
}

/** What happened, its details in words, and the technical record for whoever checks the log. */
function EventText({ e }: { e: AuditEvent }) {
  const { t } = useTranslation();
  const details = detailsText(e.criteria, t);
  return (
    <>
      <Text size="sm">{eventSentence(e, t)}</Text>
      {details && (
        <Text size="sm" c="dimmed">
          {details}
        </Text>
      )}
      <details>
        <summary>
          <Text span size="xs" c="dimmed">
            {t('audit.technical')}
          </Text>
        </summary>
        <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {t('audit.chain', { chain: e.chainId, seq: e.chainSeq })} ·{' '}
          {t('audit.request', { id: e.requestId })}
          {e.resourceId && ` · ${e.resourceType} ${e.resourceId}`}
          {e.criteria && ` · ${JSON.stringify(e.criteria)}`}
        </Text>
      </details>
    </>
  );
}

/** The citizen the event is about: by name to those who may see them, and a filter to their events. */
function Subject({ e, onlyCitizen }: { e: AuditEvent; onlyCitizen?: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} align="flex-start">
      <Text size="sm">{e.citizenName ?? t('audit.hiddenCitizen')}</Text>
      {onlyCitizen && e.citizenId && (
        <Button variant="subtle" size="compact-xs" onClick={() => onlyCitizen(e.citizenId!)}>
          {t('audit.onlyCitizen')}
        </Button>
      )}
    </Stack>
  );
}

function Outcome({ e }: { e: AuditEvent }) {
  const { t } = useTranslation();
  return (
    <Text fw={600} size="sm" c={OUTCOME_COLOR[e.outcome]}>
      {t(`audit.outcomes.${e.outcome}`)}
    </Text>
  );
}
