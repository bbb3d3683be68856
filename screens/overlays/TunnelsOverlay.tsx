import { Box, Text } from 'ink';
import type { TunnelView } from '../../source/app/backend.ts';
import type { NamedTunnel } from '../../hooks/useTunnels.ts';
import { clampIndex } from '../../hooks/cursor.ts';
import { theme } from '../theme.ts';
import { fit } from '../table/window.ts';

export interface TunnelsOverlayProps {
  open: readonly TunnelView[];
  /** Named in the config and not open. */
  named: readonly NamedTunnel[];
  /** Index into open tunnels, then named ones. */
  cursor: number;
  width: number;
  height: number;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** `http://127.0.0.1:LOCAL -> NODE:PORT`, its counters and last error; then the named ones. */
export function tunnelLine(t: TunnelView): string {
  const name = t.name ? `${t.name}  ` : '';
  return `${name}${t.url} -> ${t.node}:${t.remotePort}`;
}

export function tunnelCounters(t: TunnelView): string {
  const parts = [plural(t.connections, 'connection'), plural(t.failures, 'failure')];
  if (t.lastError) parts.push(`last error: ${t.lastError}`);
  if (t.warning) parts.push(t.warning);
  return parts.join(' · ');
}

/** The `u` overlay: open tunnels (x closes the selected one) and named ones (Enter opens). */
export function TunnelsOverlay({ open, named, cursor, width, height }: TunnelsOverlayProps) {
  const total = open.length + named.length;
  const at = clampIndex(cursor, total);
  const inner = Math.max(1, width - 2);
  const lineWidth = Math.min(inner, Math.max(20, ...open.map((t) => tunnelLine(t).length + 2)));
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">
        Tunnels · j/k choose · x closes · Enter opens a named one · Esc closes
      </Text>
      <Text underline>Open</Text>
      {open.length === 0 ? (
        <Text dimColor wrap="truncate">
          no open tunnels · o on the Nodes panel opens one
        </Text>
      ) : (
        open.map((t, i) => (
          <Text key={t.id} inverse={i === at} wrap="truncate">
            {fit(tunnelLine(t), lineWidth)}
            <Text color={theme.tone(t.lastError ? 'warn' : 'muted')}> {tunnelCounters(t)}</Text>
          </Text>
        ))
      )}
      {named.length > 0 ? (
        <>
          <Text> </Text>
          <Text underline>Named in the config</Text>
          {named.map((t, i) => (
            <Text key={t.name} inverse={open.length + i === at} wrap="truncate">
              {t.name} <Text dimColor>{`${t.node}:${t.port}${t.localPort !== undefined ? ` on local ${t.localPort}` : ''} · Enter opens`}</Text>
            </Text>
          ))}
        </>
      ) : null}
    </Box>
  );
}
