import { Text } from 'ink';
import type { Action } from '../source/app/action.ts';
import { globalKeys, keyLabel } from '../hooks/keymap.ts';

export interface FooterProps {
  actions: readonly Action<any>[];
  /** Why an action cannot run on the selected row now (disabled ones are dimmed). */
  refusal: (action: Action<any>) => string | undefined;
}

/** The panel's action keys, generated from its Actions, then the global keys worth a reminder. */
export function Footer({ actions, refusal }: FooterProps) {
  const globals = Object.values(globalKeys).filter((b) => b.footer);
  return (
    <Text wrap="truncate">
      {actions
        .filter((a) => a.key)
        .map((a) => {
          const off = refusal(a) !== undefined;
          return (
            <Text key={a.id} dimColor={off}>
              <Text bold={!off}>{a.key}</Text> {a.title}
              {'  '}
            </Text>
          );
        })}
      {globals.map((b) => (
        <Text key={b.description} dimColor>
          {keyLabel(b.keys.slice(0, 1))} {b.footer}
          {'  '}
        </Text>
      ))}
    </Text>
  );
}
