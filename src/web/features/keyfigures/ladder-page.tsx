import { Alert, Anchor, Box, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api';
import { CategoryBars } from '../../components/charts';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, formatNumber } from '../../components/forms';
import { ScrollRegion } from '../../components/scroll-region';
import type { LadderView, ProtectedTable } from './types';

/**
 * The step-down ladder: citizens on each step a year ago and today, and the flows between the steps as a
 * flow diagram with the table beside it. Everything shown is the protected flow table (margins included).
 */
export function LadderPage() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['keyfigures', 'ladder'],
    queryFn: () => get<LadderView>('/api/keyfigures/ladder'),
  });
  const l = q.data?.ladder;
  const label = (s: number | null) =>
    s === null ? t('keyfigures.ladder.none') : t('keyfigures.ladder.step', { step: s });
  const show = (v: number | null) => (v === null ? t('keyfigures.ladder.hidden') : formatNumber(v));
  return (
    <Stack>
      <Anchor component={Link} to="/noegletal" size="sm">
        ← {t('keyfigures.indicator.back')}
      </Anchor>
      <Title order={1}>{t('keyfigures.ladder.title')}</Title>
      <Text size="sm" maw={720}>
        {t('keyfigures.ladder.intro')}
      </Text>
      <ErrorAlert error={q.error} />
      {q.data && !l && <Alert color="blue">{t('keyfigures.ladder.notComputed')}</Alert>}
      {l && (
        <>
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="xs">
              {t('keyfigures.ladder.byStep')}
            </Title>
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <CategoryBars
                caption={t('keyfigures.ladder.byStep')}
                captionHidden
                series={[
                  { label: t('keyfigures.ladder.yearAgo', { date: formatDate(l.yearAgo) }), color: 'gray.7' },
                  { label: t('keyfigures.ladder.now', { date: formatDate(l.today) }), color: 'blue.8' },
                ]}
                rows={l.steps.flatMap((s, i) =>
                  s === null
                    ? []
                    : [
                        {
                          key: String(s),
                          label: label(s),
                          bars: [l.table.rowTotals[i] ?? null, l.table.colTotals[i] ?? null].map((v) => ({
                            value: v,
                            text: show(v),
                          })),
                        },
                      ],
                )}
              />
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('keyfigures.indicator.breakdowns.step')}</Table.Th>
                    <Table.Th>{t('keyfigures.ladder.yearAgo', { date: formatDate(l.yearAgo) })}</Table.Th>
                    <Table.Th>{t('keyfigures.ladder.now', { date: formatDate(l.today) })}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {l.steps.map((s, i) =>
                    s === null ? null : (
                      <Table.Tr key={s}>
                        <Table.Th scope="row">
                          {label(s)}: {q.data!.stepNames[String(s)]}
                        </Table.Th>
                        <Table.Td>{show(l.table.rowTotals[i]!)}</Table.Td>
                        <Table.Td>{show(l.table.colTotals[i]!)}</Table.Td>
                      </Table.Tr>
                    ),
                  )}
                </Table.Tbody>
              </Table>
            </SimpleGrid>
          </Paper>
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="xs">
              {t('keyfigures.ladder.flows')}
            </Title>
            <FlowDiagram steps={l.steps} table={l.table} label={label} />
            <ScrollRegion label={t('keyfigures.ladder.flowsTable')} minWidth={560}>
              <Table mt="sm" withColumnBorders>
                <caption>{t('keyfigures.ladder.flowsTable')}</caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th />
                    {l.steps.map((s) => (
                      <Table.Th key={String(s)}>{label(s)}</Table.Th>
                    ))}
                    <Table.Th>{t('keyfigures.ladder.total')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {l.steps.map((s, i) => (
                    <Table.Tr key={String(s)}>
                      <Table.Th scope="row">{label(s)}</Table.Th>
                      {l.table.cells[i]!.map((v, j) => (
                        <Table.Td key={String(l.steps[j])}>{i === 0 && j === 0 ? '' : show(v)}</Table.Td>
                      ))}
                      <Table.Td>{show(l.table.rowTotals[i]!)}</Table.Td>
                    </Table.Tr>
                  ))}
                  <Table.Tr>
                    <Table.Th scope="row">{t('keyfigures.ladder.total')}</Table.Th>
                    {l.table.colTotals.map((v, j) => (
                      <Table.Td key={String(l.steps[j])}>{show(v)}</Table.Td>
                    ))}
                    <Table.Td>{show(l.table.total)}</Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
            </ScrollRegion>
          </Paper>
        </>
      )}
    </Stack>
  );
}

type FlowKind = 'new' | 'down' | 'up' | 'same';
const FLOW_COLORS: Record<FlowKind, string> = {
  new: 'var(--mantine-color-blue-6)',
  down: 'var(--mantine-color-teal-7)',
  up: 'var(--mantine-color-red-7)',
  same: 'var(--mantine-color-gray-5)',
};

/**
 * A two-column flow diagram (Sankey): steps a year ago on the left, today on the right. Each box is as tall
 * as the citizens on its step (the number beside it); a band per shown flow, its width proportional to the
 * citizens, coloured by direction. Withheld flows are not drawn, so part of a box can stay without a band;
 * the legend names only the colours drawn, with a swatch, and the table lists every flow.
 */
function FlowDiagram({
  steps,
  table,
  label,
}: {
  steps: (number | null)[];
  table: ProtectedTable;
  label: (s: number | null) => string;
}) {
  const { t } = useTranslation();
  const W = 640;
  const GAP = 14;
  const flows: { i: number; j: number; n: number; kind: FlowKind }[] = [];
  const kindOf = (i: number, j: number): FlowKind => {
    const a = steps[i] ?? null;
    const b = steps[j] ?? null;
    if (a === b) return 'same';
    if (a === null) return 'new';
    return b === null || b < a ? 'down' : 'up';
  };
  table.cells.forEach((row, i) => {
    row.forEach((n, j) => {
      if (n !== null && n > 0) flows.push({ i, j, n, kind: kindOf(i, j) });
    });
  });
  // Every flow withheld (a small municipality, or one whose citizens mostly stay on their step, where each
  // small move needs the large "same step" flow hidden beside it): say so rather than draw empty boxes.
  if (flows.length === 0) return <Text size="sm">{t('keyfigures.ladder.noFlows')}</Text>;
  // A box's height is its step's number; where that is withheld, the flows shown from (or to) it.
  const sizes = (of: 'i' | 'j', margins: (number | null)[]) =>
    steps.map((_, k) => margins[k] ?? flows.filter((f) => f[of] === k).reduce((s, f) => s + f.n, 0));
  const leftSize = sizes('i', table.rowTotals);
  const rightSize = sizes('j', table.colTotals);
  const H = 320;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const scale = (H - GAP * steps.length) / Math.max(sum(leftSize), sum(rightSize), 1);
  const tops = (size: number[]) => {
    const top: number[] = [];
    let y = 0;
    for (const s of size) {
      top.push(y);
      y += s > 0 ? s * scale + GAP : 0;
    }
    return top;
  };
  const left = { size: leftSize, top: tops(leftSize) };
  const right = { size: rightSize, top: tops(rightSize) };
  const usedL = steps.map(() => 0);
  const usedR = steps.map(() => 0);
  const x0 = 150;
  const x1 = W - 150;
  const margin = (v: number | null) => (v === null ? t('keyfigures.ladder.hidden') : formatNumber(v));
  const summary = flows.map((f) => `${label(steps[f.i]!)} → ${label(steps[f.j]!)}: ${f.n}`).join(', ');
  const drawn = (Object.keys(FLOW_COLORS) as FlowKind[]).filter((k) => flows.some((f) => f.kind === k));
  return (
    <>
      <svg
        viewBox={`0 0 ${W} ${H + 10}`}
        width="100%"
        style={{ maxWidth: W }}
        role="img"
        aria-label={`${t('keyfigures.ladder.flows')}: ${summary}`}
      >
        {flows.map((f) => {
          const h = f.n * scale;
          const ya = left.top[f.i]! + usedL[f.i]! + h / 2;
          const yb = right.top[f.j]! + usedR[f.j]! + h / 2;
          usedL[f.i]! += h;
          usedR[f.j]! += h;
          const mid = (x0 + x1) / 2;
          return (
            <path
              key={`${f.i}-${f.j}`}
              d={`M ${x0} ${ya} C ${mid} ${ya}, ${mid} ${yb}, ${x1} ${yb}`}
              stroke={FLOW_COLORS[f.kind]}
              strokeOpacity={0.6}
              strokeWidth={Math.max(1, h)}
              fill="none"
            />
          );
        })}
        {steps.map((s, k) => (
          <g key={String(s)}>
            {left.size[k]! > 0 && (
              <>
                <rect
                  x={x0 - 8}
                  y={left.top[k]}
                  width={8}
                  height={left.size[k]! * scale}
                  fill="var(--mantine-color-dark-6)"
                />
                <text
                  x={x0 - 14}
                  y={left.top[k]! + (left.size[k]! * scale) / 2 + 4}
                  textAnchor="end"
                  fontSize={12}
                >
                  {label(s)} ({margin(table.rowTotals[k]!)})
                </text>
              </>
            )}
            {right.size[k]! > 0 && (
              <>
                <rect
                  x={x1}
                  y={right.top[k]}
                  width={8}
                  height={right.size[k]! * scale}
                  fill="var(--mantine-color-dark-6)"
                />
                <text x={x1 + 14} y={right.top[k]! + (right.size[k]! * scale) / 2 + 4} fontSize={12}>
                  {label(s)} ({margin(table.colTotals[k]!)})
                </text>
              </>
            )}
          </g>
        ))}
      </svg>
      <Group gap="md" mt="xs">
        {drawn.map((k) => (
          <Group key={k} gap={6} wrap="nowrap">
            <Box w={14} h={14} style={{ background: FLOW_COLORS[k], borderRadius: 2 }} aria-hidden />
            <Text size="sm">{t(`keyfigures.ladder.flowKinds.${k}`)}</Text>
          </Group>
        ))}
      </Group>
      <Text size="sm" c="dimmed" mt={4}>
        {t('keyfigures.ladder.legend')}
      </Text>
    </>
  );
}
