import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** One bar: its value (null where withheld or missing) and the text shown beside it. */
export interface Bar {
  value: number | null;
  text: string;
}
export interface BarRow {
  key: string;
  label: string;
  /** One bar per series, in the series' order. */
  bars: Bar[];
  /** The viewer's own municipality (or unit): drawn in its own colour, its label bold and marked. */
  highlight?: boolean;
}
export interface BarSeries {
  label: string;
  /** A Mantine colour such as "blue.8" (dark enough for the value text beside it). */
  color: string;
}

const cssColor = (c: string) => {
  const [name, shade] = c.split('.');
  return `var(--mantine-color-${name}-${shade ?? 6})`;
};

/**
 * Horizontal bars drawn as text and boxes, not as an SVG: every bar carries its label and its value, however
 * many there are and however narrow the screen (a chart library's axis skips labels it has no room for). The
 * highlighted row (the own municipality) has its own colour and says so in words; a withheld value reads
 * "skjult" where its bar would be. The numbers stay in a table beside it for those who read tables.
 */
export function CategoryBars({
  rows,
  series,
  max,
  caption,
  captionHidden,
  highlightLabel,
  highlightColor = 'orange.8',
}: {
  rows: BarRow[];
  series: BarSeries[];
  /** The scale's end; the largest value when not given. */
  max?: number;
  caption: string;
  /** The caption repeats a visible heading: read out, not shown. */
  captionHidden?: boolean;
  /** What the highlighted row is, in words ("din kommune"). */
  highlightLabel?: string;
  highlightColor?: string;
}) {
  const { t } = useTranslation();
  const top = max ?? Math.max(0, ...rows.flatMap((r) => r.bars.map((b) => b.value ?? 0)));
  return (
    <Box component="figure" m={0}>
      <Text
        component="figcaption"
        size="sm"
        fw={600}
        mb={4}
        className={captionHidden ? 'visually-hidden' : undefined}
      >
        {caption}
      </Text>
      {series.length > 1 && (
        <Group gap="md" mb={6} aria-hidden>
          {series.map((s) => (
            <Group key={s.label} gap={4} wrap="nowrap">
              <Box w={12} h={12} style={{ background: cssColor(s.color), borderRadius: 2 }} />
              <Text size="xs">{s.label}</Text>
            </Group>
          ))}
        </Group>
      )}
      <Box component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {rows.map((r) => (
          <Box
            component="li"
            key={r.key}
            py={3}
            style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: 8 }}
          >
            <Text size="xs" fw={r.highlight ? 700 : 400} style={{ flex: '0 1 11rem', minWidth: '8rem' }}>
              {r.label}
              {r.highlight && highlightLabel && ` (${highlightLabel})`}
            </Text>
            <Box style={{ flex: '1 1 10rem', minWidth: 0 }}>
              {r.bars.map((b, i) => {
                const s = series[i]!;
                const share = top > 0 && b.value !== null ? Math.max(0, Math.min(1, b.value / top)) : 0;
                return (
                  <Box key={s.label} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                    <Box
                      aria-hidden
                      h={series.length > 1 ? 10 : 14}
                      style={{
                        width: `calc(${share} * (100% - 5rem))`,
                        minWidth: b.value ? 2 : 0,
                        background: cssColor(r.highlight && series.length === 1 ? highlightColor : s.color),
                        borderRadius: 2,
                      }}
                    />
                    <Text size="xs" fw={r.highlight ? 700 : 400} style={{ whiteSpace: 'nowrap' }}>
                      {series.length > 1 && <span className="visually-hidden">{s.label}: </span>}
                      {b.value === null && !b.text ? t('charts.none') : b.text}
                    </Text>
                  </Box>
                );
              })}
            </Box>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
