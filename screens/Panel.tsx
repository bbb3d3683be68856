import { Box, Text } from 'ink';
import type { ResourceKind } from '../source/app/kind.ts';
import type { KindSnapshot } from '../source/app/store.ts';
import type { TableRow } from '../hooks/useTableRows.ts';
import type { SortState } from '../hooks/useKeys.ts';
import { ResourceTable } from './table/ResourceTable.tsx';
import { theme } from './theme.ts';
import { failingText, summarise } from './format.ts';

export interface PanelProps {
  kind: ResourceKind<any>;
  env: string;
  snap: KindSnapshot;
  rows: TableRow[];
  cursor: number;
  filter: string;
  sort?: SortState | undefined;
  width: number;
  height: number;
  now: Date;
}

/** The current panel: its table, or why there is none. */
export function Panel({ kind, env, snap, rows, cursor, filter, sort, width, height, now }: PanelProps) {
  if (snap.sources.length === 0) {
    return (
      <Box width={width} height={height} alignItems="center" justifyContent="center">
        <Text dimColor>
          no {kind.title.toLowerCase()} configured in {env}
        </Text>
      </Box>
    );
  }
  const failing = new Set(snap.sources.filter((s) => s.status.state === 'error' || s.status.state === 'stale').map((s) => s.id));
  const loading = snap.sources.every((s) => s.status.state === 'loading');
  const empty = loading ? 'loading…' : filter ? `no ${kind.title.toLowerCase()} match “${filter}”` : `no ${kind.title.toLowerCase()}`;
  return <ResourceTable kind={kind} rows={rows} cursor={cursor} height={height} width={width} now={now} failing={failing} sort={sort} empty={empty} />;
}

/** Under the panel: failing sources and since when, else the row count and filter. */
export function StatusLine({ kind, snap, rows, filter, now }: Pick<PanelProps, 'kind' | 'snap' | 'rows' | 'filter' | 'now'>) {
  const sum = summarise(snap.sources);
  const count = `${rows.length}${filter ? ` of ${snap.rows.length}` : ''} ${kind.title.toLowerCase()}${filter ? ` matching “${filter}”` : ''}`;
  if (sum.failing.length > 0) {
    const text = sum.failing.map((f) => failingText(f, now)).join(' · ');
    return (
      <Text wrap="truncate" color={theme.tone(sum.error ? 'error' : 'warn')}>
        {sum.failing.length} of {snap.sources.length} sources failing, their rows dimmed: {text}
      </Text>
    );
  }
  return (
    <Text wrap="truncate" dimColor>
      {count}
    </Text>
  );
}
