/**
 * The SSH fleet of one environment: one connection to the bastion, node connections over
 * `forwardOut` through it (or direct), created lazily, shared, reused, dropped when dead and
 * re-made with backoff. Every host key is verified against known_hosts.
 */
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { readFile } from 'node:fs/promises';
import { Backoff } from './backoff.ts';
import { KeyLoader } from './auth.ts';
import type { PassphraseCallback } from './auth.ts';
import { ForwardError, SshConnection, connect, labelOf, secs, sshError } from './connection.ts';
import type { Endpoint } from './connection.ts';
import { HostKeyChangedError, HostKeyUnknownError, SshError } from './errors.ts';
import { trustHostKey } from './known-hosts.ts';
import { cancellableCommand, quoteArgv } from './quote.ts';
import { shellArgs, sshConfigBlocks } from './openssh.ts';

export interface BastionSpec {
  name: string;
  host: string;
  port: number;
  user: string;
  identityFiles: string[];
  passphrase?: PassphraseCallback;
}

export interface NodeSpec {
  name: string;
  host: string;
  port: number;
  user: string;
  identityFiles: string[];
  via: 'bastion' | 'direct';
  passphrase?: PassphraseCallback;
}

export interface FleetOptions {
  bastion?: BastionSpec;
  nodes: NodeSpec[];
  /** known_hosts files to read (the user's, then opsconsole's own). */
  knownHosts: string[];
  /** opsconsole-owned known_hosts that `trust()` appends to; also read for checks. */
  ownKnownHosts: string;
  /** SSH_AUTH_SOCK */
  agent?: string;
  /** sshd MaxSessions of the hosts (OpenSSH default 10). */
  maxSessions: number;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Reconnect backoff after a failed connect (default 500 ms doubling to 10 s). */
  backoff?: { initialMs?: number; maxMs?: number };
}

/** Timings that notice a partitioned bastion or node in ~4 s (LAB.md: 1000 ms x 3 -> 3.7 s). */
export const DEFAULT_SSH_TIMING = {
  maxSessions: 10, // OpenSSH's default MaxSessions
  connectTimeoutMs: 5000,
  keepaliveIntervalMs: 1000,
  keepaliveCountMax: 3,
} as const;

export interface ExecOptions {
  stdin?: string | Buffer;
  /** Rejects with SshError `timeout` and stops the remote command. */
  timeoutMs?: number;
  /** Abort rejects with SshError `aborted` and stops the remote command. */
  signal?: AbortSignal;
}
// "Stops": without stdin the command runs under cancellableCommand() (quote.ts) and is TERMed
// with its process group. With stdin, only the channel is closed (sshd 9.2 ignores `signal`
// requests), so a command that ignores its closed stdin/stdout may keep running.

export interface ExecResult {
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

export interface StreamOptions {
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export type PingResult =
  | { state: 'connected'; latencyMs: number }
  | { state: 'unreachable'; reason: string }
  | { state: 'hostkey-unknown'; fingerprint: string }
  | { state: 'hostkey-changed'; expected: string; actual: string };

interface Entry {
  ep: Endpoint;
  via: 'bastion' | 'direct';
  conn?: SshConnection;
  pending?: Promise<SshConnection>;
  backoff: Backoff;
  lastError?: SshError;
}

const MAX_OUTPUT = 64 * 1024 * 1024;

export class Fleet {
  private readonly entries = new Map<string, Entry>();
  private readonly keys = new KeyLoader();
  private closed = false;

  constructor(readonly opts: FleetOptions) {
    const b = opts.bastion;
    if (b) this.add({ ...b, role: 'bastion' }, 'direct');
    for (const n of opts.nodes) {
      if (this.entries.has(n.name)) throw new SshError(n.name, 'config', `duplicate host name ${n.name}`, `duplicate SSH host name: ${n.name}`);
      if (n.via === 'bastion' && !b) throw new SshError(n.name, 'config', 'no bastion configured', `node ${n.name} is configured via the bastion, but no bastion is configured`);
      this.add({ name: n.name, role: 'node', host: n.host, port: n.port, user: n.user, identityFiles: n.identityFiles, passphrase: n.passphrase }, n.via);
    }
  }

  private add(ep: Endpoint, via: 'bastion' | 'direct'): void {
    this.entries.set(ep.name, { ep, via, backoff: new Backoff(this.opts.backoff) });
  }

  /** Names of all hosts (bastion first). */
  names(): string[] {
    return [...this.entries.keys()];
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw new SshError(name, 'config', 'unknown host', `unknown node ${name} (known: ${this.names().join(', ') || 'none'})`);
    return e;
  }

  private knownHostsFiles(): string[] {
    const files = [...this.opts.knownHosts];
    if (!files.includes(this.opts.ownKnownHosts)) files.push(this.opts.ownKnownHosts);
    return files;
  }

  /** The connection for `name`, made if needed; concurrent callers share one pending connect. */
  connection(name: string): Promise<SshConnection> {
    if (this.closed) return Promise.reject(new SshError(name, 'closed', 'fleet closed', `${name}: SSH fleet is closed`));
    let e: Entry;
    try {
      e = this.entry(name);
    } catch (err) {
      return Promise.reject(err);
    }
    if (e.conn && !e.conn.dead) return Promise.resolve(e.conn);
    e.conn = undefined;
    if (e.pending) return e.pending;
    const wait = e.backoff.waitMs(Date.now());
    if (wait > 0 && e.lastError) {
      const le = e.lastError;
      return Promise.reject(new SshError(le.node, le.code, le.reason, `${le.message} (next attempt in ${secs(wait)})`, { cause: le }));
    }
    const p = this.dial(e).then(
      (conn) => {
        e.pending = undefined;
        e.backoff.succeed();
        e.lastError = undefined;
        if (this.closed) {
          conn.close();
          throw new SshError(name, 'closed', 'fleet closed', `${name}: SSH fleet is closed`);
        }
        e.conn = conn;
        conn.onDead(() => {
          if (e.conn === conn) e.conn = undefined;
        });
        return conn;
      },
      (err: unknown) => {
        e.pending = undefined;
        const se = err instanceof SshError ? err : sshError(e.ep, 'unreachable', String((err as Error)?.message ?? err), err);
        // Back off network failures of this host itself. Host key and auth problems need a person
        // (no retry storm either way: they fail fast); a node failing only because the bastion is
        // down is not backed off on its own, or it would lag behind the bastion's recovery.
        const cause = se.cause;
        const bastionsFault = cause instanceof SshError && cause.node !== e.ep.name && !(cause instanceof ForwardError);
        if (!bastionsFault && (se.code === 'unreachable' || se.code === 'timeout' || se.code === 'channel')) e.backoff.fail(Date.now());
        e.lastError = se;
        throw se;
      },
    );
    e.pending = p;
    return p;
  }

  private common() {
    return {
      knownHosts: this.knownHostsFiles(),
      agent: this.opts.agent,
      maxSessions: this.opts.maxSessions,
      connectTimeoutMs: this.opts.connectTimeoutMs,
      keepaliveIntervalMs: this.opts.keepaliveIntervalMs,
      keepaliveCountMax: this.opts.keepaliveCountMax,
      keys: this.keys,
    };
  }

  private async dial(e: Entry): Promise<SshConnection> {
    if (e.via === 'direct') return connect(e.ep, { ...this.common(), warmup: e.ep.role === 'bastion' });
    const bname = this.opts.bastion!.name;
    let bastion: SshConnection;
    try {
      bastion = await this.connection(bname);
    } catch (err) {
      throw viaBastion(e.ep, err);
    }
    let sock: Duplex;
    try {
      sock = await bastion.forwardOut(e.ep.host, e.ep.port, this.opts.connectTimeoutMs);
    } catch (err) {
      throw viaBastion(e.ep, err);
    }
    const conn = await connect(e.ep, { ...this.common(), sock });
    const unsub = bastion.onDead((be) => conn.markDead(viaBastion(e.ep, be)));
    conn.onDead(() => unsub());
    return conn;
  }

  /** Runs argv on the node (quoted once, POSIX). Rejects with SshError on connection problems. */
  async exec(node: string, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    // With a timeout or an abort signal (and no stdin to pass), wrap the command so that we
    // can really stop it.
    const cancellable = opts.stdin === undefined && (opts.timeoutMs !== undefined || opts.signal !== undefined);
    const cmd = cancellable ? cancellableCommand(argv) : quoteArgv(argv);
    const conn = await this.connection(node);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const overflow = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, overflow.signal]) : overflow.signal;
    const r = await conn.run(cmd, { ...opts, signal, cancelViaStdin: cancellable }, (s, chunk) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) overflow.abort();
      else (s === 'stdout' ? out : err).push(chunk);
    });
    if (overflow.signal.aborted) throw sshError(conn.ep, 'channel', `output of ${argv[0]} exceeds ${MAX_OUTPUT / 1024 / 1024} MB (use stream())`);
    if (r.aborted) throw sshError(conn.ep, 'aborted', `command aborted: ${argv[0]}`);
    const res: ExecResult = { code: r.code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
    if (r.signal) res.signal = r.signal;
    return res;
  }

  /**
   * Runs argv and calls `onLine` for every line of stdout/stderr (no pty: stderr stays apart).
   * Abort (signal) stops the remote command: the command runs under a small `sh` wrapper that
   * sends TERM to its process group when the channel's stdin reaches EOF, because OpenSSH 9.2
   * refuses `signal` requests. Resolves `{code: null, aborted: true}` on abort; a process killed
   * by a signal exits with 128+n (`code`), since the wrapper reports it.
   * Limitation: if the connection dies (partition), the node's sshd closes the session only once
   * it notices (its ClientAlive/TCP timeouts); until then the remote command keeps running.
   */
  async stream(node: string, argv: string[], opts: StreamOptions): Promise<{ code: number | null; signal?: string; aborted?: boolean }> {
    const cmd = cancellableCommand(argv);
    const conn = await this.connection(node);
    const dec = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const rest = { stdout: '', stderr: '' };
    // A throwing onLine stops the command and rejects with its error (instead of crashing ssh2).
    let callbackError: unknown;
    const failed = new AbortController();
    const onLine = (l: string, s: 'stdout' | 'stderr') => {
      if (failed.signal.aborted) return;
      try {
        opts.onLine(l, s);
      } catch (e) {
        callbackError = e;
        failed.abort();
      }
    };
    const emit = (s: 'stdout' | 'stderr', text: string) => {
      const all = rest[s] + text;
      const lines = all.split('\n');
      rest[s] = lines.pop() ?? '';
      for (const l of lines) onLine(l.endsWith('\r') ? l.slice(0, -1) : l, s);
    };
    const signal = opts.signal ? AbortSignal.any([opts.signal, failed.signal]) : failed.signal;
    const r = await conn.run(cmd, { signal, timeoutMs: opts.timeoutMs, cancelViaStdin: true }, (s, chunk) => emit(s, dec[s].write(chunk)));
    if (failed.signal.aborted) throw callbackError;
    for (const s of ['stdout', 'stderr'] as const) {
      const tail = rest[s] + dec[s].end();
      if (tail !== '' && !r.aborted) onLine(tail, s);
    }
    if (failed.signal.aborted) throw callbackError;
    return r;
  }

  /** Uploads a file or buffer atomically (temp file, chmod, rename) with `mode` (default 0600). */
  async sftpPut(node: string, local: string | Buffer, remotePath: string, opts: { mode?: number } = {}): Promise<void> {
    const data = typeof local === 'string' ? await readFile(local) : local;
    const mode = opts.mode ?? 0o600;
    const conn = await this.connection(node);
    const tmp = `${remotePath}.opsconsole-${process.pid}-${Date.now().toString(36)}`;
    await conn.withSftp(async (sftp) => {
      const call = (f: (cb: (err?: Error | null) => void) => void) =>
        new Promise<void>((res, rej) => f((err) => (err ? rej(sftpError(conn, remotePath, err)) : res())));
      await call((cb) => sftp.writeFile(tmp, data, { mode }, (e) => cb(e)));
      try {
        await call((cb) => sftp.chmod(tmp, mode, (e) => cb(e)));
        try {
          await call((cb) => sftp.ext_openssh_rename(tmp, remotePath, (e) => cb(e)));
        } catch {
          await call((cb) => sftp.rename(tmp, remotePath, (e) => cb(e)));
        }
      } catch (e) {
        sftp.unlink(tmp, () => {});
        throw e;
      }
    });
  }

  /** Downloads a remote file. */
  async sftpGet(node: string, remotePath: string): Promise<Buffer> {
    const conn = await this.connection(node);
    return conn.withSftp(
      (sftp) =>
        new Promise<Buffer>((res, rej) => sftp.readFile(remotePath, (err, buf) => (err ? rej(sftpError(conn, remotePath, err)) : res(buf)))),
    );
  }

  /** A TCP channel opened from `node` (or from the bastion, by its name) to host:port. */
  async forward(node: string, host: string, port: number): Promise<Duplex> {
    const conn = await this.connection(node);
    return conn.forwardOut(host, port, this.opts.connectTimeoutMs);
  }

  /**
   * Connects (if needed) and measures one command round trip (`true`). Never throws. A host that
   * refuses exec (a forwarding-only bastion) still counts as connected: the refusal is a round trip.
   */
  async ping(node: string): Promise<PingResult> {
    let conn: SshConnection;
    try {
      conn = await this.connection(node);
    } catch (e) {
      return pingError(e);
    }
    const t0 = performance.now();
    try {
      await conn.run('true', { timeoutMs: this.opts.connectTimeoutMs }, () => {});
    } catch (e) {
      if (!(e instanceof SshError && e.code === 'channel')) return pingError(e);
    }
    return { state: 'connected', latencyMs: Math.round((performance.now() - t0) * 10) / 10 };
  }

  /** Appends the host key of `node` to opsconsole's own known_hosts (after a person checked it). */
  trust(node: string, key: Buffer): void {
    const { ep } = this.entry(node);
    trustHostKey(this.opts.ownKnownHosts, ep.host, ep.port, key);
  }

  /** argv for OpenSSH to open an interactive shell on `node` (same hops, keys and known_hosts). */
  shellArgs(node: string, command?: string[]): string[] {
    const e = this.entry(node);
    const b = e.via === 'bastion' ? this.entry(this.opts.bastion!.name).ep : undefined;
    return shellArgs({ target: e.ep, bastion: b, knownHosts: this.knownHostsFiles(), agent: this.opts.agent, command });
  }

  /** Ready-to-paste OpenSSH Host blocks (ProxyJump through the bastion) for every host. */
  sshConfigBlocks(): string {
    const hosts = [...this.entries.values()].map((e) => ({ ep: e.ep, via: e.via }));
    return sshConfigBlocks({ hosts, bastionName: this.opts.bastion?.name, knownHosts: this.knownHostsFiles(), agent: this.opts.agent });
  }

  /** Drops the cached connection of `name` (e.g. after trusting a new key). */
  disconnect(name: string): void {
    const e = this.entry(name);
    e.conn?.close();
    e.conn = undefined;
    e.backoff.succeed();
    e.lastError = undefined;
  }

  /** Ends every connection; pending and later calls reject with `closed`. */
  async close(): Promise<void> {
    this.closed = true;
    const nodesFirst = [...this.entries.values()].sort((a, b) => (a.ep.role === 'bastion' ? 1 : 0) - (b.ep.role === 'bastion' ? 1 : 0));
    for (const e of nodesFirst) {
      e.conn?.close();
      e.conn = undefined;
    }
    await Promise.allSettled([...this.entries.values()].map((e) => e.pending));
  }
}

function viaBastion(ep: Endpoint, err: unknown): SshError {
  if (!(err instanceof SshError)) return sshError(ep, 'unreachable', String((err as Error)?.message ?? err), err);
  if (err.node === ep.name) return err;
  const code = err.code === 'hostkey-unknown' || err.code === 'hostkey-changed' || err.code === 'auth' || err.code === 'channel' ? 'unreachable' : err.code;
  // A failed forward names the target ("cannot reach 10.203.1.11:22 from bastion …: Connection
  // refused"); anything else is about the bastion itself ("bastion 10.203.0.2:22 refused connection").
  const reason = err instanceof ForwardError ? err.reason : err.message;
  return new SshError(ep.name, code, reason, `${labelOf(ep)} unreachable: ${reason}`, { cause: err });
}

function sftpError(conn: SshConnection, path: string, err: Error): SshError {
  return sshError(conn.ep, 'channel', `sftp ${path}: ${err.message}`, err);
}

function pingError(e: unknown): PingResult {
  if (e instanceof HostKeyUnknownError) return { state: 'hostkey-unknown', fingerprint: e.fingerprint };
  if (e instanceof HostKeyChangedError) return { state: 'hostkey-changed', expected: e.revoked ? '(key is revoked)' : e.expected.join(', '), actual: e.actual };
  return { state: 'unreachable', reason: e instanceof Error ? e.message : String(e) };
}
