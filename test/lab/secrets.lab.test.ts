// Secrets in the OS keychain, never in files: the bundled console against the real lab with a
// real Secret Service (a private D-Bus + gnome-keyring, test/helpers/keyring.ts). The lab's
// encrypted identity file is unlocked with a passphrase that lives only in the keychain, and
// that passphrase is the canary: it must never show up in any output, file, screen or argv.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSecretService, type SecretService } from '../helpers/keyring.ts';
import { bundle, tmuxApp, type TmuxApp } from '../helpers/tmux.ts';
import { nodeExec } from './lab.ts';
import { readLab, type LabState } from './state.ts';
import { installUnits } from './units-fixture.ts';

const REF = 'lab-ssh-pass';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let L: LabState;
let ss: SecretService;
let dir: string;
/** The lab config, but SSH (bastion and nodes) through the encrypted key + keychain:lab-ssh-pass. */
let cfg: string;
/** Bastion with the plain key, nodes with the encrypted key + keychain:lab-ssh-pass. */
let mixedCfg: string;
let app: TmuxApp | undefined;
const apps: TmuxApp[] = [];

interface Run {
  args: string[];
  code: number | null;
  out: string;
  err: string;
}
/** Every command of this file, for the "not in any output" check. */
const runs: Run[] = [];
/** Every screen captured from the full-screen app. */
const screens: string[] = [];

/** The env of the bundle: the private keyring's bus and HOME/XDG dirs, nothing of ours (no SSH_AUTH_SOCK). */
function keyringEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...ss.env, XDG_STATE_HOME: join(ss.env.HOME!, '.local', 'state'), ...extra };
}

function cli(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Run {
  const r = spawnSync('node', [bundle, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: opts.env ?? keyringEnv(),
    ...(opts.input !== undefined ? { input: opts.input } : { stdio: ['ignore', 'pipe', 'pipe'] }),
  });
  const run = { args, code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
  runs.push(run);
  return run;
}

/** Runs the bundle asynchronously while `sample` is called every few ms. */
async function cliSampled(args: string[], sample: () => void | Promise<void>, input?: string): Promise<Run> {
  const child = spawn('node', [bundle, ...args], { env: keyringEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdin.end(input ?? '');
  let done = false;
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => ((done = true), resolve(code))));
  while (!done) {
    await sample();
    await sleep(5);
  }
  const run = { args, code: await exited, out, err };
  runs.push(run);
  return run;
}

/** argv (and environment) of every process on this host whose command line mentions opsconsole or the keychain worker. */
const seen = { opsconsole: 0, worker: 0 };
const procLeaks: string[] = [];
function sampleProcs(secret: string): void {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const isApp = cmdline.includes('opsconsole.mjs');
    const isWorker = cmdline.includes("store: 'secret-service'");
    if (!isApp && !isWorker) continue;
    if (isApp) seen.opsconsole++;
    if (isWorker) seen.worker++;
    let environ = '';
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      // gone already
    }
    if (cmdline.includes(secret)) procLeaks.push(`argv of pid ${pid}: ${cmdline.replaceAll('\0', ' ').slice(0, 200)}`);
    if (environ.includes(secret)) procLeaks.push(`environment of pid ${pid}`);
  }
}

/** Regular files under `root` that contain `needle` (plain or base64). */
function filesContaining(root: string, needles: string[]): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const text = readFileSync(p).toString('latin1');
        if (needles.some((n) => text.includes(n))) hits.push(p);
      }
    }
  };
  walk(root);
  return hits;
}

const formsOf = (v: string) => [v, Buffer.from(v).toString('base64').replace(/=+$/, ''), Buffer.from(v).toString('hex')];

function startApp(args: string[], env = keyringEnv()): TmuxApp {
  app = tmuxApp(args, { env });
  apps.push(app);
  return app;
}

async function capture(a: TmuxApp, text: string | RegExp, timeoutMs = 20_000): Promise<string> {
  const s = await a.waitFor(text, timeoutMs);
  screens.push(s);
  return s;
}

interface NodeRow {
  name: string;
  reach: { state: string; reason?: string };
}
const rowsOf = (r: Run) => (JSON.parse(r.out) as { rows: NodeRow[] }).rows;

beforeAll(async () => {
  L = readLab(); // fails loudly when the lab is down: never fall through to the network
  ss = await startSecretService();
  dir = mkdtempSync(join(tmpdir(), 'opsc-secrets-lab-'));
  const base = readFileSync(L.configPath, 'utf8');
  const plain = `identityFile: ${L.clientKey}\n`;
  expect(base.split(plain)).toHaveLength(3); // bastion + ssh
  const encrypted = (indent: string) => `identityFile: ${L.encryptedKey}\n${indent}passphrase: keychain:${REF}\n`;
  cfg = join(dir, 'config.yaml');
  writeFileSync(cfg, base.replaceAll(plain, encrypted('      ')));
  mixedCfg = join(dir, 'mixed.yaml');
  const at = base.lastIndexOf(plain); // the ssh: block (nodes); the bastion keeps the plain key
  writeFileSync(mixedCfg, base.slice(0, at) + encrypted('      ') + base.slice(at + plain.length));
  expect(readFileSync(cfg, 'utf8')).not.toContain(plain);
  expect(readFileSync(cfg, 'utf8')).not.toContain(L.encryptedKeyPassphrase);
  await installUnits('ims'); // opsconsole-tick.timer for an audited action
}, 120_000);

afterEach(() => {
  app?.kill();
  app = undefined;
});

afterAll(async () => {
  for (const a of apps) a.kill();
  await ss?.stop();
});

describe('keychain:NAME resolved for a real SSH driver (the lab passphrase as canary)', () => {
  it('the passphrase from the keychain unlocks the key; it is in no output, file, screen, audit entry or argv', async () => {
    const canary = L.encryptedKeyPassphrase;
    expect(canary.length).toBeGreaterThanOrEqual(16);

    // Without the secret: nothing connects, and the error says how to set it.
    const before = cli(['-c', cfg, 'nodes', '--json']);
    for (const n of rowsOf(before)) {
      expect(n.reach.state).toBe('unreachable');
      expect(n.reach.reason).toContain(`keychain:${REF}`);
      expect(n.reach.reason).toContain(`opsconsole secrets set ${REF} -e lab`);
    }

    const set = await cliSampled(['secrets', 'set', REF, '-e', 'lab', '-c', cfg], () => sampleProcs(canary), `${canary}\n`);
    expect(set.err).toBe('');
    expect(set.out).toContain(`stored keychain:${REF} for lab`);
    expect(set.code).toBe(0);

    const list = cli(['-c', cfg, 'secrets', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`${REF}\\s+lab\\s+keychain\\s+set\\s+`));

    // Every node (and the bastion) connected: the key was decrypted with the keychain's value.
    // The remote side's ps is sampled meanwhile.
    const remotePs: string[] = [];
    let sampling = true;
    const remote = (async () => {
      while (sampling) {
        for (const node of ['ims', 'tracker']) remotePs.push((await nodeExec(node, ['ps', '-eo', 'args'])).stdout);
        await sleep(20);
      }
    })();
    const nodes = await cliSampled(['-c', cfg, 'nodes', '--json'], () => sampleProcs(canary));
    expect(nodes.err).toBe('');
    expect(nodes.code).toBe(0);
    const rows = rowsOf(nodes);
    expect(rows.map((n) => n.name).sort()).toEqual(['bastion', 'ims', 'tracker']);
    for (const n of rows) expect(n.reach, n.name).toMatchObject({ state: 'connected' });

    // An action that writes the audit log, through the same keychain-unlocked key.
    const enable = await cliSampled(['-c', cfg, 'timer', 'enable', 'ims', 'opsconsole-tick.timer', '--yes'], () => sampleProcs(canary));
    expect(enable.code, enable.out + enable.err).toBe(0);
    expect((await nodeExec('ims', ['systemctl', 'is-enabled', 'opsconsole-tick.timer'])).stdout.trim()).toBe('enabled');
    const auditPath = join(keyringEnv().XDG_STATE_HOME!, 'opsconsole', 'audit.jsonl');
    const audit = readFileSync(auditPath, 'utf8');
    expect(audit).toContain('opsconsole-tick.timer');

    // The full-screen app: connected through the keychain, every panel captured.
    const a = startApp(['-c', cfg]);
    const until = Date.now() + 20_000;
    let connected = false;
    const watching = (async () => {
      while (!connected && Date.now() < until) {
        sampleProcs(canary);
        await sleep(5);
      }
    })();
    await capture(a, /ims\s+active\s+connected/, 20_000);
    await capture(a, /tracker\s+active\s+connected/, 10_000);
    connected = true;
    await watching;
    a.press('6');
    const secretsPanel = await capture(a, new RegExp(`${REF}\\s+lab\\s+keychain\\s+set`));
    expect(secretsPanel).toContain('REFERENCED BY');
    a.press('3');
    await capture(a, 'opsconsole-tick.timer');
    a.press('7');
    await capture(a, /timer\.enable|opsconsole-tick\.timer/);
    sampleProcs(canary);
    sampling = false;
    await remote;
    a.press('q');
    await capture(a, 'EXIT=0');

    // The sampling did see the processes it was looking at.
    expect(seen.opsconsole).toBeGreaterThan(0);
    expect(seen.worker).toBeGreaterThan(0);
    expect(remotePs.length).toBeGreaterThan(0);
    expect(remotePs.join('\n')).toContain('sshd');

    // Nowhere:
    const forms = formsOf(canary);
    for (const f of forms) {
      expect(readFileSync(auditPath, 'utf8'), 'audit log').not.toContain(f);
      for (const r of runs) {
        expect(r.out, `stdout of ${r.args.join(' ')}`).not.toContain(f);
        expect(r.err, `stderr of ${r.args.join(' ')}`).not.toContain(f);
      }
      for (const s of screens) expect(s, 'a screen of the app').not.toContain(f);
      expect(remotePs.join('\n'), "the nodes' ps").not.toContain(f);
    }
    expect(procLeaks, 'argv/environment of opsconsole and its keychain worker').toEqual([]);
    expect(filesContaining(ss.env.HOME!, forms), 'files under HOME/XDG of the run').toEqual([]);
    expect(filesContaining(a.home, forms), "files under the tmux run's scratch dir").toEqual([]);
    expect(filesContaining(dir, forms), 'the config dir').toEqual([]);
  });

  it('a wrong passphrase in the keychain: the error names the reference, never the value', () => {
    const wrong = 'wrong-passphrase-7f3a9c21';
    const set = cli(['secrets', 'set', REF, '-e', 'lab', '-c', cfg], { input: wrong });
    expect(set.code).toBe(0);
    try {
      const nodes = cli(['-c', cfg, 'nodes', '--json']);
      const rows = rowsOf(nodes);
      expect(rows).toHaveLength(3);
      for (const n of rows) {
        expect(n.reach.state, n.name).toBe('unreachable');
        expect(n.reach.reason, n.name).toContain(`keychain:${REF}`);
      }
      const check = cli(['-c', cfg, 'check']);
      for (const r of [nodes, check]) {
        for (const v of [wrong, L.encryptedKeyPassphrase]) {
          expect(r.out).not.toContain(v);
          expect(r.err).not.toContain(v);
        }
      }
      expect(check.out).toContain(`keychain:${REF}`);
    } finally {
      cli(['secrets', 'set', REF, '-e', 'lab', '-c', cfg], { input: L.encryptedKeyPassphrase });
    }
  });
});

describe('opsconsole secrets in tmux (the bundle, a real Secret Service)', () => {
  it('set at a hidden prompt, list shows it set, the panel shows set, delete, list shows missing (exit 1)', async () => {
    const value = L.encryptedKeyPassphrase;
    cli(['secrets', 'delete', REF, '-e', 'lab', '-c', cfg]); // from a clean state

    let a = startApp(['secrets', 'set', REF, '-e', 'lab', '-c', cfg]);
    await capture(a, `Value of keychain:${REF} for lab (input hidden):`);
    a.type(value.slice(0, 10));
    await sleep(200);
    a.type(value.slice(10));
    await sleep(300);
    const typed = a.screen();
    screens.push(typed);
    expect(typed).not.toContain(value.slice(0, 10));
    expect(typed).not.toContain(value.slice(10));
    expect(typed).not.toMatch(/\*{4,}/); // not even its length
    a.press('Enter');
    const stored = await capture(a, 'EXIT=0');
    expect(stored).toContain(`stored keychain:${REF} for lab`);
    expect(stored).not.toContain(value);
    a.kill();

    a = startApp(['-c', cfg, 'secrets', 'list']);
    const list = await capture(a, /EXIT=\d+/);
    expect(list).toMatch(new RegExp(`${REF}\\s+lab\\s+keychain\\s+set\\s+`));
    expect(list).toContain('EXIT=0');
    a.kill();

    // The value typed at the prompt is the one the SSH driver gets.
    const nodes = cli(['-c', cfg, 'nodes', '--json']);
    for (const n of rowsOf(nodes)) expect(n.reach.state, n.name).toBe('connected');

    a = startApp(['-c', cfg]);
    await capture(a, /ims\s+active\s+connected/);
    a.press('6');
    const panel = await capture(a, new RegExp(`${REF}\\s+lab\\s+keychain\\s+set`));
    expect(panel).not.toContain(value);
    a.press('q');
    await capture(a, 'EXIT=0');
    a.kill();

    a = startApp(['secrets', 'delete', REF, '-e', 'lab', '-c', cfg]);
    expect(await capture(a, /EXIT=\d+/)).toMatch(new RegExp(`deleted keychain:${REF} for lab[\\s\\S]*EXIT=0`));
    a.kill();

    a = startApp(['-c', cfg, 'secrets', 'list']);
    const after = await capture(a, /EXIT=\d+/);
    expect(after).toMatch(new RegExp(`${REF}\\s+lab\\s+keychain\\s+missing\\s+`));
    expect(after).toContain(`missing: keychain:${REF} for lab: run \`opsconsole secrets set ${REF} -e lab\``);
    expect(after).toContain('EXIT=1');
    a.kill();

    a = startApp(['-c', cfg]);
    await capture(a, /ims\s+/);
    a.press('6');
    await capture(a, new RegExp(`${REF}\\s+lab\\s+keychain\\s+missing`));
    a.press('q');
    await capture(a, 'EXIT=0');

    for (const s of screens) expect(s).not.toContain(value);
  });
});

describe('a locked keychain and no D-Bus', () => {
  it('locked: the Secrets panel says unreadable within the timeout while the console keeps responding', async () => {
    const own = await startSecretService();
    try {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...own.env, XDG_STATE_HOME: join(own.env.HOME!, '.local', 'state') };
      expect(cli(['secrets', 'set', REF, '-e', 'lab', '-c', mixedCfg], { input: L.encryptedKeyPassphrase, env }).code).toBe(0);
      await own.lock();
      const t0 = Date.now();
      const a = startApp(['-c', mixedCfg], env);
      // The bastion (plain key) connects; the nodes' passphrase is behind the locked keychain.
      await capture(a, /bastion\s+active\s+connected/, 20_000);
      const nodes = await capture(a, /ims\s+\S+\s+(unreachable|auth|error)/i, 20_000);
      expect(nodes).not.toMatch(/ims\s+active\s+connected/);
      a.press('6');
      const panel = await capture(a, new RegExp(`${REF}\\s+lab\\s+keychain\\s+unreadable`), 10_000);
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(panel).toContain(REF);
      // Switching panels answers at once.
      for (const [key, text] of [
        ['3', 'SCHEDULE'],
        ['1', 'bastion'],
        ['6', 'REFERENCED BY'],
      ] as const) {
        const t = Date.now();
        a.press(key);
        await capture(a, text, 3000);
        expect(Date.now() - t, `panel ${key}`).toBeLessThan(2000);
      }
      a.press('q');
      await capture(a, 'EXIT=0', 10_000);
      // The CLI says the same, with what to do.
      const list = cli(['-c', mixedCfg, 'secrets', 'list'], { env });
      expect(list.code).toBe(1);
      expect(list.out).toMatch(new RegExp(`${REF}\\s+lab\\s+keychain\\s+unreadable`));
      expect(list.err).toContain('the keychain is locked');
      // The nodes say why they cannot log in: the keychain is locked (not "missing", not "wrong passphrase").
      const rows = rowsOf(cli(['-c', mixedCfg, 'nodes', '--json'], { env }));
      expect(rows.find((n) => n.name === 'bastion')!.reach.state).toBe('connected');
      for (const name of ['ims', 'tracker']) expect(rows.find((n) => n.name === name)!.reach.reason, name).toContain('the keychain is locked');
    } finally {
      await own.stop();
    }
  });

  it('a Secret Service that never answers: the panel turns unreadable within the timeout, the console never freezes, the CLI says it did not answer', async () => {
    const own = await startSecretService();
    try {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...own.env, XDG_STATE_HOME: join(own.env.HOME!, '.local', 'state') };
      expect(cli(['secrets', 'set', REF, '-e', 'lab', '-c', mixedCfg], { input: L.encryptedKeyPassphrase, env }).code).toBe(0);
      own.pause();
      const t0 = Date.now();
      const a = startApp(['-c', mixedCfg], env);
      await capture(a, /bastion\s+active\s+connected/, 20_000);
      // While the keychain calls hang, the keys still answer at once.
      for (const [key, text] of [
        ['6', 'REFERENCED BY'],
        ['3', 'SCHEDULE'],
        ['1', 'bastion'],
        ['6', 'REFERENCED BY'],
      ] as const) {
        const t = Date.now();
        a.press(key);
        await capture(a, text, 3000);
        expect(Date.now() - t, `panel ${key}`).toBeLessThan(2000);
      }
      // The D-Bus client gives up after ~2 s, opsconsole's own keychain timeout is 5 s: unreadable by then.
      await capture(a, new RegExp(`${REF}\\s+lab\\s+keychain\\s+unreadable`), 15_000);
      expect(Date.now() - t0).toBeLessThan(9_000);
      a.press('1');
      await capture(a, /ims\s+\S+\s+unreachable/, 15_000);
      a.press('q');
      await capture(a, 'EXIT=0', 10_000);
      // The CLI says what it means: the keychain did not answer (not a raw D-Bus error).
      const t1 = Date.now();
      const list = cli(['-c', mixedCfg, 'secrets', 'list'], { env });
      expect(Date.now() - t1).toBeLessThan(9_000);
      expect(list.code).toBe(1);
      expect(list.err).toContain('opsconsole: keychain not readable: keychain did not answer: is it locked?');
      expect(list.err).not.toContain('DBus error');
    } finally {
      own.resume();
      await own.stop();
    }
  });

  it('no D-Bus: secrets list prints the clear "no Secret Service" message, exits non-zero, no stack trace', () => {
    const home = mkdtempSync(join(tmpdir(), 'opsc-nobus-'));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_STATE_HOME: join(home, 'state'), XDG_RUNTIME_DIR: join(home, 'run'), DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' };
    const t0 = Date.now();
    const r = cli(['-c', cfg, 'secrets', 'list'], { env });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('no Secret Service on D-Bus: install gnome-keyring (or KeePassXC) and start it, or run with --no-keychain');
    expect(r.out + r.err).not.toMatch(/^\s+at /m);
    expect(r.out + r.err).not.toMatch(/node:internal|\.mjs:\d+/);
    expect(existsSync(join(home, 'state', 'opsconsole', 'audit.jsonl'))).toBe(false);
  });
});
