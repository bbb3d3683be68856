import { Box, Text } from 'ink';
import type { Action } from '../../source/app/action.ts';
import { globalKeys, keyLabel } from '../../hooks/keymap.ts';
import { fit } from '../table/window.ts';

export interface HelpEntry {
  keys: string;
  description: string;
  note?: string;
}

/** Every key of the panel: its Actions first, then the global table. Nothing is written by hand. */
export function helpEntries(actions: readonly Action<any>[], refusal: (a: Action<any>) => string | undefined): { panel: HelpEntry[]; global: HelpEntry[] } {
  const panel = actions
    .filter((a) => a.key)
    .map((a) => {
      const why = refusal(a);
      const note = [a.destructive ? 'asks to confirm' : '', why ? `now: ${why}` : ''].filter(Boolean).join(', ');
      return { keys: a.key!, description: a.title, ...(note ? { note } : {}) };
    });
  const global = Object.values(globalKeys).map((b) => ({ keys: keyLabel(b.keys), description: b.description }));
  return { panel, global };
}

export function HelpOverlay({ title, actions, refusal, width, height }: { title: string; actions: readonly Action<any>[]; refusal: (a: Action<any>) => string | undefined; width: number; height: number }) {
  const { panel, global } = helpEntries(actions, refusal);
  const rows = Math.max(1, height - 2);
  const columns: HelpEntry[][] = [];
  for (let i = 0; i < global.length; i += rows) columns.push(global.slice(i, i + rows));
  const text = (e: HelpEntry) => `${fit(e.keys, 9)} ${e.description}${e.note ? ` (${e.note})` : ''}`;
  // The panel's own keys get the room they need (up to half), the global table shares the rest.
  const panelWidth = Math.min(Math.floor((width - 2) / 2), Math.max(24, ...panel.map((e) => text(e).length + 2)));
  const colWidth = Math.floor((width - 2 - panelWidth) / Math.max(1, columns.length));
  const line = (e: HelpEntry, w: number) => fit(text(e), w - 1);
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold>Keys of {title} · Esc closes</Text>
      <Box>
        <Box flexDirection="column" width={panelWidth}>
          <Text underline>{title}</Text>
          {panel.length === 0 ? <Text dimColor>no actions</Text> : panel.slice(0, rows - 1).map((e) => <Text key={e.keys}>{line(e, panelWidth)}</Text>)}
        </Box>
        {columns.map((col, i) => (
          <Box key={i} flexDirection="column" width={colWidth}>
            {col.map((e) => (
              <Text key={e.description}>{line(e, colWidth)}</Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
