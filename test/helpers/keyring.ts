/**
 * A real, private Secret Service for tests: its own D-Bus session bus (a minimal config with
 * no service directories, so nothing gets auto-activated) and its own gnome-keyring-daemon,
 * with HOME and XDG dirs in a tmp dir so the user's keyring is never touched.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TOOLS = ['dbus-daemon', 'gnome-keyring-daemon', 'dbus-send', 'gdbus'];

/** Names of the tools this helper needs that are not on PATH. */
export function missingKeyringTools(): string[] {
  return TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
}

/** Throws a loud error (never a silent skip) when the Secret Service tools are missing. */
export function requireKeyringTools(): void {
  const missing = missingKeyringTools();
  if (missing.length > 0) {
    throw new Error(
      `keychain tests need a real Secret Service but ${missing.join(', ')} is missing: apt-get install dbus gnome-keyring libsecret-tools`,
    );
  }
}

export interface SecretService {
  /** Pass to createKeychain({ env }) (merged over process.env). */
  env: Record<string, string>;
  dir: string;
  /** Locks the default ("login") collection through the Secret Service API. */
  lock(): Promise<void>;
  /** SIGSTOP / SIGCONT the daemon: a Secret Service that never answers. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 5000): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: timeoutMs, encoding: 'utf8' }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}

function started(child: ChildProcess): ChildProcess {
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 2000);
  await gone;
  clearTimeout(t);
}

const BUS_CONFIG = (socket: string) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

/** Starts a private bus; with `keyring` (default) also an unlocked gnome-keyring on it. */
export async function startSecretService(opts: { keyring?: boolean; password?: string } = {}): Promise<SecretService> {
  requireKeyringTools();
  const dir = mkdtempSync(join(tmpdir(), 'opsc-keyring-'));
  const home = join(dir, 'home');
  const runtime = join(dir, 'run');
  mkdirSync(home);
  mkdirSync(runtime);
  chmodSync(runtime, 0o700);
  const socket = join(dir, 'bus');
  writeFileSync(join(dir, 'bus.conf'), BUS_CONFIG(socket));

  const bus = started(spawn('dbus-daemon', [`--config-file=${join(dir, 'bus.conf')}`, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const t = setTimeout(() => reject(new Error(`dbus-daemon did not start: ${err}`)), 5000);
    bus.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    bus.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) {
        clearTimeout(t);
        resolve(out.trim());
      }
    });
    bus.on('exit', (code) => reject(new Error(`dbus-daemon exited (${code}): ${err}`)));
  });

  const env: Record<string, string> = {
    DBUS_SESSION_BUS_ADDRESS: address,
    XDG_RUNTIME_DIR: runtime,
    HOME: home,
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
  const fullEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...env };

  let daemon: ChildProcess | undefined;
  const stop = async () => {
    if (daemon) await stopChild(daemon);
    await stopChild(bus);
    rmSync(dir, { recursive: true, force: true });
  };

  if (opts.keyring !== false) {
    daemon = started(
      spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env: fullEnv, stdio: ['pipe', 'ignore', 'pipe'] }),
    );
    let derr = '';
    daemon.stderr!.on('data', (c: Buffer) => (derr += c.toString()));
    daemon.stdin!.end(opts.password ?? 'test-keyring-password');
    const until = Date.now() + 10_000;
    for (;;) {
      const r = await run(
        'dbus-send',
        ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'],
        fullEnv,
      );
      if (r.out.includes('boolean true')) break;
      if (daemon.exitCode !== null || Date.now() > until) {
        await stop();
        throw new Error(`gnome-keyring-daemon did not come up on the private bus: ${derr || r.err}`);
      }
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  return {
    env,
    dir,
    async lock() {
      const r = await run(
        'gdbus',
        ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets', '--method', 'org.freedesktop.Secret.Service.Lock', "['/org/freedesktop/secrets/collection/login']"],
        fullEnv,
      );
      if (r.code !== 0) throw new Error(`could not lock the test keyring: ${r.err}`);
    },
    pause: () => daemon?.kill('SIGSTOP'),
    resume: () => daemon?.kill('SIGCONT'),
    stop,
  };
}

/** A unix socket that accepts connections and never says a word: a D-Bus that never replies. */
export async function startSilentBus(): Promise<{ address: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsc-silent-'));
  const path = join(dir, 'bus');
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(path, r));
  return {
    address: `unix:path=${path}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
