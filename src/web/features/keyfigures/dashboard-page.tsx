import { Sparkline } from '@mantine/charts';
import { Alert, Anchor, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { INDICATORS, type PeriodKind, TARGET_AREAS } from '../../../shared/indicators';
import { get } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, formatDateTime } from '../../components/forms';
import { chartValue, formatFigure, periodLabel } from './format';
import { PeriodControl, usePeriods } from './period-control';
import type { FigurePoint, Overview } from './types';

/** The manager's dashboard: every indicator of the municipality over time, grouped by national target area. */
export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const period = (params.get('periode') as PeriodKind | null) ?? 'quarter';
  const q = useQuery({
    queryKey: ['keyfigures', 'overview', period],
    queryFn: () => get<Overview>(`/api/keyfigures/overview?period=${period}`),
    refetchInterval: (query) => (query.state.data?.pending || !query.state.data?.computedAt ? 10_000 : false),
  });
  const byKey = new Map((q.data?.indicators ?? []).map((i) => [i.key, i.points]));
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{t('keyfigures.dashboard.title')}</Title>
          <Text c="dimmed" size="sm" maw={720}>
            {t('keyfigures.dashboard.intro')}
          </Text>
        </div>
        <PeriodControl value={period} onChange={(p) => setParams({ periode: p })} />
      </Group>
      <ErrorAlert error={q.error} />
      {q.data && !q.data.computedAt && <Alert color="blue">{t('keyfigures.dashboard.never')}</Alert>}
      {q.data?.pending && q.data.computedAt && (
        <Alert color="blue">{t('keyfigures.dashboard.pending')}</Alert>
      )}
      <Group gap="md">
        {q.data?.computedAt && (
          <Text size="sm">
            {t('keyfigures.dashboard.computed', { when: formatDateTime(q.data.computedAt) })}
          </Text>
        )}
        {q.data?.from && (
          <Text size="sm">{t('keyfigures.dashboard.from', { date: formatDate(q.data.from) })}</Text>
        )}
        <Anchor component={Link} to="/noegletal/trappe" size="sm">
          {t('keyfigures.dashboard.ladder')}
        </Anchor>
        <Text size="sm">{t('keyfigures.dashboard.export')}:</Text>
        <Anchor href={`/api/keyfigures/export?format=xlsx&period=${period}`} download size="sm">
          XLSX
        </Anchor>
        <Anchor href={`/api/keyfigures/export?format=csv&period=${period}`} download size="sm">
          CSV
        </Anchor>
        <Anchor href="/api/keyfigures/exchange" download size="sm">
          {t('keyfigures.dashboard.exchange')}
        </Anchor>
      </Group>
      {q.data &&
        (Object.keys(TARGET_AREAS) as (keyof typeof TARGET_AREAS)[]).map((area) => {
          const list = INDICATORS.filter((i) => i.targetAreas[0] === area);
          if (!list.length) return null;
          return (
            <section key={area} aria-labelledby={`area-${area}`}>
              <Title order={2} size="h3" id={`area-${area}`} mb="xs">
                {t(`keyfigures.areas.${area}`)}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
                {list.map((ind) => (
                  <IndicatorCard
                    key={ind.key}
                    indicatorKey={ind.key}
                    points={byKey.get(ind.key) ?? []}
                    period={period}
                    lang={i18n.language}
                  />
                ))}
              </SimpleGrid>
            </section>
          );
        })}
    </Stack>
  );
}

function IndicatorCard({
  indicatorKey,
  points,
  period,
  lang,
}: {
  indicatorKey: string;
  points: FigurePoint[];
  period: PeriodKind;
  lang: string;
}) {
  const { t } = useTranslation();
  const ind = INDICATORS.find((i) => i.key === indicatorKey)!;
  const name = t(`keyfigures.names.${ind.key}`);
  const periods = usePeriods(period);
  // Headlines and trends use complete periods; the one in progress is shown apart, as provisional.
  const complete = points.filter((p) => !periods.inProgress(p.start));
  const current = points.find((p) => periods.inProgress(p.start));
  const recent = complete.slice(-12);
  const latest = [...complete].reverse().find((p) => p.status === 'shown');
  // Withheld periods are gaps, not zeros.
  const series = recent.map((p) => (p.status === 'shown' ? chartValue(ind, p.figure) : null));
  const shownCount = recent.filter((p) => p.status === 'shown').length;
  return (
    <Paper withBorder p="md">
      <Stack gap={6}>
        <Anchor
          component={Link}
          to={`/noegletal/${ind.key}?periode=${period}`}
          fw={600}
          aria-label={t('keyfigures.dashboard.open', { name })}
        >
          {name}
        </Anchor>
        {latest ? (
          <Group gap="xs" align="baseline">
            <Text size="xl" fw={700}>
              {formatFigure(ind, latest.figure, lang)}
            </Text>
            <Text size="xs" c="dimmed">
              {periodLabel(period, latest.start, lang)}
            </Text>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('keyfigures.dashboard.noData')}
          </Text>
        )}
        {shownCount >= 2 && (
          <div
            role="img"
            aria-label={`${t('keyfigures.dashboard.chartOf', { name })}: ${recent
              .map(
                (p) =>
                  `${periodLabel(period, p.start, lang)} ${p.status === 'shown' ? formatFigure(ind, p.figure, lang) : t(`keyfigures.status.${p.status}`)}`,
              )
              .join(', ')}`}
          >
            <Sparkline h={48} data={series} curveType="linear" color="blue.7" fillOpacity={0.2} />
          </div>
        )}
        {complete.length > 0 && complete.at(-1)!.status !== 'shown' && (
          <Text size="xs">
            {periodLabel(period, complete.at(-1)!.start, lang)}:{' '}
            {t(`keyfigures.status.${complete.at(-1)!.status}`)}
          </Text>
        )}
        {current && (
          <Text size="xs" c="dimmed">
            {periods.label(current.start)}:{' '}
            {current.status === 'shown'
              ? `${formatFigure(ind, current.figure, lang)} (${t('keyfigures.period.partial')})`
              : t(`keyfigures.status.${current.status}`)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
