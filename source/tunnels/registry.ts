/** The open tunnels of a session: the app lists them and closes them all on exit. */
import type { Remote } from '../app/remote.ts';
import type { TunnelConfig } from '../config/schema.ts';
import { describeTunnel, openTunnel, type Tunnel, type TunnelOptions } from './tunnel.ts';

export interface TunnelInfo {
  id: number;
  name?: string;
  node: string;
  host: string;
  remotePort: number;
  localPort: number;
  url: string;
  description: string;
  connections: number;
  totalConnections: number;
  failures: number;
  lastError?: string;
  warning?: string;
  openedAt: Date;
}

export class TunnelRegistry {
  private readonly tunnels = new Map<number, Tunnel>();
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly remote: Remote) {}

  /** Opens and registers a tunnel; it leaves the registry when closed. */
  async open(o: TunnelOptions): Promise<{ id: number; tunnel: Tunnel }> {
    const tunnel = await openTunnel(this.remote, o);
    const id = this.nextId++;
    this.tunnels.set(id, tunnel);
    const changed = () => this.changed();
    tunnel.on('connection', changed).on('disconnect', changed).on('warning', changed);
    tunnel.once('close', () => {
      this.tunnels.delete(id);
      this.changed();
    });
    this.changed();
    return { id, tunnel };
  }

  /**
   * Opens a tunnel from the config (`tunnels:` of an environment). Without `localPort` it
   * tries the same local port as the remote one, and any free port when that is taken; an
   * explicit `localPort` that is taken is an error.
   */
  async openConfigured(cfg: Pick<TunnelConfig, 'name' | 'node' | 'port' | 'localPort'>, extra: Partial<TunnelOptions> = {}): Promise<{ id: number; tunnel: Tunnel }> {
    const base: TunnelOptions = { ...extra, node: cfg.node, port: cfg.port, name: cfg.name };
    if (cfg.localPort !== undefined) return this.open({ ...base, localPort: cfg.localPort });
    try {
      return await this.open({ ...base, localPort: cfg.port });
    } catch (e) {
      if (!(e instanceof Error) || !/is in use|EACCES|permission/i.test(`${e.message} ${String((e.cause as Error | undefined)?.message ?? '')}`)) throw e;
      return this.open({ ...base, localPort: 0 });
    }
  }

  get(id: number): Tunnel | undefined {
    return this.tunnels.get(id);
  }

  /** The open tunnel to node:port (any local port), if there is one. */
  find(node: string, port: number, host = '127.0.0.1'): Tunnel | undefined {
    for (const t of this.tunnels.values()) if (t.node === node && t.remotePort === port && t.host === host) return t;
    return undefined;
  }

  list(): TunnelInfo[] {
    return [...this.tunnels.entries()].map(([id, t]) => {
      const info: TunnelInfo = {
        id,
        node: t.node,
        host: t.host,
        remotePort: t.remotePort,
        localPort: t.localPort,
        url: t.url,
        description: describeTunnel(t),
        connections: t.connections,
        totalConnections: t.totalConnections,
        failures: t.failures,
        openedAt: t.openedAt,
      };
      if (t.name !== undefined) info.name = t.name;
      if (t.lastError !== undefined) info.lastError = t.lastError;
      if (t.warning !== undefined) info.warning = t.warning;
      return info;
    });
  }

  get size(): number {
    return this.tunnels.size;
  }

  async close(id: number): Promise<boolean> {
    const t = this.tunnels.get(id);
    if (!t) return false;
    await t.close();
    return true;
  }

  /** Closes every tunnel (on exit). */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.tunnels.values()].map((t) => t.close()));
  }

  /** Called whenever the list or a tunnel's counters change; returns an unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}
