// Optional extra lab nodes for fleet-size benchmarks (bench/fleet.js): plain sshd, no systemd.
//
//   [olab-bastion] br0 10.203.1.1/24
//        +-- [olab-x01] 10.203.1.20  sshd only (host filesystem, private /run and empty /root)
//        +-- [olab-x02] 10.203.1.21  ...
//
// The default lab (lab.ts) stays as it is: extraNodesUp(n) adds the namespaces to a running lab,
// lets the bastion forward to them (PermitOpen, reloaded with SIGHUP: sessions survive) and writes
// its own known_hosts and ssh_config under /tmp/opsconsole-lab/extra/. The lab's state.json is not
// touched, so tests that iterate readLab().nodes never see these nodes.
//
// Cleanup: extraNodesDown() (idempotent; also restores the bastion's sshd_config). labDown() needs
// no help: it kills everything in every `olab-*` namespace, deletes them and removes the lab
// directory, so a crashed bench leaves nothing behind once the lab goes down.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { alive, kill, must, poll, run, tail, waitGone } from './proc.ts';
import { assertLabFree, banner, spawnNamespacedSshd, sshdConfigText } from './lab.ts';
import { LAB_DIR, readLab, type LabNode, type LabState } from './state.ts';

export interface ExtraNode extends LabNode {
  sshdPid: number;
}

export interface ExtraNodesState {
  nodes: ExtraNode[];
  /** known_hosts for the extra nodes only (use it together with the lab's). */
  knownHosts: string;
  /** OpenSSH config for the whole lab plus the extra nodes (ProxyJump bastion). */
  sshConfig: string;
}

export const EXTRA_DIR = `${LAB_DIR}/extra`;
const EXTRA_STATE = `${EXTRA_DIR}/state.json`;
const BASTION_CONFIG = `${LAB_DIR}/bastion/sshd_config`;
const BASTION_CONFIG_ORIG = `${EXTRA_DIR}/bastion-sshd_config.orig`;
const NS_RE = /^olab-x\d\d$/;
const FIRST_HOST = 20; // 10.203.1.20+
export const MAX_EXTRA_NODES = 60;
const SSH_PORT = 22;

const nameOf = (i: number) => `x${String(i + 1).padStart(2, '0')}`;

type Log = (line: string) => void;

async function assertSafetyRoute(prefix: string): Promise<void> {
  const routes = (await run('ip', ['route', 'show', 'type', 'unreachable'])).stdout;
  if (!routes.split('\n').some((l) => l.trim().split(' ')[1] === prefix)) {
    throw new Error(`network safety: no unreachable route for ${prefix} on the host; refusing to add lab nodes`);
  }
}

/** The extra nodes, if they are up (throws otherwise, like readLab()). */
export function readExtraNodes(): ExtraNodesState {
  readLab();
  if (!existsSync(EXTRA_STATE)) throw new Error(`no extra lab nodes (no ${EXTRA_STATE}): call extraNodesUp(n)`);
  const state = JSON.parse(readFileSync(EXTRA_STATE, 'utf8')) as ExtraNodesState;
  for (const n of state.nodes) if (!existsSync(`/run/netns/${n.ns}`)) throw new Error(`extra node ${n.name}: namespace ${n.ns} is gone`);
  return state;
}

/** Removes every extra node and restores the bastion's config. Safe to call when there are none. */
export async function extraNodesDown(): Promise<void> {
  assertLabFree();
  const namespaces = existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => NS_RE.test(n)) : [];
  const pids = (
    await Promise.all(namespaces.map(async (ns) => (await run('ip', ['netns', 'pids', ns])).stdout.split('\n').filter(Boolean).map(Number)))
  ).flat();
  for (const pid of pids) kill(pid, 'SIGKILL');
  await waitGone(pids, 3000);
  // Deleting a namespace takes its veth; the bastion's end (v-xNN) goes with it.
  for (const ns of namespaces) await run('ip', ['netns', 'del', ns]);
  if (existsSync(BASTION_CONFIG_ORIG)) {
    if (existsSync(BASTION_CONFIG)) {
      renameSync(BASTION_CONFIG_ORIG, BASTION_CONFIG);
      await reloadBastion();
    }
  }
  rmSync(EXTRA_DIR, { recursive: true, force: true });
}

/**
 * Adds `count` plain sshd nodes (x01, x02, … at 10.203.1.20+) to the running lab. Starts from
 * extraNodesDown(), so it also cleans up after a crashed run. Needs root and the lab up.
 */
export async function extraNodesUp(count: number, log: Log = () => {}): Promise<ExtraNodesState> {
  if (process.getuid?.() !== 0) throw new Error('extra lab nodes need root (network namespaces)');
  if (!Number.isInteger(count) || count < 1 || count > MAX_EXTRA_NODES) throw new Error(`extra nodes: count must be 1..${MAX_EXTRA_NODES}, got ${count}`);
  const lab = readLab();
  await extraNodesDown();
  // Network safety: the lab's unreachable route must cover every address we are about to use.
  await assertSafetyRoute(lab.internalPrefix);
  const t0 = Date.now();
  try {
    const state = await bringUp(lab, count);
    log(`extra nodes: ${count} plain sshd nodes up in ${((Date.now() - t0) / 1000).toFixed(1)} s (${state.nodes[0]?.address} … ${state.nodes.at(-1)?.address})`);
    return state;
  } catch (err) {
    const logs = readdirSync(EXTRA_DIR, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `--- ${e.name}\n${tail(`${EXTRA_DIR}/${e.name}/sshd.log`, 5)}`)
      .join('\n');
    await extraNodesDown().catch(() => {});
    throw new Error(`extra nodes up failed: ${(err as Error).message}\n${logs}`);
  }
}

async function keygen(file: string, comment: string): Promise<string> {
  await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
}

function fingerprintOf(publicKey: string): string {
  const blob = Buffer.from(publicKey.split(' ')[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

async function bringUp(lab: LabState, count: number): Promise<ExtraNodesState> {
  mkdirSync(EXTRA_DIR, { recursive: true, mode: 0o700 });
  const bastionNs = lab.bastion.ns;
  const specs = Array.from({ length: count }, (_, i) => ({ name: nameOf(i), ns: `olab-${nameOf(i)}`, address: `10.203.1.${FIRST_HOST + i}`, dir: `${EXTRA_DIR}/${nameOf(i)}` }));
  for (const s of specs) mkdirSync(s.dir, { recursive: true });

  const [keys] = await Promise.all([
    Promise.all(specs.map((s) => keygen(`${s.dir}/ssh_host_ed25519_key`, s.name))),
    (async () => {
      for (const s of specs) {
        await must('ip', ['netns', 'add', s.ns]);
        await must('ip', ['-n', bastionNs, 'link', 'add', `v-${s.name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', s.ns]);
        await must('ip', ['-n', bastionNs, 'link', 'set', `v-${s.name}`, 'master', 'br0', 'up']);
        await must('ip', ['-n', s.ns, 'link', 'set', 'lo', 'up']);
        await must('ip', ['-n', s.ns, 'addr', 'add', `${s.address}/24`, 'dev', 'eth0']);
        await must('ip', ['-n', s.ns, 'link', 'set', 'eth0', 'up']);
      }
    })(),
  ]);

  const authorizedKeys = `${LAB_DIR}/authorized_keys`;
  const nodes: ExtraNode[] = [];
  for (const [i, s] of specs.entries()) {
    const hostKeyPublic = keys[i] as string;
    writeFileSync(`${s.dir}/sshd_config`, sshdConfigText({ listen: s.address, dir: s.dir, authorizedKeys }));
    const pid = spawnNamespacedSshd(s.ns, s.name, s.dir);
    nodes.push({ name: s.name, ns: s.ns, address: s.address, port: SSH_PORT, hostKeyPublic, hostKeyFingerprint: fingerprintOf(hostKeyPublic), leaderPid: pid, sshdPid: pid });
  }

  await allowOnBastion(nodes);
  await Promise.all(nodes.map((n) => waitSshd(bastionNs, n)));

  const knownHosts = `${EXTRA_DIR}/known_hosts`;
  writeFileSync(knownHosts, nodes.map((n) => `${n.address} ${n.hostKeyPublic}\n`).join(''));
  const sshConfig = `${EXTRA_DIR}/ssh_config`;
  writeSshConfig(lab, nodes, knownHosts, sshConfig);
  const state: ExtraNodesState = { nodes, knownHosts, sshConfig };
  writeFileSync(`${EXTRA_STATE}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${EXTRA_STATE}.tmp`, EXTRA_STATE);
  return state;
}

/** Adds the nodes' sshd ports to the bastion's PermitOpen (original kept for extraNodesDown) and reloads it. */
async function allowOnBastion(nodes: ExtraNode[]): Promise<void> {
  const orig = readFileSync(BASTION_CONFIG, 'utf8');
  if (!/^PermitOpen .*$/m.test(orig)) throw new Error(`no PermitOpen line in ${BASTION_CONFIG}`);
  writeFileSync(BASTION_CONFIG_ORIG, orig);
  const extra = nodes.map((n) => `${n.address}:${n.port}`).join(' ');
  writeFileSync(`${BASTION_CONFIG}.tmp`, orig.replace(/^(PermitOpen .*)$/m, `$1 ${extra}`));
  renameSync(`${BASTION_CONFIG}.tmp`, BASTION_CONFIG);
  await reloadBastion();
}

/**
 * SIGHUP: sshd re-executes itself with the same arguments and re-reads its config; sessions
 * already open keep running. The listener is closed for a moment, so wait for its banner.
 */
async function reloadBastion(): Promise<void> {
  let lab: LabState;
  try {
    lab = readLab();
  } catch {
    return; // lab gone: nothing to reload
  }
  const pid = lab.bastion.sshdPid;
  let comm = '';
  try {
    comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    // not running (e.g. killBastion); its next start reads the file as it is now
  }
  if (!alive(pid) || comm !== 'sshd') return;
  // The old listener still answers until sshd has handled the signal and re-executed: a
  // banner alone proves nothing. Wait for its log to say it listens again after the restart
  // (its lines end in CRLF).
  const log = `${LAB_DIR}/bastion/sshd.log`;
  const restarts = () => (readFileSync(log, 'utf8').match(/Received SIGHUP; restarting\.[\s\S]*?Server listening on/g) ?? []).length;
  const before = restarts();
  kill(pid, 'SIGHUP');
  await poll('the bastion sshd to answer after reload', 10_000, async () => {
    if (!alive(pid)) throw new Error(`bastion sshd exited on reload: ${tail(log, 5)}`);
    if (restarts() <= before) return undefined;
    return (await banner(lab.bastion.address, lab.bastion.port)) ? true : undefined;
  }, 20);
}

async function waitSshd(bastionNs: string, node: ExtraNode): Promise<void> {
  await poll(`extra node ${node.name} sshd`, 10_000, async () => {
    if (!alive(node.sshdPid)) throw new Error(`extra node ${node.name}: sshd exited: ${tail(`${EXTRA_DIR}/${node.name}/sshd.log`, 5)}`);
    const r = await run('nsenter', [`--net=/run/netns/${bastionNs}`, 'ssh-keyscan', '-T', '2', '-t', 'ed25519', '-p', String(node.port), node.address]);
    const line = r.stdout.split('\n').find((l) => l.includes('ssh-ed25519'));
    if (!line) return undefined;
    const key = line.split(' ').slice(1, 3).join(' ');
    if (key !== node.hostKeyPublic) throw new Error(`extra node ${node.name} presents host key ${key}, expected ${node.hostKeyPublic}`);
    return true;
  }, 30);
}

function writeSshConfig(lab: LabState, nodes: ExtraNode[], knownHosts: string, file: string): void {
  const hosts = [lab.bastion, ...lab.nodes, ...nodes];
  const blocks = hosts.map((h) =>
    [`Host ${h.name}`, `  HostName ${h.address}`, `  Port ${h.port}`, ...(h === lab.bastion ? [] : ['  ProxyJump bastion'])].join('\n'),
  );
  const common = [
    'Host *',
    '  User root',
    `  IdentityFile ${lab.clientKey}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${lab.knownHosts} ${knownHosts}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  UpdateHostKeys no',
    '  BatchMode yes',
    '  ControlMaster no',
    '  ControlPath none',
    '  ConnectTimeout 5',
    '  LogLevel ERROR',
  ];
  writeFileSync(file, `# opsconsole lab + extra nodes (test/lab/extra-nodes.ts)\n${[...blocks, common.join('\n')].join('\n\n')}\n`);
}
