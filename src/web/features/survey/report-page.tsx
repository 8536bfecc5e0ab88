import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { SurveyRole } from '../../../shared/survey';
import type {
  ItemResult,
  MunicipalityResult,
  PejlemaerkeResult,
  ScoreCell,
  SurveyReport,
} from '../../../shared/survey-report';
import { get } from '../../api';
import { type Bar, CategoryBars } from '../../components/charts';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatChange, formatDate, formatNumber, formatPercent } from '../../components/forms';
import { ScrollRegion } from '../../components/scroll-region';

interface View {
  round: {
    id: string;
    title: string;
    opensOn: string;
    closesOn: string;
    closedAt: string | null;
    own: boolean;
  };
  report: SurveyReport;
  own: MunicipalityResult | null;
  previous: {
    roundId: string;
    title: string;
    own: MunicipalityResult | null;
    national: PejlemaerkeResult[];
  } | null;
  quotes: { id: string; pejlemaerke: string; roleLabel: string; text: string }[];
}

const fmt = (x: number | null | undefined) => formatNumber(x, 2);
const pct = (x: number | null | undefined) => formatPercent(x);
/** A score cell as a bar: its mean, or the reason it is withheld in words. */
function cellBar(cell: ScoreCell | undefined, t: TFunction): Bar {
  if (!cell) return { value: null, text: '–' };
  if (cell.suppressed) return { value: null, text: t(`survey.suppressed.${cell.suppressed}`) };
  return { value: cell.mean, text: fmt(cell.mean) };
}
const SHADES = ['teal.7', 'teal.5', 'yellow.5', 'orange.6', 'red.7'];

function CellText({ cell }: { cell: ScoreCell | undefined }) {
  const { t } = useTranslation();
  if (!cell) return <>–</>;
  if (cell.suppressed)
    return (
      <Text size="xs" c="dimmed" span>
        {t(`survey.suppressed.${cell.suppressed}`)}
      </Text>
    );
  return <>{fmt(cell.mean)}</>;
}

/** One pejlemærke: the average by role as bars (national, and the viewer's own municipality), with the table. */
function PejlemaerkeBlock({
  p,
  own,
  quotes,
}: {
  p: PejlemaerkeResult;
  own: MunicipalityResult | null;
  quotes: View['quotes'];
}) {
  const { t } = useTranslation();
  const mine = own?.pejlemaerker.find((x) => x.code === p.code);
  const rows: { label: string; national: ScoreCell | undefined; own?: ScoreCell | undefined }[] = [
    ...p.roles.map((r) => ({
      label: t(`survey.roles.${r}`),
      national: p.byRole[r],
      own: mine?.byRole[r as SurveyRole],
    })),
    { label: t('survey.report.total'), national: p.total, own: mine?.total },
  ];
  return (
    <Paper withBorder p="md" className="avoid-break">
      <Title order={3} size="h4" mb="xs">
        {p.title}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <CategoryBars
          caption={`${p.title}: ${t('survey.report.byRole')}`}
          captionHidden
          max={5}
          series={[
            { label: t('survey.report.national'), color: 'blue.8' },
            ...(mine ? [{ label: own!.name, color: 'orange.8' }] : []),
          ]}
          rows={rows.map((r) => ({
            key: r.label,
            label: r.label,
            bars: [cellBar(r.national, t), ...(mine ? [cellBar(r.own, t)] : [])],
          }))}
        />
        <ScrollRegion label={`${p.title}: ${t('survey.report.byRole')}`} minWidth={300}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('survey.report.role')}</Table.Th>
                <Table.Th>{t('survey.report.national')}</Table.Th>
                <Table.Th>{t('survey.report.n')}</Table.Th>
                {mine && <Table.Th>{own!.name}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.label}>
                  <Table.Th scope="row">{r.label}</Table.Th>
                  <Table.Td>
                    <CellText cell={r.national} />
                  </Table.Td>
                  <Table.Td>{r.national?.n ?? '–'}</Table.Td>
                  {mine && (
                    <Table.Td>
                      <CellText cell={r.own} />
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      </SimpleGrid>
      {quotes.map((q) => (
        <Text key={q.id} mt="sm" size="sm" fs="italic">
          “{q.text}”{' '}
          <Text span fs="normal" c="dimmed">
            – {q.roleLabel}
          </Text>
        </Text>
      ))}
    </Paper>
  );
}

/** One item's distribution at municipality level: a stacked bar with the merged groups, and the table. */
function ItemBlock({ item }: { item: ItemResult }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" className="avoid-break">
      <Text fw={600} size="sm">
        {item.text}
      </Text>
      <Text size="xs" c="dimmed">
        n = {item.municipalities} {t('survey.report.count').toLowerCase()}
      </Text>
      {item.distribution && 'suppressed' in item.distribution && (
        <Badge mt="xs" color={STATUS_COLORS.neutral}>
          {t(`survey.suppressed.${item.distribution.suppressed}`)}
        </Badge>
      )}
      {item.distribution && 'groups' in item.distribution && (
        <>
          <Progress.Root size={22} mt="xs" aria-hidden>
            {item.distribution.groups.map((g, i) => (
              <Tooltip key={g.labels.join('/')} label={`${g.labels.join(' / ')}: ${pct(g.share)}`}>
                <Progress.Section value={g.share * 100} color={SHADES[Math.min(i, SHADES.length - 1)]} />
              </Tooltip>
            ))}
          </Progress.Root>
          <Table mt="xs" fz="xs">
            <Table.Tbody>
              {item.distribution.groups.map((g) => (
                <Table.Tr key={g.labels.join('/')}>
                  <Table.Td>
                    {g.labels.join(' / ')}
                    {g.labels.length > 1 && (
                      <Text span c="dimmed" size="xs">
                        {' '}
                        ({t('survey.report.merged')})
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{g.count}</Table.Td>
                  <Table.Td>{pct(g.share)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {item.options && (
        <Text size="xs" mt={4}>
          {t('survey.report.multipleNote')}
        </Text>
      )}
      {item.options && (
        <Table mt="xs" fz="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('survey.report.option')}</Table.Th>
              <Table.Th>{t('survey.report.count')}</Table.Th>
              <Table.Th>{t('survey.report.share')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {item.options.map((o) => (
              <Table.Tr key={o.code}>
                <Table.Td>{o.label}</Table.Td>
                <Table.Td>{o.count ?? t('survey.suppressed.too_few')}</Table.Td>
                <Table.Td>{pct(o.share)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

/** The round's report, like the 2020 mapping's figures, with the municipality's own results and trend. */
export function ReportPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const q = useQuery({
    queryKey: ['survey', 'report', id],
    queryFn: () => get<View>(`/api/survey/rounds/${id}/report`),
  });
  const v = q.data;
  if (!v) return <ErrorAlert error={q.error} />;
  const { report } = v;
  const themes = [...new Map(report.pejlemaerker.map((p) => [p.theme, p.themeTitle])).entries()];
  const prevOwn = v.previous?.own;
  const trend =
    v.own && prevOwn
      ? report.pejlemaerker.map((p) => {
          const before = prevOwn.pejlemaerker.find((x) => x.code === p.code)?.total;
          const now = v.own!.pejlemaerker.find((x) => x.code === p.code)?.total;
          return {
            code: p.code,
            label: p.title,
            before,
            now,
            change:
              before?.mean != null && now?.mean != null
                ? Math.round((now.mean - before.mean) * 100) / 100
                : null,
          };
        })
      : null;
  return (
    <Stack gap="lg" className="print-page">
      <Group justify="space-between" align="start">
        <div>
          <Title order={1}>
            {t('survey.report.title')}: {v.round.title}
          </Title>
          <Text c="dimmed">
            {report.questionnaire.title} · {formatDate(v.round.opensOn)} – {formatDate(v.round.closesOn)}
          </Text>
        </div>
        <Group className="no-print" gap="xs">
          <Text size="sm">{t('survey.report.export')}:</Text>
          {(['csv', 'xlsx', 'json'] as const).map((f) => (
            <Anchor key={f} href={`/api/survey/rounds/${v.round.id}/export?format=${f}`} download size="sm">
              {f.toUpperCase()}
            </Anchor>
          ))}
          <Button variant="outline" size="xs" onClick={() => window.print()}>
            {t('survey.report.print')}
          </Button>
        </Group>
      </Group>
      <Alert color="blue" variant="light">
        {t('survey.report.anonymity', { min: report.minGroup })}
      </Alert>
      <section aria-labelledby="responses">
        <Title order={2} id="responses" mb="xs">
          {t('survey.report.responses')}
        </Title>
        <Text size="sm" mb="xs">
          {t('survey.report.municipalities', report.responses.municipalities)}
        </Text>
        <ScrollRegion label={t('survey.report.responses')} minWidth={360}>
          <Table maw={560} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('survey.report.role')}</Table.Th>
                <Table.Th>{t('survey.report.responses')}</Table.Th>
                <Table.Th>{t('survey.report.invited')}</Table.Th>
                <Table.Th>{t('survey.report.rate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.responses.byRole.map((r) => (
                <Table.Tr key={r.role}>
                  <Table.Th scope="row">{t(`survey.roles.${r.role}`)}</Table.Th>
                  <Table.Td>{r.answers}</Table.Td>
                  <Table.Td>{r.invited || '–'}</Table.Td>
                  <Table.Td>{r.invited ? pct(r.answers / r.invited) : '–'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      </section>
      {v.own && <Title order={2}>{t('survey.report.ownVsNational', { name: v.own.name })}</Title>}
      {trend && (
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="xs">
            {t('survey.report.change', { title: v.previous!.title })}
          </Title>
          <CategoryBars
            caption={t('survey.report.change', { title: v.previous!.title })}
            captionHidden
            max={5}
            series={[
              { label: `${t('survey.report.previous')} (${v.previous!.title})`, color: 'gray.7' },
              { label: `${t('survey.report.current')} (${v.round.title})`, color: 'orange.8' },
            ]}
            rows={trend.map((row) => ({
              key: row.code,
              label: row.label,
              bars: [cellBar(row.before, t), cellBar(row.now, t)],
            }))}
          />
          <ScrollRegion label={t('survey.report.change', { title: v.previous!.title })} minWidth={340}>
            <Table mt="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('survey.round.pejlemaerke')}</Table.Th>
                  <Table.Th>{t('survey.report.previous')}</Table.Th>
                  <Table.Th>{t('survey.report.current')}</Table.Th>
                  <Table.Th>{t('survey.report.changeCol')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {trend.map((row) => (
                  <Table.Tr key={row.code}>
                    <Table.Th scope="row">{row.label}</Table.Th>
                    <Table.Td>
                      <CellText cell={row.before} />
                    </Table.Td>
                    <Table.Td>
                      <CellText cell={row.now} />
                    </Table.Td>
                    <Table.Td>{formatChange(row.change, 2)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        </Paper>
      )}
      {themes.map(([code, title]) => (
        <section key={code} aria-labelledby={`theme-${code}`}>
          <Title order={2} id={`theme-${code}`} mb="sm">
            {title}
          </Title>
          <Stack gap="md">
            {report.pejlemaerker
              .filter((p) => p.theme === code)
              .map((p) => (
                <PejlemaerkeBlock
                  key={p.code}
                  p={p}
                  own={v.own}
                  quotes={v.quotes.filter((x) => x.pejlemaerke === p.code)}
                />
              ))}
          </Stack>
        </section>
      ))}
      <section aria-labelledby="items">
        <Title order={2} id="items">
          {t('survey.report.items')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('survey.report.itemsNote')} {t('survey.report.onceNote')}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {report.items
            .filter((i) => i.kind !== 'text')
            .map((i) => (
              <ItemBlock key={i.code} item={i} />
            ))}
        </SimpleGrid>
      </section>
    </Stack>
  );
}
