/**
 * Local port forwards: a net.Server on 127.0.0.1 whose every accepted socket becomes one
 * `remote.forward(node, host, port)` channel, piped both ways. A failed channel (remote port
 * closed, node down) destroys only its local socket and sets `lastError`; the listener stays.
 */
import { EventEmitter } from 'node:events';
import { createServer, isIP, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Remote } from '../app/remote.ts';

export interface TunnelOptions {
  node: string;
  /** Target host as the node sees it (default 127.0.0.1: a service on the node itself). */
  host?: string;
  /** Target port on `host`. */
  port: number;
  /** Local port (default 0: any free port). */
  localPort?: number;
  /** Local address (default 127.0.0.1). Anything else is allowed only when given, with a warning. */
  bind?: string;
  /** Give up opening one channel after this long (default 10 s). */
  openTimeoutMs?: number;
  /** Optional name (e.g. the config's tunnel name). */
  name?: string;
}

export interface TunnelConnectionEvent {
  id: number;
  /** The local client's address:port. */
  peer: string;
}

export interface TunnelErrorEvent {
  id: number;
  error: Error;
}

export const DEFAULT_BIND = '127.0.0.1';
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export class Tunnel extends EventEmitter {
  readonly node: string;
  readonly host: string;
  readonly remotePort: number;
  readonly bind: string;
  readonly name?: string;
  /** Set when bound to anything but loopback: other machines can then reach the node's port. */
  readonly warning?: string;
  /** Open local connections right now. */
  connections = 0;
  /** Local connections accepted since the tunnel opened. */
  totalConnections = 0;
  /** Channels that failed to open or broke. */
  failures = 0;
  lastError?: string;
  lastErrorAt?: Date;
  readonly openedAt = new Date();
  private readonly sockets = new Set<Socket>();
  private readonly channels = new Set<Duplex>();
  private closing?: Promise<void>;
  private nextId = 1;

  /** Use openTunnel(); the server is already listening when this runs. */
  constructor(
    private readonly remote: Remote,
    private readonly server: Server,
    o: Required<Pick<TunnelOptions, 'node' | 'host' | 'port' | 'bind' | 'openTimeoutMs'>> & { name?: string; warning?: string },
  ) {
    super();
    this.bound = server.address() as AddressInfo;
    this.node = o.node;
    this.host = o.host;
    this.remotePort = o.port;
    this.bind = o.bind;
    this.openTimeoutMs = o.openTimeoutMs;
    if (o.name !== undefined) this.name = o.name;
    if (o.warning !== undefined) this.warning = o.warning;
    server.on('connection', (s) => this.accept(s));
    // A listener error after listen() (rare: EMFILE on accept) is recorded, never thrown.
    server.on('error', (e) => this.fail(0, e));
  }

  private readonly openTimeoutMs: number;
  private readonly bound: AddressInfo;

  get localPort(): number {
    return this.bound.port;
  }

  /** The listener's real address (what `server.address()` said once listening; kept after close). */
  address(): AddressInfo {
    return { ...this.bound };
  }

  get url(): string {
    const a = this.address();
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `http://${host}:${a.port}`;
  }

  get listening(): boolean {
    return this.server.listening && !this.closing;
  }

  private fail(id: number, err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    this.failures++;
    this.lastError = error.message;
    this.lastErrorAt = new Date();
    // 'error' is only emitted to listeners: an unhandled 'error' event would crash the app.
    if (this.listenerCount('error') > 0) this.emit('error', error, { id, error } satisfies TunnelErrorEvent);
  }

  private accept(sock: Socket): void {
    if (this.closing) {
      sock.destroy();
      return;
    }
    const id = this.nextId++;
    this.connections++;
    this.totalConnections++;
    this.sockets.add(sock);
    sock.setNoDelay(true);
    sock.on('error', () => {}); // local client went away: ends with 'close'
    let channel: Duplex | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      this.connections--;
      this.sockets.delete(sock);
      if (channel) {
        this.channels.delete(channel);
        channel.destroy();
      }
      sock.destroy();
      this.emit('disconnect', { id });
    };
    sock.once('close', finish);
    this.emit('connection', { id, peer: `${sock.remoteAddress}:${sock.remotePort}` } satisfies TunnelConnectionEvent);
    // Hold local data until the channel is open (the socket buffers while paused).
    sock.pause();

    const target = `${this.node}:${this.host === '127.0.0.1' ? '' : `${this.host}:`}${this.remotePort}`;
    const onChannel = (ch: Duplex) => {
      if (finished || this.closing) {
        ch.destroy();
        return;
      }
      channel = ch;
      this.channels.add(ch);
      ch.on('error', (e: Error) => {
        this.fail(id, new Error(`${target}: ${e.message}`));
        finish();
      });
      ch.once('close', finish);
      ch.pipe(sock);
      sock.pipe(ch);
      sock.resume();
    };
    const onFailure = (e: unknown) => {
      if (!finished) this.fail(id, new Error(`${target}: ${e instanceof Error ? e.message : String(e)}`));
      // Reset (not FIN) so the client sees the failure instead of an empty reply.
      if (!sock.destroyed) sock.resetAndDestroy();
      finish();
    };
    // Exactly one of: the channel, its failure, or our timeout. A channel that opens after we
    // gave up is closed at once.
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      onFailure(new Error(`no channel within ${this.openTimeoutMs / 1000} s`));
    }, this.openTimeoutMs);
    let forward: Promise<Duplex>;
    try {
      forward = this.remote.forward(this.node, this.host, this.remotePort);
    } catch (e) {
      forward = Promise.reject(e);
    }
    forward.then(
      (ch) => {
        if (settled) {
          ch.destroy();
          return;
        }
        settled = true;
        clearTimeout(timer);
        onChannel(ch);
      },
      (e: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        onFailure(e);
      },
    );
  }

  /** Stops listening and ends every open connection. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const ch of this.channels) ch.destroy();
      for (const s of this.sockets) s.destroy();
    }).then(() => {
      this.emit('close');
    });
    return this.closing;
  }
}

/** `http://127.0.0.1:LOCAL -> NODE:PORT` (the host is shown when it is not the node itself). */
export function describeTunnel(t: Pick<Tunnel, 'url' | 'node' | 'host' | 'remotePort'>): string {
  const target = t.host === '127.0.0.1' || t.host === 'localhost' ? `${t.node}:${t.remotePort}` : `${t.node}:${t.host}:${t.remotePort}`;
  return `${t.url} -> ${target}`;
}

export function bindWarning(bind: string): string | undefined {
  if (LOOPBACK.has(bind)) return undefined;
  return `tunnel listens on ${bind}, not only on 127.0.0.1: other machines that can reach ${bind} can use it`;
}

/** Opens a local listener (127.0.0.1 unless `bind` is given) forwarding to `host:port` as seen from `node`. */
export async function openTunnel(remote: Remote, o: TunnelOptions): Promise<Tunnel> {
  const bind = o.bind ?? DEFAULT_BIND;
  const host = o.host ?? '127.0.0.1';
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new RangeError(`tunnel: bad remote port ${o.port}`);
  const localPort = o.localPort ?? 0;
  if (!Number.isInteger(localPort) || localPort < 0 || localPort > 65535) throw new RangeError(`tunnel: bad local port ${localPort}`);
  if (bind !== 'localhost' && isIP(bind) === 0) throw new TypeError(`tunnel: bind must be an IP address, got ${JSON.stringify(bind)}`);
  // allowHalfOpen: a client that half-closes after its request (nc -N) still gets the reply.
  const server = createServer({ pauseOnConnect: true, noDelay: true, allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      reject(new Error(e.code === 'EADDRINUSE' ? `tunnel: local port ${bind}:${localPort} is in use` : `tunnel: cannot listen on ${bind}:${localPort}: ${e.message}`, { cause: e }));
    };
    server.once('error', onError);
    server.listen({ host: bind === 'localhost' ? DEFAULT_BIND : bind, port: localPort, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const warning = bindWarning(bind);
  const t = new Tunnel(remote, server, { node: o.node, host, port: o.port, bind, openTimeoutMs: o.openTimeoutMs ?? 10_000, name: o.name, warning });
  if (warning) queueMicrotask(() => t.emit('warning', warning));
  return t;
}
