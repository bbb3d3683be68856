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
export function helpEntries(
  actions: readonly Action<any>[],
  refusal: (a: Action<any>) => string | undefined,
): { panel: HelpEntry[]; global: HelpEntry[] } {
  const panel = actions
    .filter((a) => a.key)
    .map((a) => {
      const why = refusal(a);
      const note = [a.destructive ? 'confirms first' : '', why ? `now: ${why}` : ''].filter(Boolean).join(', ');
      return { keys: a.key!, description: a.title, ...(note ? { note } : {}) };
    });
  const global = Object.values(globalKeys).map((b) => ({ keys: keyLabel(b.keys), description: b.description }));
  return { panel, global };
}

type Line = { heading: string } | { entry: HelpEntry } | { blank: true };

export interface HelpOverlayProps {
  title: string;
  actions: readonly Action<any>[];
  refusal: (a: Action<any>) => string | undefined;
  width: number;
  height: number;
}

/** The panel's keys, then the global ones, flowed into as many columns as the height needs. */
export function HelpOverlay({ title, actions, refusal, width, height }: HelpOverlayProps) {
  const { panel, global } = helpEntries(actions, refusal);
  const lines: Line[] = [
    { heading: title },
    ...(panel.length ? panel.map((entry) => ({ entry })) : [{ entry: { keys: '', description: 'no actions' } }]),
    { blank: true },
    { heading: 'Everywhere' },
    ...global.map((entry) => ({ entry })),
  ];
  const rows = Math.max(1, height - 1);
  const columns: Line[][] = [];
  for (let i = 0; i < lines.length; i += rows) columns.push(lines.slice(i, i + rows));
  const inner = Math.max(1, width - 2);
  const colWidth = Math.floor(inner / columns.length);
  const keyWidth = Math.min(10, Math.max(...lines.map((l) => ('entry' in l ? l.entry.keys.length : 0))) + 1);
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">
        Keys of {title} · Esc closes
      </Text>
      <Box>
        {columns.map((col, c) => (
          <Box key={c} flexDirection="column" width={colWidth}>
            {col.map((line, i) =>
              'heading' in line ? (
                <Text key={i} underline>
                  {line.heading}
                </Text>
              ) : 'entry' in line ? (
                <Text key={i}>
                  <Text bold>{fit(line.entry.keys, keyWidth)}</Text>
                  {fit(`${line.entry.description}${line.entry.note ? ` (${line.entry.note})` : ''}`, colWidth - keyWidth - 1)}
                </Text>
              ) : (
                <Text key={i}> </Text>
              ),
            )}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
