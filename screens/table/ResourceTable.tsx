import { memo, useMemo, useRef } from 'react';
import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import type { CellValue, Column, ResourceKind } from '../../source/app/kind.ts';
import type { TableRow } from '../../hooks/useTableRows.ts';
import type { SortState } from '../../hooks/useKeys.ts';
import { theme } from '../theme.ts';
import type { InkColour } from '../theme.ts';
import { allocateWidths, clampIndex, fit, scrollOffset } from './window.ts';

export interface ResourceTableProps<T> {
  kind: ResourceKind<T>;
  /** Filtered and sorted rows (see useTableRows). */
  rows: TableRow<T>[];
  cursor: number;
  /** Lines available, the header included. */
  height: number;
  width: number;
  now: Date;
  /** Sources whose last poll failed: their rows are dimmed. */
  failing?: ReadonlySet<string>;
  sort?: SortState | undefined;
  /** Shown under the header when there are no rows. */
  empty?: string;
}

function plain(value: CellValue): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 16).replace('T', ' ');
  return String(value);
}

function cellText<T>(column: Column<T>, row: T, now: Date): string {
  return column.format ? column.format(row, now) : plain(column.value(row));
}

/**
 * The only table. Only the rows in the window are formatted and drawn, so 10,000 rows cost
 * what a screenful costs; column widths come from the visible rows and the header.
 */
export function ResourceTable<T>({ kind, rows, cursor, height, width, now, failing, sort, empty }: ResourceTableProps<T>) {
  const bodyHeight = Math.max(0, height - 1);
  const at = clampIndex(cursor, rows.length);
  const offsetRef = useRef(0);
  const offset = scrollOffset(offsetRef.current, at, bodyHeight, rows.length);
  offsetRef.current = offset;
  const visible = rows.slice(offset, offset + bodyHeight);

  const nowMs = now.getTime();
  // A cursor move inside the window changes no cell: formatting is redone only when the
  // window, its rows or the second change.
  const cells = useMemo(() => visible.map((r) => kind.columns.map((c) => cellText(c, r.row, now))), [kind, rows, offset, bodyHeight, nowMs]);
  // Widths grow to the widest cell seen while scrolling and never shrink back, so columns do
  // not jump as rows scroll by; a new width of the terminal starts over.
  const seen = useRef<{ width: number; content: number[] }>({ width, content: [] });
  if (seen.current.width !== width) seen.current = { width, content: [] };
  const content = kind.columns.map((_, i) => {
    const widest = cells.reduce((m, line) => Math.max(m, stringWidth(line[i] ?? '')), seen.current.content[i] ?? 0);
    seen.current.content[i] = widest;
    return widest;
  });
  const titles = kind.columns.map((c, i) => (sort?.column === i ? `${c.title}${sort.desc ? '▼' : '▲'}` : c.title));
  const widths = allocateWidths(
    kind.columns.map((c, i) => ({
      title: titles[i]!,
      ...(c.width !== undefined ? { width: c.width } : {}),
      ...(c.maxWidth !== undefined ? { maxWidth: c.maxWidth } : {}),
      ...(c.grow ? { grow: true } : {}),
      content: content[i]!,
    })),
    width,
  );

  const widthsKey = widths.join(',');
  const lines = useMemo(
    () =>
      visible.map((r, n) => ({
        id: r.id,
        source: r.source,
        texts: kind.columns.map((c, i) => (i > 0 ? ' ' : '') + fit(cells[n]![i]!, widths[i]!, c.align)),
        colours: kind.columns.map((c): InkColour | undefined => theme.tone(c.tone?.(r.row, now))),
      })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [cells, widthsKey],
  );

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {kind.columns.map((c, i) => (i > 0 ? ' ' : '') + fit(titles[i]!, widths[i]!, c.align)).join('')}
      </Text>
      {visible.length === 0 && empty ? (
        <Text dimColor wrap="truncate">
          {empty}
        </Text>
      ) : null}
      {lines.map((line, n) => (
        <Line key={line.id} texts={line.texts} colours={line.colours} selected={offset + n === at} dim={failing?.has(line.source) ?? false} />
      ))}
    </Box>
  );
}

/** One table row; the same texts re-render nothing, so a cursor move redraws two rows. */
const Line = memo(function Line({ texts, colours, selected, dim }: { texts: string[]; colours: (InkColour | undefined)[]; selected: boolean; dim: boolean }) {
  return (
    <Text inverse={selected} dimColor={dim} wrap="truncate">
      {texts.map((text, i) => {
        const colour = colours[i];
        return colour ? (
          <Text key={i} color={colour}>
            {text}
          </Text>
        ) : (
          text
        );
      })}
    </Text>
  );
});
