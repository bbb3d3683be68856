import { Text } from 'ink';
import type { Action } from '../source/app/action.ts';
import { globalKeys, keyLabel } from '../hooks/keymap.ts';
import { theme } from './theme.ts';

export interface FooterProps {
  actions: readonly Action<any>[];
  /** Why an action cannot run on the selected row now (disabled ones are dimmed). */
  refusal: (action: Action<any>) => string | undefined;
  /** Shown first while any tunnel is open (they close when the console exits). */
  openTunnels?: number;
}

/** The panel's action keys, generated from its Actions, then the global keys worth a reminder. */
export function Footer({ actions, refusal, openTunnels = 0 }: FooterProps) {
  const globals = Object.values(globalKeys).filter((b) => b.footer);
  return (
    <Text wrap="truncate">
      {openTunnels > 0 ? (
        <Text color={theme.tone('accent')}>
          <Text bold>{keyLabel(globalKeys.tunnels.keys)}</Text> {openTunnels} tunnel{openTunnels === 1 ? '' : 's'} open{'  '}
        </Text>
      ) : null}
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
