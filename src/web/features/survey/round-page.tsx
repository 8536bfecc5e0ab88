import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { SURVEY_ROLES } from '../../../shared/survey';
import { ApiError, del, get, post, put } from '../../api';
import { CategoryBars } from '../../components/charts';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, formatNumber, formatPercent } from '../../components/forms';
import { AppModal } from '../../components/modal';
import { ScrollRegion } from '../../components/scroll-region';
import type { DirectorLink, RoundDetail } from './types';

type Detail = RoundDetail & {
  pejlemaerker: { code: string; title: string }[];
  quotes: { id: string; pejlemaerke: string; roleLabel: string; text: string }[];
};

function ImportForm({ roundId, onDone }: { roundId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [rows, setRows] = useState<{ line: number; column: string; message: string }[]>([]);
  const run = useMutation({
    mutationFn: async () =>
      post<{ imported: number }>(`/api/survey/rounds/${roundId}/import`, { csv: await file!.text() }),
    onSuccess: (r) => {
      setRows([]);
      setResult(t('survey.round.imported', { count: r.imported }));
      onDone();
    },
    onError: (e) => {
      setResult(null);
      setRows(e instanceof ApiError ? ((e.body.rows as typeof rows) ?? []) : []);
    },
  });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h3">
        {t('survey.round.import')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('survey.round.importHelp')}
      </Text>
      <Group align="end">
        <FileInput
          label={t('survey.round.importFile')}
          accept=".csv,text/csv"
          value={file}
          onChange={setFile}
          miw={260}
        />
        <Button onClick={() => run.mutate()} disabled={!file} loading={run.isPending}>
          {t('survey.round.import')}
        </Button>
      </Group>
      {result && (
        <Alert color="green" mt="sm" role="status">
          {result}
        </Alert>
      )}
      {run.error && rows.length === 0 && <ErrorAlert error={run.error} />}
      {rows.length > 0 && (
        <Alert color="red" mt="sm" role="alert" title={t('survey.round.importErrors')}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('survey.round.line')}</Table.Th>
                <Table.Th>{t('survey.round.column')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.slice(0, 200).map((r) => (
                <Table.Tr key={`${r.line}:${r.column}:${r.message}`}>
                  <Table.Td>{r.line}</Table.Td>
                  <Table.Td>{r.column}</Table.Td>
                  <Table.Td>{r.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      )}
    </Paper>
  );
}

function Quotes({ detail, onDone }: { detail: Detail; onDone: () => void }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ pejlemaerke: '', role: '', text: '' });
  const add = useMutation({
    mutationFn: () => post(`/api/survey/rounds/${detail.id}/quotes`, v),
    onSuccess: () => {
      setV({ pejlemaerke: v.pejlemaerke, role: '', text: '' });
      onDone();
    },
  });
  const remove = useMutation({
    mutationFn: (qid: string) => del(`/api/survey/rounds/${detail.id}/quotes/${qid}`),
    onSuccess: onDone,
  });
  const title = (code: string) => detail.pejlemaerker.find((p) => p.code === code)?.title ?? code;
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h3" mb="sm">
        {t('survey.round.quotes')}
      </Title>
      <Stack gap="xs" mb="md">
        {detail.quotes.map((q) => (
          <Group key={q.id} justify="space-between" wrap="nowrap" align="start">
            <Text size="sm">
              <b>{title(q.pejlemaerke)}:</b> “{q.text}” – <i>{q.roleLabel}</i>
            </Text>
            <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(q.id)}>
              {t('survey.round.removeQuote')}
            </Button>
          </Group>
        ))}
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('survey.round.pejlemaerke')}
          data={detail.pejlemaerker.map((p) => ({ value: p.code, label: p.title }))}
          value={v.pejlemaerke || null}
          onChange={(x) => setV({ ...v, pejlemaerke: x ?? '' })}
        />
        <TextInput
          label={t('survey.round.quoteRole')}
          value={v.role}
          onChange={(e) => setV({ ...v, role: e.currentTarget.value })}
        />
      </SimpleGrid>
      <Textarea
        mt="sm"
        label={t('survey.round.quoteText')}
        value={v.text}
        onChange={(e) => setV({ ...v, text: e.currentTarget.value })}
        autosize
        minRows={2}
      />
      <ErrorAlert error={add.error ?? remove.error} />
      <Button
        mt="sm"
        onClick={() => add.mutate()}
        loading={add.isPending}
        disabled={!v.pejlemaerke || !v.role || !v.text}
      >
        {t('survey.round.addQuote')}
      </Button>
    </Paper>
  );
}

/** A round: response counts per municipality and role (never answers), and the administrator's actions. */
export function RoundPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const qc = useQueryClient();
  const location = useLocation();
  const directorLinks = (location.state as { directorLinks?: DirectorLink[] } | null)?.directorLinks;
  const [notice, setNotice] = useState<string | null>(null);
  const [deadline, setDeadline] = useState('');
  const [confirmClose, setConfirmClose] = useState(false);
  const key = ['survey', 'round', id];
  const round = useQuery({ queryKey: key, queryFn: () => get<Detail>(`/api/survey/rounds/${id}`) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['survey'] });
  const remind = useMutation({
    mutationFn: () => post<{ respondents: number; directors: number }>(`/api/survey/rounds/${id}/reminders`),
    onSuccess: (r) => setNotice(t('survey.round.reminded', r)),
  });
  const change = useMutation({
    mutationFn: (body: object) => put(`/api/survey/rounds/${id}`, { ...body, version: round.data!.version }),
    onSuccess: () => {
      setConfirmClose(false);
      refresh();
    },
  });
  const d = round.data;
  if (!d) return <ErrorAlert error={round.error} />;
  const manage = d.own;
  const open = d.status === 'open';
  const totals = SURVEY_ROLES.map((role) => {
    const sum = (k: 'links' | 'submitted') =>
      d.progress.reduce((s, p) => s + p.byRole.find((r) => r.role === role)![k], 0);
    return { role, links: sum('links'), submitted: sum('submitted') };
  });
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <div>
          <Title order={1}>{d.title}</Title>
          <Text c="dimmed">
            {d.questionnaire?.title} · {formatDate(d.opensOn)} – {formatDate(d.closesOn)}{' '}
            <Badge color={open ? STATUS_COLORS.positive : STATUS_COLORS.neutral}>
              {t(`survey.status.${d.status}`)}
            </Badge>
          </Text>
        </div>
        {!open && (
          <Button component={Link} to={`/selvevaluering/runder/${d.id}/rapport`}>
            {t('survey.admin.report')}
          </Button>
        )}
      </Group>
      {directorLinks && (
        <Alert color="blue" title={t('survey.round.directorLinks')}>
          <Text size="sm" mb="xs">
            {t('survey.round.directorLinksHelp')}
          </Text>
          <Table>
            <Table.Tbody>
              {directorLinks.map((l) => (
                <Table.Tr key={l.code}>
                  <Table.Td>{l.name}</Table.Td>
                  <Table.Td>
                    <Text
                      size="xs"
                      ff="monospace"
                      style={{ wordBreak: 'break-all' }}
                      data-testid="director-link"
                    >
                      {l.url}
                    </Text>
                  </Table.Td>
                  <Table.Td>{l.mailed ? t('survey.round.mailed') : t('survey.round.notMailed')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      )}
      <ErrorAlert error={remind.error ?? change.error} />
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      <section aria-labelledby="progress">
        <Title order={2} id="progress" mb="sm">
          {t('survey.admin.progress')}
        </Title>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <CategoryBars
            caption={t('survey.round.byRole')}
            series={[
              { label: t('survey.round.links'), color: 'gray.7' },
              { label: t('survey.round.answered'), color: 'teal.9' },
            ]}
            rows={totals.map((r) => ({
              key: r.role,
              label: t(`survey.roles.${r.role}`),
              bars: [
                { value: r.links, text: formatNumber(r.links) },
                {
                  value: r.submitted,
                  text: r.links
                    ? `${formatNumber(r.submitted)} (${formatPercent(r.submitted / r.links)})`
                    : formatNumber(r.submitted),
                },
              ],
            }))}
          />
          <ScrollRegion label={t('survey.admin.progress')} minWidth={640}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('survey.round.municipality')}</Table.Th>
                  {SURVEY_ROLES.map((r) => (
                    <Table.Th key={r}>{t(`survey.roles.${r}`)}</Table.Th>
                  ))}
                  <Table.Th>{t('survey.round.total')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.progress.map((p) => (
                  <Table.Tr key={p.code}>
                    <Table.Th scope="row">
                      {p.name} ({p.code})
                    </Table.Th>
                    {p.byRole.map((r) => (
                      <Table.Td key={r.role}>
                        {r.submitted}/{r.links}
                      </Table.Td>
                    ))}
                    <Table.Td>
                      {p.submitted}/{p.links}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        </SimpleGrid>
      </section>
      {manage && open && (
        <Paper withBorder p="md">
          <Group align="end" wrap="wrap">
            <Button onClick={() => remind.mutate()} loading={remind.isPending}>
              {t('survey.round.remind')}
            </Button>
            <TextInput
              type="date"
              label={t('survey.round.extend')}
              value={deadline}
              onChange={(e) => setDeadline(e.currentTarget.value)}
            />
            <Button
              variant="light"
              disabled={!deadline}
              onClick={() => change.mutate({ closesOn: deadline })}
            >
              {t('survey.round.saveDeadline')}
            </Button>
            <Button color="red" variant="light" onClick={() => setConfirmClose(true)}>
              {t('survey.round.close')}
            </Button>
          </Group>
        </Paper>
      )}
      {manage && open && <ImportForm roundId={d.id} onDone={refresh} />}
      {manage && <Quotes detail={d} onDone={refresh} />}
      <AppModal opened={confirmClose} onClose={() => setConfirmClose(false)} title={t('survey.round.close')}>
        <Text mb="md">{t('survey.round.closeConfirm')}</Text>
        <Button color="red" onClick={() => change.mutate({ status: 'closed' })} loading={change.isPending}>
          {t('survey.round.close')}
        </Button>
      </AppModal>
    </Stack>
  );
}
