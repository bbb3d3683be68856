import { Text } from 'ink';
import { useKeys, resolveCursor } from '../../hooks/useKeys.ts';
import { useTableRows } from '../../hooks/useTableRows.ts';
import type { KindSnapshot } from '../../source/app/store.ts';
import { ResourceTable } from '../../screens/table/ResourceTable.tsx';
import { timerKind } from './fakes.ts';

/** The table under the real keys reducer, with a `> id` marker line naming the selected row. */
export function App({ snap }: { snap: KindSnapshot }) {
  const rows = useTableRows(timerKind, snap, '', undefined);
  const ids = rows.map((r) => r.id);
  const [ui] = useKeys('production', { ids, page: 5, columns: 4, commands: [], envs: [] }, true);
  const cursor = resolveCursor(ui.cursors[ui.panel], ids);
  return (
    <>
      <Text>{`> ${ids[cursor] ?? ''}`}</Text>
      <ResourceTable kind={timerKind} rows={rows} cursor={cursor} height={8} width={80} now={new Date()} />
    </>
  );
}
