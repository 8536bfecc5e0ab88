import { LineChart } from '@mantine/charts';
import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, post } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, formatNumber } from '../../components/forms';
import type { Assessment, CaseView } from './types';

const COLORS = ['blue.9', 'teal.9', 'grape.9', 'red.9', 'orange.9', 'indigo.9', 'cyan.9', 'pink.9'];

/** How each functioning level moved across completed assessments: a chart, and the numbers beside it. */
function Movements({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const m = c.movements;
  if (!m.supportNeed.length) return <Text size="sm">{t('pathway.assessment.movementsNone')}</Text>;
  const dates = m.supportNeed.map((s) => s.assessedOn);
  const data = dates.map((d) => {
    const row: Record<string, string | number | null> = { date: formatDate(d) };
    row[t('pathway.assessment.supportNeed')] = m.supportNeed.find((s) => s.assessedOn === d)?.level ?? null;
    for (const s of m.subthemes) row[s.display] = s.points.find((p) => p.assessedOn === d)?.level ?? null;
    return row;
  });
  const series = [t('pathway.assessment.supportNeed'), ...m.subthemes.map((s) => s.display)].map(
    (name, i) => ({
      name,
      color: COLORS[i % COLORS.length]!,
    }),
  );
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('pathway.assessment.movements')}
      </Title>
      {dates.length > 1 && (
        <div role="img" aria-label={t('pathway.assessment.movements')}>
          <LineChart
            valueFormatter={(v) => formatNumber(v)}
            h={220}
            data={data}
            dataKey="date"
            series={series}
            yAxisProps={{ domain: [0, 4], allowDecimals: false }}
            yAxisLabel={t('pathway.assessment.levelAxis')}
            connectNulls
            withLegend
          />
        </div>
      )}
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            {dates.map((d) => (
              <Table.Th key={d}>{formatDate(d)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th>{t('pathway.assessment.supportNeed')}</Table.Th>
            {m.supportNeed.map((s) => (
              <Table.Td key={s.assessmentId}>{s.display ?? '–'}</Table.Td>
            ))}
          </Table.Tr>
          {m.subthemes.map((s) => (
            <Table.Tr key={s.code}>
              <Table.Th>{s.display}</Table.Th>
              {dates.map((d) => (
                <Table.Td key={d}>{s.points.find((p) => p.assessedOn === d)?.level ?? '–'}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

export function AssessmentsSection({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const start = useMutation({
    mutationFn: (kind: string) => post<Assessment>(`/api/cases/${c.id}/assessments`, { kind }),
    onSuccess: (a) => navigate(`/udredninger/${a.id}`),
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'draft_exists')
        navigate(`/udredninger/${String(e.body.assessmentId)}`);
    },
  });
  const hasCompleted = c.assessments.some((a) => a.status === 'completed');
  return (
    <Stack>
      {c.permissions.write && (
        <Group>
          {(hasCompleted ? ['reassessment', 'follow_up'] : ['initial']).map((k) => (
            <Button key={k} onClick={() => start.mutate(k)} loading={start.isPending}>
              {t('pathway.assessment.start', { kind: t(`pathway.assessment.kinds.${k}`).toLowerCase() })}
            </Button>
          ))}
        </Group>
      )}
      <ErrorAlert
        error={start.error instanceof ApiError && start.error.code === 'draft_exists' ? null : start.error}
      />
      {c.assessments.length === 0 ? (
        <Text>{t('pathway.assessment.none')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pathway.assessment.assessedOn')}</Table.Th>
              <Table.Th>{t('pathway.assessment.list')}</Table.Th>
              <Table.Th>{t('pathway.assessment.supportNeed')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.assessments.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{formatDate(a.assessedOn)}</Table.Td>
                <Table.Td>
                  {t(`pathway.assessment.kinds.${a.kind}`)}{' '}
                  <Badge color={a.status === 'completed' ? 'gray.8' : 'blue.9'}>
                    {t(`pathway.assessment.status.${a.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{a.supportNeed?.display ?? '–'}</Table.Td>
                <Table.Td>
                  <Link to={`/udredninger/${a.id}`}>
                    {t('pathway.assessment.open')}{' '}
                    <span className="visually-hidden">{formatDate(a.assessedOn)}</span>
                  </Link>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Movements c={c} />
    </Stack>
  );
}
