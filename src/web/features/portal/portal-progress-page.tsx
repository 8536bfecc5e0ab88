import { LineChart } from '@mantine/charts';
import { Card, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, formatNumber } from '../../components/forms';

interface Progress {
  instruments: {
    key: string;
    name: string;
    max: number | null;
    cutoffs: { value: number; label: string }[];
    points: { on: string; score: number; byMe: boolean }[];
  }[];
  goals: {
    id: string;
    title: string;
    ratings: { on: string; rater: 'citizen' | 'professional'; score: number }[];
  }[];
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** Sådan går det: my measures and goal ratings over time, each chart with a caption in words and a table. */
export function PortalProgressPage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['portal-progress'], queryFn: () => get<Progress>('/api/portal/progress') });
  if (q.isLoading) return <Loader aria-label={t('portal.loading')} />;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const d = q.data;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('portal.progress.title')}</Title>
        <Text>{t('portal.progress.intro')}</Text>
      </div>
      {d.instruments.length === 0 && d.goals.length === 0 && <Text>{t('portal.progress.none')}</Text>}
      {d.instruments.map((i) => {
        const first = i.points[0]!;
        const last = i.points.at(-1)!;
        const direction =
          i.points.length === 1
            ? t('portal.progress.first')
            : last.score > first.score
              ? t('portal.progress.up')
              : last.score < first.score
                ? t('portal.progress.down')
                : t('portal.progress.same');
        const caption = t('portal.progress.scoreCaption', {
          name: i.name,
          last: formatNumber(last.score),
          max: formatNumber(i.max),
          direction,
        });
        return (
          <Card withBorder key={i.key} component="section" aria-label={i.name}>
            <Title order={2} size="h3">
              {i.name}
            </Title>
            <Text mb="sm">{caption}</Text>
            {i.points.length > 1 && (
              <div role="img" aria-label={caption}>
                <LineChart
                  valueFormatter={(v) => formatNumber(v)}
                  h={200}
                  data={i.points.map((p) => ({ date: formatDate(p.on), score: p.score }))}
                  dataKey="date"
                  series={[{ name: 'score', label: t('portal.progress.score'), color: 'blue.9' }]}
                  yAxisProps={{ domain: [0, i.max ?? 'auto'] }}
                  referenceLines={i.cutoffs.map((c) => ({ y: c.value, color: 'gray.7' }))}
                  withDots
                />
              </div>
            )}
            {i.cutoffs.map((c) => (
              <Text size="sm" key={c.value}>
                {t('portal.progress.cutoff', { label: `${formatNumber(c.value)} – ${c.label}` })}
              </Text>
            ))}
            <Table mt="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('portal.progress.date')}</Table.Th>
                  <Table.Th>{t('portal.progress.score')}</Table.Th>
                  <Table.Th>{t('portal.progress.who')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {i.points.map((p) => (
                  <Table.Tr key={`${p.on}${p.score}${p.byMe}`}>
                    <Table.Td>{formatDate(p.on)}</Table.Td>
                    <Table.Td>{formatNumber(p.score)}</Table.Td>
                    <Table.Td>{p.byMe ? t('portal.progress.byMe') : t('portal.progress.byStaff')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        );
      })}
      {d.goals.length > 0 && (
        <Card withBorder component="section" aria-labelledby="goal-ratings">
          <Title order={2} size="h3" id="goal-ratings">
            {t('portal.progress.goals')}
          </Title>
          <Text size="sm" mb="sm">
            {t('portal.progress.goalCaption')}
          </Text>
          {d.goals.map((g) => (
            <div key={g.id}>
              <Text fw={600} mt="sm">
                {g.title}
              </Text>
              <Table>
                <Table.Tbody>
                  {g.ratings.map((r) => (
                    <Table.Tr key={`${r.on}${r.rater}`}>
                      <Table.Td>{formatDate(r.on)}</Table.Td>
                      <Table.Td>{t(`portal.progress.raters.${r.rater}`)}</Table.Td>
                      <Table.Td>{signed(r.score)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          ))}
        </Card>
      )}
    </Stack>
  );
}
