// The bundled console against the real lab: the CLI and the full-screen app, as users run them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundle, tmuxApp, type TmuxApp } from '../helpers/tmux.ts';
import { nodeExec } from './lab.ts';
import { readLab, type LabState } from './state.ts';
import { attachFullDisk } from './vitals-remote.ts';

let L: LabState;
let app: TmuxApp | undefined;

beforeAll(() => {
  L = readLab(); // fails loudly when the lab is down: never fall through to the network
});

afterEach(() => {
  app?.kill();
  app = undefined;
});

function cli(args: string[], env: Record<string, string> = {}) {
  const home = env.HOME ?? mkdtempSync(join(tmpdir(), 'opsc-lab-'));
  const r = spawnSync('node', [bundle, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(home, 'state'), ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface NodeRow {
  name: string;
  reach: { state: string; latencyMs?: number; fingerprint?: string };
  vitals?: { cores: number; system: string; mounts?: { path: string; usedPct: number }[] };
  health?: { severity: string; findings: { what: string; severity: string }[] };
}

describe('opsconsole against the lab', () => {
  it('nodes --json: every node reachable through the bastion, with real vitals', async () => {
    const r = cli(['-c', L.configPath, 'nodes', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.out) as { rows: NodeRow[] }).rows;
    expect(rows.map((n) => n.name).sort()).toEqual(['bastion', 'ims', 'tracker']);
    for (const n of rows) {
      expect(n.reach.state).toBe('connected');
      const nproc = n.name === 'bastion' ? spawnSync('nproc', { encoding: 'utf8' }).stdout.trim() : (await nodeExec(n.name, ['nproc'])).stdout.trim();
      expect(n.vitals!.cores).toBe(Number(nproc));
    }
  });

  it('a nearly full mount turns the node critical in --json and in check\'s exit code', async () => {
    const disk = await attachFullDisk('tracker', '/srv/data', 93);
    try {
      const nodes = cli(['-c', L.configPath, 'nodes', '--json']);
      const tracker = (JSON.parse(nodes.out) as { rows: NodeRow[] }).rows.find((n) => n.name === 'tracker')!;
      expect(tracker.health!.findings).toContainEqual(expect.objectContaining({ what: 'disk /srv/data', severity: 'critical' }));
      const check = cli(['-c', L.configPath, 'check']);
      expect(check.code).toBe(2);
      expect(check.out).toMatch(/CRIT\s+Nodes\s+tracker: disk \/srv\/data at \d+ \(limit 90\)/);
    } finally {
      await disk.cleanup();
    }
    expect(cli(['-c', L.configPath, 'check']).out).not.toContain('disk /srv/data');
  });

  it('ssh NODE -- CMD runs on the node through the bastion; ssh-config prints ProxyJump blocks', () => {
    const r = cli(['-c', L.configPath, 'ssh', 'ims', '--', 'hostname']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe('ims');
    const cfg = cli(['-c', L.configPath, 'ssh-config']);
    expect(cfg.code).toBe(0);
    expect(cfg.out).toMatch(/Host ims\n(\s+\S.*\n)*\s+ProxyJump bastion/);
    expect(cfg.out).toContain(`HostName ${L.nodes.find((n) => n.name === 'ims')!.address}`);
  });

  it('an unknown host key is refused until `ssh trust` shows its fingerprint and it is accepted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsc-trust-'));
    const empty = join(dir, 'known_hosts');
    writeFileSync(empty, '');
    const config = join(dir, 'config.yaml');
    writeFileSync(config, readFileSync(L.configPath, 'utf8').replaceAll(L.knownHosts, empty));
    const home = join(dir, 'home');
    const before = cli(['-c', config, 'nodes', '--json'], { HOME: home });
    const bastion = (JSON.parse(before.out) as { rows: NodeRow[] }).rows.find((n) => n.name === 'bastion')!;
    expect(bastion.reach).toEqual({ state: 'hostkey-unknown', fingerprint: L.bastion.hostKeyFingerprint });
    const noTty = cli(['-c', config, 'ssh', 'trust', 'ims'], { HOME: home });
    expect(noTty.code).toBe(1);
    expect(noTty.out).toContain(L.bastion.hostKeyFingerprint);
    const trust = cli(['-c', config, 'ssh', 'trust', 'ims', '--yes'], { HOME: home });
    expect(trust.code).toBe(0);
    expect(trust.out).toContain(`trusted bastion (${L.bastion.hostKeyFingerprint})`);
    expect(trust.out).toContain(`trusted ims (${L.nodes.find((n) => n.name === 'ims')!.hostKeyFingerprint})`);
    const after = cli(['-c', config, 'ssh', 'ims', '--', 'hostname'], { HOME: home });
    expect(after.out.trim()).toBe('ims');
  });

  it('a changed host key is refused, loudly, naming both fingerprints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsc-changed-'));
    const kh = join(dir, 'known_hosts');
    const other = join(dir, 'other');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const otherKey = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const lines = readFileSync(L.knownHosts, 'utf8').split('\n').map((l) => (l.startsWith(`${L.nodes[0]!.address} `) ? `${L.nodes[0]!.address} ${otherKey}` : l));
    writeFileSync(kh, lines.join('\n'));
    const config = join(dir, 'config.yaml');
    writeFileSync(config, readFileSync(L.configPath, 'utf8').replaceAll(L.knownHosts, kh));
    const r = cli(['-c', config, 'check']);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`${L.nodes[0]!.name}: HOST KEY CHANGED: expected`);
    expect(r.out).toContain(L.nodes[0]!.hostKeyFingerprint);
  });
});

describe('the console in tmux against the lab', () => {
  it('s on a node hands the terminal to a shell on it, and the console comes back when it exits', async () => {
    app = tmuxApp(['-c', L.configPath]);
    await app.waitFor(/ims\s+active\s+connected/, 20_000);
    app.press('/');
    app.type('tracker');
    app.press('Enter');
    await app.waitForGone(/ims\s+active/);
    app.press('s');
    await app.waitFor(/root@tracker|tracker.*[#$] $/m, 20_000);
    app.type('hostname');
    app.press('Enter');
    await app.waitFor(/^tracker$/m);
    app.type('exit');
    app.press('Enter');
    const back = await app.waitFor(/tracker\s+active\s+connected/, 20_000);
    expect(back).toContain('lab');
    app.press('q');
    await app.waitFor('EXIT=0');
  });

  it('T on a node with an unknown host key shows the fingerprint, asks, and trusts it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsc-trust-app-'));
    const empty = join(dir, 'known_hosts');
    writeFileSync(empty, '');
    const config = join(dir, 'config.yaml');
    writeFileSync(config, readFileSync(L.configPath, 'utf8').replaceAll(L.knownHosts, empty));
    app = tmuxApp(['-c', config]);
    await app.waitFor(/bastion\s+\S+\s+host key unknown/, 20_000);
    app.press('g'); // bastion is the first row
    app.press('T');
    const dialog = await app.waitFor('Proceed?');
    expect(dialog).toContain(L.bastion.hostKeyFingerprint);
    app.press('y');
    await app.waitFor(/bastion\s+active\s+connected/, 20_000);
    expect(readFileSync(join(app.home, 'state', 'opsconsole', 'known_hosts'), 'utf8')).toContain(L.bastion.hostKeyPublic.split(' ')[1]!);
    app.press('q');
    await app.waitFor('EXIT=0');
  });
});
