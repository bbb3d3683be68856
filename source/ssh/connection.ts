/**
 * One authenticated ssh2 connection (to the bastion, or to a node over a forwarded channel),
 * with a channel queue honouring the server's MaxSessions, retry on "open failed", and a
 * single "dead" signal that rejects everything in flight with a clear SshError.
 */
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel, ConnectConfig, SFTPWrapper } from 'ssh2';
import pLimit from 'p-limit';
import { checkHostKey, knownKeyTypes } from './known-hosts.ts';
import { HostKeyChangedError, HostKeyUnknownError, SshError, hostPort } from './errors.ts';
import type { SshErrorCode } from './errors.ts';
import { KeyLoader, makeAuthHandler } from './auth.ts';
import type { PassphraseCallback } from './auth.ts';

export interface Endpoint {
  name: string;
  role: 'bastion' | 'node';
  host: string;
  port: number;
  user: string;
  identityFiles: readonly string[];
  passphrase?: PassphraseCallback;
}

export interface ConnectOptions {
  knownHosts: readonly string[];
  agent?: string;
  maxSessions: number;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  keys: KeyLoader;
  /** A forwarded channel through the bastion; without it a TCP connection is made. */
  sock?: Duplex;
  /** Run one cheap exec after connecting (sshd disables Nagle only once a session starts). */
  warmup?: boolean;
}

export interface RunOptions {
  stdin?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * The command was wrapped with `cancellableCommand()`: keep stdin open while it runs and
   * send EOF to stop it (sshd 9.2 refuses `signal` requests; see quote.ts).
   */
  cancelViaStdin?: boolean;
}

export interface RunResult {
  code: number | null;
  signal?: string;
  aborted?: boolean;
}

export function labelOf(ep: Pick<Endpoint, 'role' | 'name' | 'host' | 'port'>): string {
  return ep.role === 'bastion' ? `bastion ${hostPort(ep.host, ep.port)}` : `node ${ep.name}`;
}

export function sshError(ep: Endpoint, code: SshErrorCode, reason: string, cause?: unknown): SshError {
  const label = labelOf(ep);
  let message: string;
  if (reason === 'refused connection') message = `${label} refused connection`;
  else if (code === 'unreachable' || code === 'timeout') message = `${label} unreachable: ${reason}`;
  else message = `${label}: ${reason}`;
  return new SshError(ep.name, code, reason, message, cause === undefined ? undefined : { cause });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

const DEFAULT_HOST_KEY_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Host key algorithms with the types already known for the host first (as OpenSSH orders them). */
export function hostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const pref: string[] = [];
  for (const t of knownTypes) {
    const algos = t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t];
    for (const a of algos) if (DEFAULT_HOST_KEY_ALGOS.includes(a) && !pref.includes(a)) pref.push(a);
  }
  return [...pref, ...DEFAULT_HOST_KEY_ALGOS.filter((a) => !pref.includes(a))];
}

/** Maps an ssh2 / socket error to a reason a person can act on. */
export function classifyError(err: unknown, connectTimeoutMs: number): { code: SshErrorCode; reason: string } {
  const e = err as (Error & { code?: string | number; level?: string }) | undefined;
  if (!e) return { code: 'unreachable', reason: 'connection closed' };
  const msg = e.message ?? String(e);
  switch (e.code) {
    case 'ECONNREFUSED':
      return { code: 'unreachable', reason: 'refused connection' };
    case 'ETIMEDOUT':
      return { code: 'timeout', reason: 'TCP connect timed out' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return { code: 'unreachable', reason: `no route to host (${e.code})` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'unreachable', reason: `cannot resolve host name (${e.code})` };
    case 'ECONNRESET':
    case 'EPIPE':
      return { code: 'unreachable', reason: 'connection reset' };
  }
  if (/keepalive timeout/i.test(msg)) return { code: 'unreachable', reason: 'keepalive timeout' };
  if (/waiting for handshake/i.test(msg)) return { code: 'timeout', reason: `no SSH handshake within ${secs(connectTimeoutMs)}` };
  if (e.level === 'client-authentication') return { code: 'auth', reason: 'authentication failed' };
  return { code: 'unreachable', reason: msg };
}

export function secs(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** RFC 4254 channel open failure reason codes; sshd often sends only "open failed" as text. */
const OPEN_FAILURE_REASONS: Record<number, string> = {
  1: 'administratively prohibited: not allowed by the server (PermitOpen/AllowTcpForwarding)',
  2: 'connect failed',
  3: 'unknown channel type',
  4: 'resource shortage',
};

function isOpenFailure(e: unknown): boolean {
  return e instanceof Error && /Channel open failure|open failed|No response from server/i.test(e.message) && !/prohibited/i.test(e.message);
}

/**
 * `forwardOut` failed: the hop is fine, the target behind it is not. `message` is prefixed with
 * the hop (`node ims: cannot reach 127.0.0.1:8080: Connection refused`); `reason` names the hop
 * inside, for a node reached through it (`cannot reach 10.203.1.11:22 from bastion …: …`).
 */
export class ForwardError extends SshError {
  override readonly name = 'ForwardError';
  constructor(hop: SshConnection, code: SshErrorCode, what: string, reason: string, cause?: unknown) {
    super(hop.ep.name, code, reason, `${hop.label}: ${what}`, cause === undefined ? undefined : { cause });
  }
}

export class SshConnection {
  dead: SshError | undefined;
  readonly label: string;
  private readonly listeners = new Set<(e: SshError) => void>();
  private readonly limit: ReturnType<typeof pLimit>;
  private lastError: unknown;
  /** How many channel opens had to be retried (MaxSessions), for tests and diagnostics. */
  openRetries = 0;

  constructor(
    readonly ep: Endpoint,
    readonly client: Client,
    private readonly sock: Duplex | undefined,
    private readonly opts: ConnectOptions,
  ) {
    this.label = labelOf(ep);
    this.limit = pLimit(Math.max(1, opts.maxSessions));
    client.on('error', (e) => {
      this.lastError = e;
      // ssh2 emits the keepalive error, then destroys the socket: die right away.
      if (/keepalive timeout/i.test(e.message)) this.die();
    });
    // A crashed node emits `end` but no `close` on the inner client: treat `end` as death.
    client.on('end', () => this.die());
    client.on('close', () => this.die());
    sock?.on('close', () => this.die());
  }

  private die(): void {
    if (this.dead) return;
    const { code, reason } = classifyError(this.lastError, this.opts.connectTimeoutMs);
    this.markDead(sshError(this.ep, code, this.lastError ? reason : 'connection closed by the server', this.lastError));
  }

  /** Marks the connection dead, rejects everything in flight and tears down the sockets. */
  markDead(err: SshError): void {
    if (this.dead) return;
    this.dead = err;
    const ls = [...this.listeners];
    this.listeners.clear();
    for (const l of ls) l(err);
    try {
      this.client.end();
    } catch {}
    try {
      this.sock?.destroy();
    } catch {}
    setTimeout(() => {
      try {
        this.client.destroy();
      } catch {}
    }, 1000).unref?.();
  }

  /** Subscribers waiting for this connection to die (in-flight work); for leak checks. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  onDead(cb: (e: SshError) => void): () => void {
    if (this.dead) {
      queueMicrotask(() => cb(this.dead!));
      return () => {};
    }
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Opens a channel, retrying "open failed" (MaxSessions reached by other clients) with backoff. */
  private async openWithRetry<T>(
    what: string,
    open: (cb: (err: Error | undefined, ch: T) => void) => void,
    signal?: AbortSignal,
    /** Called synchronously in ssh2's callback: events emitted before our await resumes would be lost. */
    attach?: (ch: T) => void,
  ): Promise<T> {
    // sshd frees a session slot a little after the channel closes, so "open failed" is usually
    // transient even with our queue at MaxSessions: retry for a while with a short backoff.
    let delay = 20;
    const deadline = Date.now() + Math.max(10_000, this.opts.connectTimeoutMs * 2);
    for (let attempt = 1; ; attempt++) {
      if (this.dead) throw this.dead;
      if (signal?.aborted) throw sshError(this.ep, 'aborted', `${what} aborted`);
      try {
        return await new Promise<T>((resolve, reject) => {
          const unsub = this.onDead(reject);
          try {
            open((err, ch) => {
              unsub();
              if (err) reject(err);
              else {
                attach?.(ch);
                resolve(ch);
              }
            });
          } catch (e) {
            unsub();
            reject(e);
          }
        });
      } catch (e) {
        if (e instanceof SshError) throw e;
        if (!isOpenFailure(e) || Date.now() + delay > deadline) {
          throw sshError(this.ep, 'channel', `cannot open ${what} channel: ${(e as Error).message}`, e);
        }
        this.openRetries++;
        await sleep(delay);
        delay = Math.min(delay * 2, 250);
      }
    }
  }

  /**
   * Runs `command` (already quoted) in a session channel. Output goes to `sink` as it arrives.
   * The channel's queue slot is held until the channel is really closed.
   */
  run(command: string, opts: RunOptions, sink: (stream: 'stdout' | 'stderr', chunk: Buffer) => void): Promise<RunResult> {
    let outer!: { resolve: (r: RunResult) => void; reject: (e: unknown) => void };
    const result = new Promise<RunResult>((resolve, reject) => (outer = { resolve, reject }));
    const task = this.limit(async () => {
      let ch: ClientChannel;
      // exit-status can arrive in the same read as the exec reply: listen before any await.
      let code: number | null = null;
      let sig: string | undefined;
      const onExit = (c: number | null, s?: string) => {
        if (typeof c === 'number') code = c;
        else if (s) sig = s;
      };
      try {
        ch = await this.openWithRetry<ClientChannel>('exec', (cb) => this.client.exec(command, { pty: false }, cb), opts.signal, (c) =>
          c.on('exit', onExit),
        );
      } catch (e) {
        outer.reject(e);
        return;
      }
      const closed = new Promise<void>((r) => ch.once('close', () => r()));
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        settled = true;
        unsub();
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const stop = () => {
        // No pty: the remote process would outlive the channel. Ask sshd to signal it (refused by
        // OpenSSH 9.2, honoured elsewhere), send EOF (the cancel wrapper then TERMs the process
        // group), and close the channel shortly after.
        try {
          ch.signal('TERM');
        } catch {}
        try {
          ch.end();
        } catch {}
        setTimeout(() => {
          try {
            ch.close();
          } catch {}
        }, opts.cancelViaStdin ? 1000 : 0).unref?.();
      };
      const unsub = this.onDead((e) => {
        if (settled) return;
        cleanup();
        try {
          ch.destroy();
        } catch {}
        outer.reject(e);
      });
      const onAbort = () => {
        if (settled) return;
        cleanup();
        stop();
        outer.resolve({ code: null, aborted: true });
      };
      if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
        timer = setTimeout(() => {
          if (settled) return;
          cleanup();
          stop();
          outer.reject(sshError(this.ep, 'timeout', `command timed out after ${secs(opts.timeoutMs!)}`));
        }, opts.timeoutMs);
      }
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.signal?.aborted) onAbort();
      ch.on('data', (d: Buffer) => {
        if (!settled) sink('stdout', d);
      });
      ch.stderr.on('data', (d: Buffer) => {
        if (!settled) sink('stderr', d);
      });
      ch.once('close', () => {
        if (settled) return;
        cleanup();
        outer.resolve(sig ? { code, signal: sig } : { code });
      });
      ch.on('error', () => {});
      if (!settled) {
        if (opts.stdin !== undefined) ch.end(opts.stdin);
        else if (!opts.cancelViaStdin) ch.end();
      }
      // Keep the slot until sshd has released the session (bounded, so a lost close can't wedge the queue).
      let unsubSlot = () => {};
      await Promise.race([closed, sleep(2000), new Promise<void>((r) => (unsubSlot = this.onDead(() => r())))]);
      unsubSlot();
    });
    task.catch(() => {});
    return result;
  }

  /** Runs `fn` with an SFTP session (one queue slot), closing it afterwards. */
  withSftp<T>(fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    return this.limit(async () => {
      const sftp = await this.openWithRetry<SFTPWrapper>('sftp', (cb) => this.client.sftp(cb));
      sftp.on('error', () => {});
      let unsub = () => {};
      try {
        return await Promise.race([
          fn(sftp),
          new Promise<never>((_, reject) => {
            unsub = this.onDead(reject);
          }),
        ]);
      } finally {
        unsub();
        try {
          sftp.end();
        } catch {}
      }
    });
  }

  /** A direct-tcpip channel from this host to host:port, with our own timeout (ssh2 has none). */
  forwardOut(host: string, port: number, timeoutMs: number): Promise<ClientChannel> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<ClientChannel>((resolve, reject) => {
      let done = false;
      const unsub = this.onDead((e) => finish(e));
      const timer = setTimeout(
        () => {
          const what = `no answer from ${hostPort(host, port)} within ${secs(timeoutMs)}`;
          finish(new ForwardError(this, 'timeout', what, `${what} (forwarding through ${this.label})`));
        },
        timeoutMs,
      );
      const finish = (err: unknown, ch?: ClientChannel) => {
        if (done) {
          ch?.destroy();
          return;
        }
        done = true;
        clearTimeout(timer);
        unsub();
        if (err) reject(err);
        else resolve(ch!);
      };
      try {
        this.client.forwardOut('127.0.0.1', 0, host, port, (err, ch) => {
          if (err) {
            const m = err.message.replace(/^\(SSH\) Channel open failure: /, '');
            const target = hostPort(host, port);
            const why = OPEN_FAILURE_REASONS[(err as Error & { reason?: number }).reason ?? 0];
            const detail = (m || 'open failed') + (why && !m.toLowerCase().includes(why.split(' ')[0]!) ? ` (${why})` : '');
            finish(new ForwardError(this, 'channel', `cannot reach ${target}: ${detail}`, `cannot reach ${target} from ${this.label}: ${detail}`, err), undefined);
            return;
          }
          ch.on('error', () => {});
          // ssh2 does not close channels of a connection we declare dead, and its channels do not
          // emit 'close' on destroy (emitClose: false): fail the channel with the reason and close it.
          let closed = false;
          const unsubCh = this.onDead((e) => {
            if (closed) return;
            (ch as unknown as Duplex).destroy(e);
            process.nextTick(() => {
              if (!closed) ch.emit('close');
            });
          });
          ch.once('close', () => {
            closed = true;
            unsubCh();
          });
          finish(undefined, ch);
        });
      } catch (e) {
        finish(e);
      }
    });
  }

  close(): void {
    this.markDead(sshError(this.ep, 'closed', 'connection closed by opsconsole'));
  }
}

/** Connects and authenticates; always verifies the host key against known_hosts. */
export async function connect(ep: Endpoint, o: ConnectOptions): Promise<SshConnection> {
  const { Client: ClientCtor } = (await import('ssh2')).default;
  const client = new ClientCtor();
  let verdict: SshError | undefined;
  const tried: string[] = [];
  const keyErrors: Error[] = [];
  const knownTypes = knownKeyTypes(o.knownHosts, ep.host, ep.port);
  const cfg: ConnectConfig = {
    username: ep.user,
    readyTimeout: o.connectTimeoutMs,
    keepaliveInterval: o.keepaliveIntervalMs,
    keepaliveCountMax: o.keepaliveCountMax,
    algorithms: { serverHostKey: hostKeyAlgorithms(knownTypes) as never },
    hostVerifier: (key: Buffer) => {
      const r = checkHostKey(o.knownHosts, ep.host, ep.port, key);
      if (r.state === 'known') return true;
      verdict =
        r.state === 'unknown'
          ? new HostKeyUnknownError(ep.name, ep.host, ep.port, r.fingerprint, Buffer.from(key))
          : new HostKeyChangedError(ep.name, ep.host, ep.port, r.expected, r.actual, r.revoked);
      return false;
    },
    authHandler: makeAuthHandler({ user: ep.user, agent: o.agent, identityFiles: ep.identityFiles, passphrase: ep.passphrase }, o.keys, tried, (e) =>
      keyErrors.push(e),
    ),
  };
  if (o.sock) cfg.sock = o.sock as ConnectConfig['sock'];
  else {
    cfg.host = ep.host;
    cfg.port = ep.port;
  }
  const conn = await new Promise<SshConnection>((resolve, reject) => {
    let settled = false;
    let lastErr: unknown;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (verdict) err = verdict;
      else if (!(err instanceof SshError)) {
        const { code, reason } = classifyError(err, o.connectTimeoutMs);
        if (code === 'auth') {
          const extra = keyErrors.map((k) => k.message).join('; ');
          const what = tried.length ? tried.join(', ') : 'nothing (no agent, no readable identity file)';
          err = sshError(ep, 'auth', `authentication as ${ep.user} failed (tried ${what})${extra ? `: ${extra}` : ''}`, err);
        } else err = sshError(ep, code, reason, err);
      }
      try {
        client.end();
        client.destroy();
      } catch {}
      o.sock?.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(sshError(ep, 'timeout', `no SSH handshake within ${secs(o.connectTimeoutMs)}`)), o.connectTimeoutMs + 250);
    client.on('error', (e) => {
      lastErr = e;
      fail(e);
    });
    client.on('end', () => {
      o.sock?.destroy();
      fail(lastErr);
    });
    client.on('close', () => fail(lastErr));
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.removeAllListeners('error').removeAllListeners('end').removeAllListeners('close');
      client.setNoDelay(true);
      resolve(new SshConnection(ep, client, o.sock, o));
    });
    try {
      client.connect(cfg);
    } catch (e) {
      fail(e);
    }
  });
  if (o.warmup) {
    // Errors are fine here (a bastion may forbid exec): this only primes the TCP path.
    await conn.run('true', { timeoutMs: 2000 }, () => {}).catch(() => {});
  }
  return conn;
}
