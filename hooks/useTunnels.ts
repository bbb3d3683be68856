import { useEffect, useMemo, useState } from 'react';
import type { TunnelPort, TunnelView } from '../source/app/backend.ts';

export type NamedTunnel = ReturnType<TunnelPort['named']>[number];

export interface TunnelsView {
  open: TunnelView[];
  /** Tunnels named in the config that are not open now. */
  named: NamedTunnel[];
  /** What the overlay's cursor walks: `open:ID` for open tunnels, then `named:NAME`. */
  items: string[];
}

const none: TunnelsView = { open: [], named: [], items: [] };

function isOpen(t: NamedTunnel, open: readonly TunnelView[]): boolean {
  return open.some((o) => o.name === t.name || (o.node === t.node && o.remotePort === t.port));
}

/**
 * The open tunnels of `env` and the config's named ones, from the TunnelPort the services
 * hand in (screens never reach the driver). Re-renders when a tunnel opens, closes or counts
 * a connection; the subscription ends with the component, so nothing keeps the process up.
 */
export function useTunnels(tunnels: TunnelPort | undefined, env: string): TunnelsView {
  const [open, setOpen] = useState<TunnelView[]>(() => tunnels?.list(env) ?? []);
  useEffect(() => {
    if (!tunnels) return;
    setOpen(tunnels.list(env));
    return tunnels.subscribe(() => setOpen(tunnels.list(env)));
  }, [tunnels, env]);
  const configured = useMemo(() => tunnels?.named(env) ?? [], [tunnels, env]);
  return useMemo(() => {
    if (!tunnels) return none;
    const named = configured.filter((t) => !isOpen(t, open));
    return { open, named, items: [...open.map((t) => `open:${t.id}`), ...named.map((t) => `named:${t.name}`)] };
  }, [tunnels, open, configured]);
}
