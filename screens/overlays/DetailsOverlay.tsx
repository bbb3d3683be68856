import { Box, Text } from 'ink';
import type { Detail, ResourceKind } from '../../source/app/kind.ts';
import type { TableRow } from '../../hooks/useTableRows.ts';
import { theme } from '../theme.ts';
import { fit } from '../table/window.ts';

export function detailsOf<T>(kind: ResourceKind<T>, row: T, now: Date): Detail[] {
  if (kind.details) return kind.details(row, now);
  return kind.columns.map((c) => {
    const tone = c.tone?.(row, now);
    const value = c.format ? c.format(row, now) : String(c.value(row) ?? '');
    return { label: c.title, value, ...(tone ? { tone } : {}) };
  });
}

/** The selected row in full (kind.details, else every column). */
export function DetailsOverlay<T>({ kind, row, now, width, height }: { kind: ResourceKind<T>; row: TableRow<T>; now: Date; width: number; height: number }) {
  const details = detailsOf(kind, row.row, now);
  const labelWidth = Math.min(20, Math.max(6, ...details.map((d) => d.label.length)));
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">
        {kind.title}: {row.id} <Text dimColor>(source {row.source}) · Esc closes</Text>
      </Text>
      {details.slice(0, Math.max(0, height - 1)).map((d, i) => (
        <Text key={i} wrap="truncate">
          <Text dimColor>{fit(d.label, labelWidth)} </Text>
          <Text color={theme.tone(d.tone)}>{d.value}</Text>
        </Text>
      ))}
    </Box>
  );
}
