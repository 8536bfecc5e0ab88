import {
  Alert,
  Button,
  Card,
  Code,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../components/forms';
import { ScrollRegion } from '../../components/scroll-region';
import type { AuditEvent } from '../../types';
import { useSession } from '../auth/session';
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

const ACTIONS = ['read', 'search', 'create', 'update', 'delete'] as const;
const OUTCOMES = ['success', 'denied', 'error'] as const;
/** Search criteria as words: the result ids stay in the log but are too long to show here. */
function formatCriteria(
  c: Record<string, unknown>,
  t: (k: string, o?: Record<string, unknown>) => string,
): string {
  return Object.entries(c)
    .filter(([k, v]) => k !== 'resultIds' && v !== undefined && v !== null && !(k === 'offset' && v === 0))
    .map(([k, v]) => {
      const value =
        typeof v === 'boolean'
          ? t(v ? 'common.yes' : 'common.no')
          : k === 'reason'
            ? t(`audit.reasons.${String(v)}`, { defaultValue: String(v) })
            : String(v);
      return `${t(`audit.criteriaKeys.${k}`, { defaultValue: k })}: ${value}`;
    })
    .join(' · ');
}

const toIso = (d: string, end = false) =>
  d ? new Date(`${d}T${end ? '23:59:59' : '00:00:00'}`).toISOString() : undefined;

export function AuditPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [filters, setFilters] = useState({
    from: '',
    to: '',
    action: null as string | null,
    outcome: null as string | null,
    citizenId: '',
  });
  const [items, setItems] = useState<AuditEvent[]>([]);
  const search = useMutation({
    mutationFn: (body: Record<string, unknown>) => post<Page>('/api/audit/search', body),
  });
  const verify = useMutation({ mutationFn: () => post<VerifyReport>('/api/audit/verify') });
  const body = (before?: string) => ({
    from: toIso(filters.from),
    to: toIso(filters.to, true),
    action: filters.action ?? undefined,
    outcome: filters.outcome ?? undefined,
    citizenId: filters.citizenId.trim() || undefined,
    before,
  });
  const run = (before?: string) =>
    search.mutate(body(before), {
      onSuccess: (p) => setItems((prev) => (before ? [...prev, ...p.items] : p.items)),
    });
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the newest events once on arrival
  useEffect(() => run(), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run();
  };
  const report = verify.data;
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
            onChange={(e) => setFilters({ ...filters, from: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('audit.to')}
            value={filters.to}
            onChange={(e) => setFilters({ ...filters, to: e.currentTarget.value })}
          />
          <Select
            label={t('audit.action')}
            clearable
            placeholder={t('audit.any')}
            data={ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))}
            value={filters.action}
            onChange={(v) => setFilters({ ...filters, action: v })}
          />
          <Select
            label={t('audit.outcome')}
            clearable
            placeholder={t('audit.any')}
            data={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))}
            value={filters.outcome}
            onChange={(v) => setFilters({ ...filters, outcome: v })}
          />
          <TextInput
            label={t('audit.citizenId')}
            value={filters.citizenId}
            onChange={(e) => setFilters({ ...filters, citizenId: e.currentTarget.value })}
          />
          <Button type="submit" loading={search.isPending}>
            {t('common.search')}
          </Button>
        </Group>
      </Card>
      <ErrorAlert error={search.error ?? verify.error} />
      <ScrollRegion label={t('audit.table')} minWidth={900}>
        <Table striped captionSide="top">
          <Table.Caption>{t('audit.table')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('audit.time')}</Table.Th>
              <Table.Th>{t('audit.actor')}</Table.Th>
              <Table.Th>{t('audit.role')}</Table.Th>
              <Table.Th>{t('audit.action')}</Table.Th>
              <Table.Th>{t('audit.resource')}</Table.Th>
              <Table.Th>{t('audit.criteria')}</Table.Th>
              <Table.Th>{t('audit.outcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>
                  {e.chainId}.{e.chainSeq}
                </Table.Td>
                <Table.Td>{formatDateTime(e.occurredAt)}</Table.Td>
                <Table.Td>{e.actorName ?? '–'}</Table.Td>
                <Table.Td>{e.actorRole ? t(`roles.${e.actorRole}`) : '–'}</Table.Td>
                <Table.Td>{t(`audit.actions.${e.action}`)}</Table.Td>
                <Table.Td>
                  {t(`audit.resources.${e.resourceType}`, { defaultValue: e.resourceType })}
                  {e.citizenId && <Code display="block">{e.citizenId}</Code>}
                </Table.Td>
                <Table.Td>{e.criteria ? formatCriteria(e.criteria, t) || '–' : '–'}</Table.Td>
                <Table.Td>
                  <Text
                    fw={600}
                    size="sm"
                    c={
                      e.outcome === 'success'
                        ? STATUS_COLORS.positive
                        : e.outcome === 'denied'
                          ? STATUS_COLORS.negative
                          : STATUS_COLORS.warning
                    }
                  >
                    {t(`audit.outcomes.${e.outcome}`)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
      {search.data?.nextBefore && (
        <Button variant="outline" onClick={() => run(search.data.nextBefore ?? undefined)}>
          {t('common.showMore')}
        </Button>
      )}
    </Stack>
  );
}
