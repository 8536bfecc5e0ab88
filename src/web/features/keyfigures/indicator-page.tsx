import { LineChart } from '@mantine/charts';
import { Anchor, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { brokenDown, type PeriodKind } from '../../../shared/indicators';
import { ApiError, get } from '../../api';
import { CategoryBars } from '../../components/charts';
import { ErrorAlert } from '../../components/error-alert';
import { ScrollRegion } from '../../components/scroll-region';
import { chartValue, formatFigure, indicatorOf } from './format';
import { PeriodControl, usePeriods } from './period-control';
import type { FigurePoint, IndicatorView } from './types';

const LINE_COLORS = [
  'blue.8',
  'orange.7',
  'teal.8',
  'grape.7',
  'red.8',
  'cyan.8',
  'lime.8',
  'pink.7',
  'indigo.7',
];

/**
 * One indicator: the municipality over time against its comparison group and the country (chart with the
 * numbers beside it), the group's municipalities side by side, and the municipality broken down (units,
 * paragraphs, steps, target groups) for its own staff.
 */
export function IndicatorPage() {
  const { key = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [params, setParams] = useSearchParams();
  const period = (params.get('periode') as PeriodKind | null) ?? 'quarter';
  const breakdown = params.get('opdeling') ?? '';
  const group = params.get('gruppe') ?? '';
  const ind = indicatorOf(key);
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const q = useQuery({
    queryKey: ['keyfigures', 'indicator', key, period, breakdown, group],
    queryFn: () => {
      const search = new URLSearchParams({ period });
      if (breakdown) search.set('breakdown', breakdown);
      if (group) search.set('group', group);
      return get<IndicatorView>(`/api/keyfigures/indicators/${encodeURIComponent(key)}?${search}`);
    },
    enabled: !!ind,
  });
  const periods = usePeriods(period);
  if (!ind) return <ErrorAlert error={new ApiError(404, 'not_found', {})} />;
  const name = t(`keyfigures.names.${ind.key}`);
  const v = q.data;
  const statusText = (p: FigurePoint | undefined) =>
    !p ? '–' : p.status === 'shown' ? formatFigure(ind, p.figure, lang) : t(`keyfigures.status.${p.status}`);

  // One row per period: the municipality, the group and the country.
  const starts = [...new Set([...(v?.own ?? []), ...(v?.country.points ?? [])].map((p) => p.start))].sort();
  const ownBy = new Map((v?.own ?? []).map((p) => [p.start, p]));
  const groupBy = new Map((v?.group?.points ?? []).map((p) => [p.start, p]));
  const countryBy = new Map((v?.country.points ?? []).map((p) => [p.start, p]));
  const recent = starts.slice(period === 'month' ? -24 : period === 'quarter' ? -20 : -10);
  const ownLabel = v?.municipality.name ?? t('keyfigures.indicator.own');
  const groupLabel = v?.group ? `${t('keyfigures.indicator.group')}: ${v.group.name}` : '';
  const countryLabel = t('keyfigures.indicator.country');
  // The period in progress is named so and left out of the lines: its partial figures would fall off a cliff.
  const chartData = recent.map((s) => {
    const partial = periods.inProgress(s);
    return {
      period: periods.label(s),
      own: !partial && ownBy.get(s)?.status === 'shown' ? chartValue(ind, ownBy.get(s)!.figure) : null,
      group: partial ? null : chartValue(ind, groupBy.get(s)?.figure),
      country: partial ? null : chartValue(ind, countryBy.get(s)?.figure),
    };
  });
  const cellText = (s: string, text: string) =>
    periods.inProgress(s) && text !== '–' ? `${text} (${t('keyfigures.period.partial')})` : text;
  const summary = recent
    .map(
      (s) =>
        `${periods.label(s)}: ${statusText(ownBy.get(s))}${
          v?.group ? `, ${formatFigure(ind, groupBy.get(s)?.figure, lang)}` : ''
        }, ${formatFigure(ind, countryBy.get(s)?.figure, lang)}`,
    )
    .join('; ');
  /** The finest kind of period the indicator is broken down by (where a month's or quarter's breakdown is asked for). */
  const brokenBy: PeriodKind = brokenDown(ind, 'quarter') ? 'quarter' : 'year';
  const breakdownStarts = [
    ...new Set((v?.breakdown?.values ?? []).flatMap((b) => b.points.map((p) => p.start))),
  ]
    .sort()
    .slice(period === 'month' ? -12 : period === 'quarter' ? -8 : -10);

  return (
    <Stack>
      <Anchor component={Link} to={`/noegletal?periode=${period}`} size="sm">
        ← {t('keyfigures.indicator.back')}
      </Anchor>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{name}</Title>
          <Text size="sm" maw={720}>
            {t(`keyfigures.purposes.${ind.key}`, { defaultValue: ind.purpose })}
          </Text>
        </div>
        <PeriodControl value={period} onChange={(p) => set('periode', p)} />
      </Group>
      <ErrorAlert error={q.error} />
      {v && (
        <>
          <Group align="flex-end">
            {v.groups.length > 0 ? (
              <Select
                label={t('keyfigures.indicator.chooseGroup')}
                data={v.groups.map((g) => ({ value: g.id, label: g.name }))}
                value={v.group?.id ?? null}
                onChange={(g) => set('gruppe', g ?? '')}
                allowDeselect={false}
                w={260}
              />
            ) : (
              <Text size="sm">{t('keyfigures.indicator.noGroup')}</Text>
            )}
            {ind.breakdowns.length > 0 && (
              <Select
                label={t('keyfigures.indicator.breakdown')}
                data={[
                  { value: '', label: t('keyfigures.indicator.none') },
                  ...ind.breakdowns.map((b) => ({
                    value: b,
                    label: t(`keyfigures.indicator.breakdowns.${b}`),
                  })),
                ]}
                value={breakdown}
                onChange={(b) => set('opdeling', b ?? '')}
                allowDeselect={false}
                w={220}
              />
            )}
          </Group>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <div role="img" aria-label={`${t('keyfigures.dashboard.chartOf', { name })}: ${summary}`}>
                <LineChart
                  h={280}
                  data={chartData}
                  dataKey="period"
                  withLegend
                  connectNulls={false}
                  unit={ind.kind === 'rate' ? ' %' : undefined}
                  strokeWidth={2.5}
                  series={[
                    { name: 'own', label: ownLabel, color: 'blue.8' },
                    // Dashed and dotted, so a line that coincides with another stays visible.
                    ...(v.group
                      ? [{ name: 'group', label: groupLabel, color: 'orange.7', strokeDasharray: '8 4' }]
                      : []),
                    { name: 'country', label: countryLabel, color: 'gray.7', strokeDasharray: '2 3' },
                  ]}
                />
              </div>
              <ScrollRegion label={t('keyfigures.indicator.table')} minWidth={360}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('keyfigures.indicator.periodCol')}</Table.Th>
                      <Table.Th>{ownLabel}</Table.Th>
                      {v.group && <Table.Th>{v.group.name}</Table.Th>}
                      <Table.Th>{countryLabel}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...recent].reverse().map((s) => (
                      <Table.Tr key={s}>
                        <Table.Td>{periods.label(s)}</Table.Td>
                        <Table.Td>{cellText(s, statusText(ownBy.get(s)))}</Table.Td>
                        {v.group && (
                          <GroupCell
                            point={groupBy.get(s)}
                            format={(x) => cellText(s, formatFigure(ind, x, lang))}
                          />
                        )}
                        <GroupCell
                          point={countryBy.get(s)}
                          format={(x) => cellText(s, formatFigure(ind, x, lang))}
                        />
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollRegion>
            </SimpleGrid>
            {(ind.kind === 'count' || ind.key === 'spend') && (
              <Text size="xs" mt="xs">
                {t('keyfigures.indicator.averageNote')}
              </Text>
            )}
          </Paper>

          {v.group && (
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                {t('keyfigures.indicator.members')}
              </Title>
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <CategoryBars
                  caption={`${name} · ${t('keyfigures.indicator.latest')}`}
                  series={[{ label: name, color: 'blue.8' }]}
                  highlightLabel={t('keyfigures.indicator.ownMunicipality')}
                  rows={v.group.members.map((m) => ({
                    key: m.id,
                    label: m.name,
                    highlight: m.own,
                    bars: [
                      {
                        value: m.latest?.status === 'shown' ? chartValue(ind, m.latest.figure) : null,
                        text: statusText(m.latest ?? undefined),
                      },
                    ],
                  }))}
                />
                <Table>
                  <Table.Tbody>
                    {v.group.members.map((m) => (
                      <Table.Tr key={m.id} fw={m.own ? 700 : undefined}>
                        <Table.Td>{m.name}</Table.Td>
                        <Table.Td>{statusText(m.latest ?? undefined)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </SimpleGrid>
            </Paper>
          )}

          {v.breakdown && !brokenDown(ind, period) && (
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                {t('keyfigures.indicator.drill', {
                  by: t(`keyfigures.indicator.breakdowns.${v.breakdown.kind}`).toLowerCase(),
                })}
              </Title>
              <Text size="sm" mb="xs">
                {t(
                  period === 'month'
                    ? 'keyfigures.indicator.notByMonth'
                    : 'keyfigures.indicator.notByQuarter',
                )}
              </Text>
              <Button variant="outline" size="xs" onClick={() => set('periode', brokenBy)}>
                {t(
                  brokenBy === 'quarter'
                    ? 'keyfigures.indicator.showQuarters'
                    : 'keyfigures.indicator.showYears',
                )}
              </Button>
            </Paper>
          )}
          {v.breakdown && brokenDown(ind, period) && (
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                {t('keyfigures.indicator.drill', {
                  by: t(`keyfigures.indicator.breakdowns.${v.breakdown.kind}`).toLowerCase(),
                })}
              </Title>
              <div
                role="img"
                aria-label={`${t('keyfigures.indicator.drill', { by: t(`keyfigures.indicator.breakdowns.${v.breakdown.kind}`) })}`}
              >
                <LineChart
                  h={260}
                  withLegend
                  connectNulls={false}
                  data={breakdownStarts.map((s) => ({
                    period: periods.label(s),
                    ...Object.fromEntries(
                      v.breakdown!.values.map((b) => {
                        const p = b.points.find((x) => x.start === s);
                        return [
                          b.value,
                          !periods.inProgress(s) && p?.status === 'shown' ? chartValue(ind, p.figure) : null,
                        ];
                      }),
                    ),
                  }))}
                  dataKey="period"
                  series={v.breakdown.values.map((b, k) => ({
                    name: b.value,
                    label: b.label,
                    color: LINE_COLORS[k % LINE_COLORS.length]!,
                  }))}
                />
              </div>
              <ScrollRegion
                label={t('keyfigures.indicator.drill', {
                  by: t(`keyfigures.indicator.breakdowns.${v.breakdown.kind}`),
                })}
                minWidth={160 + breakdownStarts.length * 90}
              >
                <Table striped mt="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t(`keyfigures.indicator.breakdowns.${v.breakdown.kind}`)}</Table.Th>
                      {breakdownStarts.map((s) => (
                        <Table.Th key={s}>{periods.label(s)}</Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {v.breakdown.values.map((b) => (
                      <Table.Tr key={b.value}>
                        <Table.Th scope="row">{b.label}</Table.Th>
                        {breakdownStarts.map((s) => (
                          <Table.Td key={s}>
                            {cellText(s, statusText(b.points.find((p) => p.start === s)))}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollRegion>
            </Paper>
          )}

          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="xs">
              {t('keyfigures.indicator.definition')}
            </Title>
            <Text size="sm">
              <strong>{t('keyfigures.indicator.numerator')}:</strong> {ind.numerator}
            </Text>
            {ind.denominator && (
              <Text size="sm">
                <strong>{t('keyfigures.indicator.denominator')}:</strong> {ind.denominator}
              </Text>
            )}
            <Text size="sm">{ind.period}</Text>
          </Paper>
        </>
      )}
    </Stack>
  );
}

function GroupCell({
  point,
  format,
}: {
  point: { figure: number | null; contributing: number; of: number } | undefined;
  format: (x: number | null) => string;
}) {
  const { t } = useTranslation();
  if (!point) return <Table.Td>–</Table.Td>;
  return (
    <Table.Td>
      {format(point.figure)}{' '}
      <Text span size="xs" c="dimmed">
        ({t('keyfigures.indicator.contributing', { k: point.contributing, n: point.of })})
      </Text>
    </Table.Td>
  );
}
