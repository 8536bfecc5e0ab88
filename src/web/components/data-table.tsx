import { Box, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';

export interface Column<R> {
  key: string;
  header: string;
  cell: (row: R) => ReactNode;
}

/**
 * A table on a desktop, a list on a phone: each row becomes an item with its first column as the title and
 * every other column as "Header: value" beneath it, so nothing hides beyond the screen's edge (a table's
 * last columns would sit in a sideways scroll at 390 px).
 */
export function DataTable<R>({
  caption,
  columns,
  rows,
  rowKey,
  captionHidden = true,
}: {
  caption: string;
  columns: Column<R>[];
  rows: R[];
  rowKey: (row: R) => string;
  captionHidden?: boolean;
}) {
  const phone = useMediaQuery('(max-width: 48em)');
  const [first, ...rest] = columns;
  if (phone)
    return (
      <Box component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={caption}>
        {rows.map((r) => (
          <Box
            component="li"
            key={rowKey(r)}
            py="xs"
            style={{ borderBottom: '1px solid var(--mantine-color-gray-3)', overflowWrap: 'anywhere' }}
          >
            <Box fw={600}>{first!.cell(r)}</Box>
            {rest.map((c) => (
              <Box key={c.key} fz="sm">
                {c.header && (
                  <Text span size="sm" c="dimmed">
                    {c.header}:{' '}
                  </Text>
                )}
                {c.cell(r)}
              </Box>
            ))}
          </Box>
        ))}
      </Box>
    );
  return (
    <Table striped highlightOnHover captionSide="top">
      <Table.Caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th key={c.key}>{c.header}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={rowKey(r)}>
            {columns.map((c) => (
              <Table.Td key={c.key}>{c.cell(r)}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
