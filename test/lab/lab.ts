// The lab: a private cloud on this machine, shaped like the users' setup.
//
//   host 10.203.0.1 --veth olab0-- [olab-bastion] 10.203.0.2  sshd (the only way in)
//                                       | br0 10.203.1.1/24 (unreachable from the host)
//                                       +-- [olab-ims]     10.203.1.11  systemd-nspawn, real systemd + sshd
//                                       +-- [olab-tracker] 10.203.1.12  systemd-nspawn, real systemd + sshd
//
// Needs root. labUp() always starts from labDown(), and labDown() finds everything by fixed
// names, so it also cleans up after a crashed or failed run.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { stringify } from 'yaml';
import { alive, kill, must, poll, run, sleep, spawnDetached, tail, waitGone, type RunResult } from './proc.ts';
import { ensureRootfs, ROOTFS, ROOTFS_TARBALL } from './rootfs.ts';
import { LAB_DIR, STATE_FILE, readLab, type LabNode, type LabState } from './state.ts';

export type { LabNode, LabState } from './state.ts';
export { readLab } from './state.ts';

const NODES = [
  { name: 'ims', address: '10.203.1.11' },
  { name: 'tracker', address: '10.203.1.12' },
] as const;
const HOST_ADDR = '10.203.0.1';
const BASTION_ADDR = '10.203.0.2';
const INTERNAL_PREFIX = '10.203.1.0/24';
// Also covers the host<->bastion /30: while that link is down, traffic for the bastion must hit
// this route instead of the default gateway (which accepts any TCP connection).
const LAB_PREFIX = '10.203.0.0/16';
const SAFETY_ROUTES = [INTERNAL_PREFIX, LAB_PREFIX];
const NS_PREFIX = 'olab-';
const BASTION_NS = 'olab-bastion';
const HOST_VETH = 'olab0';
const CGROUP = 'opsconsole-lab';
const SSH_PORT = 22;
// Node ports the bastion lets clients forward to: sshd, plus room for later tunnel tests.
const FORWARD_PORTS = [SSH_PORT, 80, ...Array.from({ length: 100 }, (_, i) => 8000 + i)];
const NODE_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8' };

const nsOf = (node: string) => `${NS_PREFIX}${node}`;
const paths = {
  clientKey: `${LAB_DIR}/id_ed25519`,
  encryptedKey: `${LAB_DIR}/id_ed25519_encrypted`,
  authorizedKeys: `${LAB_DIR}/authorized_keys`,
  knownHosts: `${LAB_DIR}/known_hosts`,
  knownHostsHashed: `${LAB_DIR}/known_hosts.hashed`,
  sshConfig: `${LAB_DIR}/ssh_config`,
  config: `${LAB_DIR}/config.yaml`,
  bastionDir: `${LAB_DIR}/bastion`,
  nodeSshd: `${LAB_DIR}/node-sshd.conf`,
  nodeDir: (name: string) => `${LAB_DIR}/nodes/${name}`,
};

type Log = (line: string) => void;

// ---------------------------------------------------------------- preflight

const TOOLS: Array<[cmd: string, pkg: string]> = [
  ['ip', 'iproute2'],
  ['systemd-nspawn', 'systemd-container'],
  ['sshd', 'openssh-server'],
  ['ssh', 'openssh-client'],
  ['ssh-keygen', 'openssh-client'],
  ['ssh-keyscan', 'openssh-client'],
  ['nsenter', 'util-linux'],
  ['unshare', 'util-linux'],
  ['tar', 'tar'],
];

function which(cmd: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const d of dirs) if (d && existsSync(`${d}/${cmd}`)) return `${d}/${cmd}`;
  return undefined;
}

function preflight(): void {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (network namespaces, systemd-nspawn): run it as root');
  const tools = [...TOOLS];
  if (!existsSync(`${ROOTFS}/.opsconsole-lab-ready`)) {
    tools.push(['zstd', 'zstd']);
    if (!existsSync(ROOTFS_TARBALL)) tools.push(['debootstrap', 'debootstrap']);
  }
  const missing = tools.filter(([cmd]) => !which(cmd));
  if (missing.length) {
    const pkgs = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
    throw new Error(`the lab needs ${missing.map(([c]) => c).join(', ')}: apt-get install -y ${pkgs}`);
  }
}

// ---------------------------------------------------------------- small helpers

const ip = (args: readonly string[]) => must('ip', args);

function fingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.split(' ')[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

async function keygen(file: string, comment: string, passphrase = ''): Promise<string> {
  await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', comment, '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
}

const hostPattern = (address: string, port: number) => (port === 22 ? address : `[${address}]:${port}`);

/** cgroup hierarchies to place a node's nspawn in: cgroup v2, or the named-systemd + unified pair of a hybrid host. */
function cgroupRoots(): string[] {
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return ['/sys/fs/cgroup'];
  return ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified'].filter((d) => existsSync(`${d}/cgroup.procs`));
}

/** Pids of every process in a cgroup tree. */
function cgroupPids(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const pids: number[] = [];
  const walk = (d: string) => {
    try {
      for (const l of readFileSync(`${d}/cgroup.procs`, 'utf8').split('\n')) if (l) pids.push(Number(l));
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(`${d}/${e.name}`);
    } catch {
      // removed under us
    }
  };
  walk(dir);
  return pids;
}

function removeCgroupTree(dir: string): boolean {
  if (!existsSync(dir)) return true;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeCgroupTree(`${dir}/${e.name}`);
    rmdirSync(dir); // cgroup folders are removed with rmdir, their files go with them
    return true;
  } catch {
    return false;
  }
}

async function netnsPids(ns: string): Promise<number[]> {
  const r = await run('ip', ['netns', 'pids', ns]);
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

/** Our lab processes by command line, in case a state file and cgroup are both gone. */
function strayPids(): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const comm = readFileSync(`/proc/${e}/comm`, 'utf8').trim();
      if (comm !== 'systemd-nspawn' && comm !== 'sshd') continue;
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.includes(ROOTFS) || cmd.includes(LAB_DIR)) pids.push(Number(e));
    } catch {
      // exited
    }
  }
  return pids;
}

// ---------------------------------------------------------------- one user at a time

// Several engineers (and CI jobs) share this machine, and labUp() starts with labDown(): a
// vitest run holds this lock from globalSetup to teardown so a second run waits instead of
// tearing down the first one's lab.
const LOCK_FILE = '/run/opsconsole-lab.lock';

/** The pid holding the lab lock, if it is alive. */
export function labLockHolder(): number | undefined {
  try {
    const pid = Number(readFileSync(LOCK_FILE, 'utf8').trim());
    return pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function ancestors(): number[] {
  const out: number[] = [];
  for (let pid = process.ppid; pid > 1 && out.length < 64; ) {
    out.push(pid);
    try {
      // the ppid is the 2nd field after the ")" that ends the command name
      pid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1)?.trim().split(' ')[1]);
    } catch {
      break;
    }
  }
  return out;
}

/** Throws when another process (not one of our ancestors, e.g. our vitest run) holds the lab lock. */
export function assertLabFree(): void {
  const holder = labLockHolder();
  if (holder !== undefined && !ancestors().includes(holder)) {
    throw new Error(`the lab is in use by a test run (pid ${holder}, ${LOCK_FILE}); let it finish, it tears the lab down itself`);
  }
}

/** Takes the lab lock for this process, waiting while another live process holds it. Returns the release function. */
export async function acquireLabLock(waitMs: number, log: Log = () => {}): Promise<() => void> {
  const end = Date.now() + waitMs;
  let said = false;
  for (;;) {
    // link() of a complete temp file is atomic: nobody ever sees a half-written lock.
    const tmp = `${LOCK_FILE}.${process.pid}`;
    writeFileSync(tmp, `${process.pid}\n`);
    try {
      linkSync(tmp, LOCK_FILE);
      break;
    } catch {
      const holder = labLockHolder();
      if (holder === undefined) {
        rmSync(LOCK_FILE, { force: true }); // stale: its holder is gone
        continue;
      }
      if (Date.now() > end) throw new Error(`the lab is in use by pid ${holder} (${LOCK_FILE}); gave up after ${waitMs / 1000} s`);
      if (!said) log(`lab: waiting for pid ${holder}, which is using the lab`);
      said = true;
      await sleep(500);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  return () => {
    try {
      if (Number(readFileSync(LOCK_FILE, 'utf8').trim()) === process.pid) rmSync(LOCK_FILE);
    } catch {
      // already gone
    }
  };
}

// ---------------------------------------------------------------- down

export async function labDown(): Promise<void> {
  assertLabFree();
  const namespaces = existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith(NS_PREFIX)) : [];
  const cgroups = cgroupRoots().map((r) => `${r}/${CGROUP}`);

  // Kill everything inside our namespaces: the bastion sshd and each container's pid 1 (which
  // takes its whole pid namespace with it). nspawn then sees its container exit and cleans up.
  const inside = (await Promise.all(namespaces.map(netnsPids))).flat();
  for (const pid of inside) kill(pid, 'SIGKILL');
  const supervisors = [...new Set([...cgroups.flatMap(cgroupPids), ...strayPids()])].filter((p) => p !== process.pid);
  if (!(await waitGone([...inside, ...supervisors], 3000))) {
    for (const pid of supervisors) kill(pid, 'SIGKILL');
    await waitGone(supervisors, 3000);
  }

  for (const ns of namespaces) await run('ip', ['netns', 'del', ns]);
  await run('ip', ['link', 'del', HOST_VETH]); // normally gone with its peer's namespace
  for (const { name } of NODES) rmSync(`/run/systemd/nspawn/propagate/${name}`, { recursive: true, force: true });

  // rmdir fails while a dying process is still listed; retry briefly.
  for (let i = 0; i < 50 && !cgroups.every(removeCgroupTree); i++) await sleep(40);

  const routes = (await run('ip', ['route', 'show', 'type', 'unreachable'])).stdout;
  for (const prefix of SAFETY_ROUTES) {
    if (routes.split('\n').some((l) => l.trim().split(' ')[1] === prefix)) await run('ip', ['route', 'del', 'unreachable', prefix]);
  }
  rmSync(LAB_DIR, { recursive: true, force: true });
}

// ---------------------------------------------------------------- up

export async function labUp(log: Log = () => {}): Promise<LabState> {
  preflight();
  assertLabFree();
  await labDown();
  const rootfs = await ensureRootfs(log);
  try {
    return await bringUp(rootfs);
  } catch (err) {
    const logs = [`${paths.bastionDir}/sshd.log`, ...NODES.map((n) => `${paths.nodeDir(n.name)}/console.log`)]
      .filter(existsSync)
      .map((f) => `--- ${f}\n${tail(f)}`)
      .join('\n');
    await labDown().catch(() => {});
    throw new Error(`lab up failed: ${(err as Error).message}\n${logs}`);
  }
}

async function bringUp(rootfs: string): Promise<LabState> {
  // Network safety first: nothing for the lab prefixes may ever leave through the default route.
  for (const prefix of SAFETY_ROUTES) await ip(['route', 'add', 'unreachable', prefix]);

  mkdirSync(paths.bastionDir, { recursive: true, mode: 0o700 });
  chmodSync(LAB_DIR, 0o700);
  for (const n of NODES) mkdirSync(paths.nodeDir(n.name), { recursive: true });

  const passphrase = randomBytes(12).toString('hex');
  const [[clientPub, encryptedPub, bastionPub, ...nodePubs]] = await Promise.all([
    Promise.all([
      keygen(paths.clientKey, 'opsconsole-lab-client'),
      keygen(paths.encryptedKey, 'opsconsole-lab-encrypted', passphrase),
      keygen(`${paths.bastionDir}/ssh_host_ed25519_key`, 'bastion'),
      ...NODES.map((n) => keygen(`${paths.nodeDir(n.name)}/ssh_host_ed25519_key`, n.name)),
    ]),
    createNetwork(),
  ]);
  writeFileSync(paths.authorizedKeys, `${clientPub}\n${encryptedPub}\n`, { mode: 0o600 });
  writeNodeFiles();

  const nodes: LabNode[] = NODES.map((n, i) => ({
    name: n.name,
    ns: nsOf(n.name),
    address: n.address,
    port: SSH_PORT,
    hostKeyPublic: nodePubs[i] as string,
    hostKeyFingerprint: fingerprint(nodePubs[i] as string),
    leaderPid: 0,
  }));
  const [sshdPid, ...leaders] = await Promise.all([startBastion(), ...nodes.map((n) => bootNode(rootfs, n))]);
  nodes.forEach((n, i) => (n.leaderPid = leaders[i] as number));
  const bastion = {
    name: 'bastion',
    ns: BASTION_NS,
    address: BASTION_ADDR,
    port: SSH_PORT,
    hostKeyPublic: bastionPub as string,
    hostKeyFingerprint: fingerprint(bastionPub as string),
    leaderPid: sshdPid, // no container: the sshd is the process to nsenter into
    sshdPid,
  };

  const state: LabState = {
    dir: LAB_DIR,
    configPath: paths.config,
    clientKey: paths.clientKey,
    encryptedKey: paths.encryptedKey,
    encryptedKeyPassphrase: passphrase,
    knownHosts: paths.knownHosts,
    knownHostsHashed: paths.knownHostsHashed,
    sshConfig: paths.sshConfig,
    internalPrefix: INTERNAL_PREFIX,
    bastion,
    nodes,
  };
  await writeClientFiles(state);
  writeState(state);
  return state;
}

async function createNetwork(): Promise<void> {
  const b = ['-n', BASTION_NS];
  await ip(['netns', 'add', BASTION_NS]);
  await ip(['link', 'add', HOST_VETH, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', BASTION_NS]);
  await ip(['addr', 'add', `${HOST_ADDR}/30`, 'dev', HOST_VETH]);
  await ip(['link', 'set', HOST_VETH, 'up']);
  await ip([...b, 'link', 'set', 'lo', 'up']);
  await ip([...b, 'addr', 'add', `${BASTION_ADDR}/30`, 'dev', 'eth0']);
  await ip([...b, 'link', 'set', 'eth0', 'up']);
  await ip([...b, 'link', 'add', 'br0', 'type', 'bridge']);
  await ip([...b, 'addr', 'add', '10.203.1.1/24', 'dev', 'br0']);
  await ip([...b, 'link', 'set', 'br0', 'up']);
  for (const n of NODES) {
    const ns = nsOf(n.name);
    await ip(['netns', 'add', ns]);
    await ip([...b, 'link', 'add', `v-${n.name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await ip([...b, 'link', 'set', `v-${n.name}`, 'master', 'br0', 'up']);
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    await ip(['-n', ns, 'addr', 'add', `${n.address}/24`, 'dev', 'eth0']);
    await ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
  }
}

function writeNodeFiles(): void {
  writeFileSync(
    paths.nodeSshd,
    ['HostKey /etc/ssh/ssh_host_ed25519_key', 'MaxSessions 10', 'UseDNS no', 'PermitRootLogin prohibit-password', 'PasswordAuthentication no', ''].join('\n'),
  );
  for (const n of NODES) {
    const d = paths.nodeDir(n.name);
    writeFileSync(`${d}/hostname`, `${n.name}\n`);
    writeFileSync(`${d}/hosts`, `127.0.0.1 localhost\n127.0.1.1 ${n.name}\n::1 localhost ip6-localhost ip6-loopback\n`);
  }
  const permitOpen = NODES.flatMap((n) => FORWARD_PORTS.map((p) => `${n.address}:${p}`)).join(' ');
  writeFileSync(
    `${paths.bastionDir}/sshd_config`,
    sshdConfigText({ listen: BASTION_ADDR, dir: paths.bastionDir, authorizedKeys: paths.authorizedKeys, permitOpen }),
  );
}

/**
 * sshd_config of a plain sshd of the lab (the bastion, the benchmark's extra nodes): key auth
 * only, forwarding only to `permitOpen` (none without it), MaxSessions 10 like a default sshd.
 */
export function sshdConfigText(o: { listen: string; dir: string; authorizedKeys: string; permitOpen?: string }): string {
  return [
    `ListenAddress ${o.listen}:${SSH_PORT}`,
    `HostKey ${o.dir}/ssh_host_ed25519_key`,
    'PidFile none',
    'UsePAM no',
    'StrictModes no', // keys live under /tmp
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    `AuthorizedKeysFile ${o.authorizedKeys}`,
    ...(o.permitOpen ? ['AllowTcpForwarding local', `PermitOpen ${o.permitOpen}`] : ['AllowTcpForwarding no']),
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'MaxSessions 10',
    'UseDNS no',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

/**
 * Starts a plain sshd in network namespace `ns` with `dir/sshd_config`, logging to
 * `dir/sshd.log`; returns its pid. Private mount + uts namespace: a tmpfs /run for /run/sshd,
 * an empty /root (Debian's .bashrc here costs 300 ms per command) and its own hostname.
 */
export function spawnNamespacedSshd(ns: string, hostname: string, dir: string): number {
  const sshd = which('sshd') ?? '/usr/sbin/sshd';
  const script = `mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/sshd && mount -t tmpfs -o mode=700 tmpfs /root && hostname ${hostname} && exec "$1" -f "$2" -D -e`;
  return spawnDetached('ip', ['netns', 'exec', ns, 'unshare', '--mount', '--uts', '--propagation', 'private', 'sh', '-c', script, 'sh', sshd, `${dir}/sshd_config`], `${dir}/sshd.log`);
}

/** Starts the bastion sshd in its namespace; resolves with its pid once it sends its banner. */
async function startBastion(): Promise<number> {
  const logFile = `${paths.bastionDir}/sshd.log`;
  const pid = spawnNamespacedSshd(BASTION_NS, 'bastion', paths.bastionDir);
  await poll('the bastion sshd banner', 10_000, async () => {
    if (!alive(pid)) throw new Error(`bastion sshd exited: ${tail(logFile, 5)}`);
    return (await banner(BASTION_ADDR, SSH_PORT)) ? true : undefined;
  }, 20);
  return pid;
}

/** True when an SSH server answers host:port with its banner. */
export function banner(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.once('data', (d) => done(d.toString('latin1').startsWith('SSH-')));
    sock.once('error', () => done(false));
    sock.once('timeout', () => done(false));
  });
}

/** Boots one systemd node; resolves with its leader pid once systemd is up and sshd answers. */
async function bootNode(rootfs: string, node: LabNode): Promise<number> {
  const d = paths.nodeDir(node.name);
  const logFile = `${d}/console.log`;
  // Each node's nspawn starts from its own cgroup: from a shared one, the nodes' systemd saw
  // each other's services.
  const procs = cgroupRoots().map((root) => {
    const dir = `${root}/${CGROUP}/${node.name}`;
    mkdirSync(dir, { recursive: true });
    return `${dir}/cgroup.procs`;
  });
  const args = [
    '-b', '-D', rootfs, '-M', node.name,
    '--register=no', '--keep-unit', // both required here (no systemd on the host)
    '--volatile=overlay', '--console=pipe',
    `--network-namespace-path=/run/netns/${node.ns}`,
    `--uuid=${randomUUID()}`, // becomes the node's machine-id (the rootfs has an empty one)
    '--resolv-conf=off',
    `--bind-ro=${d}/hostname:/etc/hostname`,
    `--bind-ro=${d}/hosts:/etc/hosts`,
    `--bind-ro=${d}/ssh_host_ed25519_key:/etc/ssh/ssh_host_ed25519_key`,
    `--bind-ro=${d}/ssh_host_ed25519_key.pub:/etc/ssh/ssh_host_ed25519_key.pub`,
    `--bind-ro=${paths.nodeSshd}:/etc/ssh/sshd_config.d/opsconsole-lab.conf`,
    `--bind-ro=${paths.authorizedKeys}:/root/.ssh/authorized_keys`,
  ];
  const nspawn = which('systemd-nspawn') ?? 'systemd-nspawn';
  const pid = spawnDetached('sh', ['-c', 'for f in $LAB_CGROUPS; do echo $$ > "$f" || exit 1; done; exec "$@"', 'sh', nspawn, ...args], logFile, {
    ...process.env,
    LAB_CGROUPS: procs.join(' '),
  });
  const checkAlive = () => {
    if (!alive(pid)) throw new Error(`node ${node.name}: systemd-nspawn exited: ${tail(logFile, 5)}`);
  };

  // The leader is the nspawn child that is pid 1 in its own pid namespace.
  const leader = await poll(`node ${node.name}'s pid 1`, 10_000, async () => {
    checkAlive();
    let children: string[] = [];
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return undefined;
    }
    for (const c of children) {
      try {
        const nspid = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${c}/status`, 'utf8'))?.[1]?.split(/\s+/) ?? [];
        if (nspid.length > 1 && nspid.at(-1) === '1') return Number(c);
      } catch {
        // exited
      }
    }
    return undefined;
  }, 10);

  await poll(`node ${node.name} to finish booting`, 30_000, async () => {
    checkAlive();
    const r = await execIn(leader, ['systemctl', 'is-system-running']);
    const s = r.stdout.trim();
    return s === 'running' || s === 'degraded' ? s : undefined;
  }, 50);
  await waitNodeSshd(node);
  return leader;
}

/** Waits until the node's sshd answers from the bastion's network, with the key we gave it. */
async function waitNodeSshd(node: LabNode, timeoutMs = 10_000): Promise<void> {
  await poll(`node ${node.name} sshd`, timeoutMs, async () => {
    const r = await run('nsenter', [`--net=/run/netns/${BASTION_NS}`, 'ssh-keyscan', '-T', '2', '-t', 'ed25519', '-p', String(node.port), node.address]);
    const line = r.stdout.split('\n').find((l) => l.includes('ssh-ed25519'));
    if (!line) return undefined;
    const key = line.split(' ').slice(1, 3).join(' ');
    if (key !== node.hostKeyPublic) throw new Error(`node ${node.name} presents host key ${key}, expected ${node.hostKeyPublic}`);
    return true;
  }, 50);
}

async function writeClientFiles(state: LabState): Promise<void> {
  const hosts = [state.bastion, ...state.nodes];
  const known = hosts.map((h) => `${hostPattern(h.address, h.port)} ${h.hostKeyPublic}\n`).join('');
  writeFileSync(paths.knownHosts, known);
  writeFileSync(paths.knownHostsHashed, known);
  await must('ssh-keygen', ['-H', '-f', paths.knownHostsHashed]);
  rmSync(`${paths.knownHostsHashed}.old`, { force: true });

  const common = [
    'Host *',
    '  User root',
    `  IdentityFile ${paths.clientKey}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${paths.knownHosts}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  UpdateHostKeys no',
    '  BatchMode yes',
    '  ControlMaster no',
    '  ControlPath none',
    '  ConnectTimeout 5',
    '  LogLevel ERROR',
  ];
  const blocks = hosts.map((h) =>
    [`Host ${h.name}`, `  HostName ${h.address}`, `  Port ${h.port}`, ...(h === state.bastion ? [] : ['  ProxyJump bastion'])].join('\n'),
  );
  writeFileSync(paths.sshConfig, `# opsconsole lab: OpenSSH equivalent of ${paths.config}\n${[...blocks, common.join('\n')].join('\n\n')}\n`);

  const config = {
    environments: {
      lab: {
        protect: false,
        bastion: { name: 'bastion', host: BASTION_ADDR, port: SSH_PORT, user: 'root', identityFile: paths.clientKey, knownHosts: [paths.knownHosts] },
        ssh: { user: 'root', identityFile: paths.clientKey, knownHosts: [paths.knownHosts], maxSessions: 10 },
        nodes: state.nodes.map((n) => ({ name: n.name, address: n.address })),
      },
    },
  };
  writeFileSync(paths.config, `# opsconsole lab (generated by test/lab, removed by lab:down)\n${stringify(config)}`);
}

function writeState(state: LabState): void {
  writeFileSync(`${STATE_FILE}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${STATE_FILE}.tmp`, STATE_FILE);
}

// ---------------------------------------------------------------- ground truth and faults

function execIn(leader: number, argv: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  return run('nsenter', ['-t', String(leader), '-a', ...argv], { env: NODE_ENV, timeoutMs });
}

function labNode(name: string): LabNode {
  const node = readLab().nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no lab node ${name} (nodes: ${NODES.map((n) => n.name).join(', ')})`);
  return node;
}

/** Runs argv inside a node (all its namespaces), bypassing SSH: ground truth for tests. */
export function nodeExec(name: string, argv: readonly string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
  return execIn(labNode(name).leaderPid, argv, opts.timeoutMs);
}

async function nodeMust(name: string, argv: readonly string[]): Promise<void> {
  const r = await nodeExec(name, argv);
  if (r.code !== 0) throw new Error(`${name}: ${argv.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
}

export async function stopNodeSshd(name: string): Promise<void> {
  await nodeMust(name, ['systemctl', 'stop', 'ssh.service']);
}

/** Starts the node's sshd again and waits until it answers. */
export async function startNodeSshd(name: string): Promise<void> {
  await nodeMust(name, ['systemctl', 'start', 'ssh.service']);
  await waitNodeSshd(labNode(name));
}

/** Takes the node's link down: packets to it are dropped silently, like a real partition. */
export async function partitionNode(name: string): Promise<void> {
  await ip(['-n', labNode(name).ns, 'link', 'set', 'eth0', 'down']);
}

/** Brings the node's link back and waits until the bastion reaches it again (sshd up or not). */
export async function healNode(name: string): Promise<void> {
  const node = labNode(name);
  await ip(['-n', node.ns, 'link', 'set', 'eth0', 'up']);
  // Connection attempts during the partition leave FAILED neighbour entries that would make
  // the next connect fail with EHOSTUNREACH for another second.
  await run('ip', ['-n', BASTION_NS, 'neigh', 'flush', 'to', node.address]);
  await run('ip', ['-n', node.ns, 'neigh', 'flush', 'dev', 'eth0']);
  await poll(`node ${name} to be reachable again`, 10_000, async () => {
    const s = await tcpProbe(node.address, node.port, { fromBastion: true, timeoutMs: 500 });
    return s === 'open' || s === 'refused' ? s : undefined;
  });
}

/** Kills the bastion sshd and every session it runs, like a crash. */
export async function killBastion(): Promise<void> {
  readLab();
  const pids = await netnsPids(BASTION_NS);
  for (const pid of pids) kill(pid, 'SIGKILL');
  await waitGone(pids, 5000);
}

/** Starts the bastion sshd again with the same host key and config; updates the state file. */
export async function restartBastion(): Promise<void> {
  const state = readLab();
  const pid = await startBastion();
  state.bastion.sshdPid = pid;
  state.bastion.leaderPid = pid;
  writeState(state);
}

/**
 * Cuts the host<->bastion link. The bastion's end goes down (not the host's): the host keeps
 * its route, so packets are dropped silently and connections hang as on a real partition.
 */
export async function partitionBastion(): Promise<void> {
  readLab();
  await ip(['-n', BASTION_NS, 'link', 'set', 'eth0', 'down']);
}

/** Restores the host<->bastion link and waits until the bastion address answers again. */
export async function healBastion(): Promise<void> {
  readLab();
  await ip(['-n', BASTION_NS, 'link', 'set', 'eth0', 'up']);
  await run('ip', ['neigh', 'flush', 'dev', HOST_VETH]);
  await run('ip', ['-n', BASTION_NS, 'neigh', 'flush', 'dev', 'eth0']);
  await poll('the bastion to be reachable again', 10_000, async () => {
    const s = await tcpProbe(BASTION_ADDR, SSH_PORT, { timeoutMs: 500 });
    return s === 'open' || s === 'refused' ? s : undefined;
  });
}

export type TcpState = 'open' | 'refused' | 'unreachable' | 'timeout';

const PROBE_JS = `const s=require('net').connect({host:process.argv[1],port:+process.argv[2]});
const t=setTimeout(()=>{console.log('timeout');process.exit(0)},+process.argv[3]);
s.on('connect',()=>{console.log('open');process.exit(0)});
s.on('error',e=>{console.log(e.code==='ECONNREFUSED'?'refused':e.code==='EHOSTUNREACH'||e.code==='ENETUNREACH'?'unreachable':'timeout');process.exit(0)});`;

/**
 * Plain TCP connect to a lab address, from the host or from inside the bastion's network.
 * Refuses to run while the lab is down (network safety: never probe a lab address then).
 */
export async function tcpProbe(host: string, port: number, opts: { fromBastion?: boolean; timeoutMs?: number } = {}): Promise<TcpState> {
  readLab();
  const timeoutMs = opts.timeoutMs ?? 2000;
  if (opts.fromBastion) {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' }; // no NODE_OPTIONS loaders from the test runner
    const r = await run('nsenter', [`--net=/run/netns/${BASTION_NS}`, process.execPath, '-e', PROBE_JS, host, String(port), String(timeoutMs)], { env });
    const out = r.stdout.trim();
    if (out === 'open' || out === 'refused' || out === 'unreachable' || out === 'timeout') return out;
    throw new Error(`tcp probe from the bastion failed: ${r.stderr.trim()}`);
  }
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (s: TcpState) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(s);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    sock.once('connect', () => done('open'));
    sock.once('error', (e: NodeJS.ErrnoException) =>
      done(e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' ? 'unreachable' : 'timeout'),
    );
  });
}
