// Sanity of the lab itself: isolation, real systemd nodes, host keys, fault helpers, clean teardown.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  healBastion,
  healNode,
  killBastion,
  labDown,
  labUp,
  nodeExec,
  partitionBastion,
  partitionNode,
  readLab,
  restartBastion,
  startNodeSshd,
  stopNodeSshd,
  tcpProbe,
  type LabState,
} from './lab.ts';
import { run } from './proc.ts';
import { ROOTFS } from './rootfs.ts';

let lab: LabState;
beforeAll(() => {
  lab = readLab(); // throws loudly when the lab is not up: never fall through to the network
});

const ssh = (host: string, command: string, extra: string[] = []) =>
  run('ssh', ['-F', lab.sshConfig, ...extra, host, command], { timeoutMs: 20_000 });

describe('network', () => {
  it('keeps node addresses unreachable from the host', async () => {
    for (const n of lab.nodes) expect(await tcpProbe(n.address, n.port, { timeoutMs: 1000 })).toBe('unreachable');
    const routes = (await run('ip', ['route', 'show', 'type', 'unreachable'])).stdout;
    expect(routes).toContain(lab.internalPrefix);
  });

  it('reaches the bastion from the host and the nodes from the bastion', async () => {
    expect(await tcpProbe(lab.bastion.address, lab.bastion.port)).toBe('open');
    for (const n of lab.nodes) expect(await tcpProbe(n.address, n.port, { fromBastion: true })).toBe('open');
  });

  it('runs commands on each node through the bastion with OpenSSH', async () => {
    for (const name of ['bastion', ...lab.nodes.map((n) => n.name)]) {
      const r = await ssh(name, 'hostname');
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(name);
    }
  });

  it('lets the bastion forward only to the nodes', async () => {
    // -W through the bastion to the bastion's own loopback is not in PermitOpen
    const r = await run('ssh', ['-F', lab.sshConfig, '-W', '127.0.0.1:22', 'bastion'], { timeoutMs: 10_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/prohibited|open failed|forwarding failed/);
    expect(readFileSync(`${lab.dir}/bastion/sshd.log`, 'utf8')).toMatch(/to connect to host 127.0.0.1 port 22, but the request was denied/);
  });
});

describe('nodes', () => {
  it('are real systemd machines that finished booting', async () => {
    for (const n of lab.nodes) {
      const r = await nodeExec(n.name, ['systemctl', 'is-system-running']);
      expect(['running', 'degraded']).toContain(r.stdout.trim());
      const viaSsh = await ssh(n.name, 'systemctl is-active ssh.service; readlink /proc/1/exe');
      expect(viaSsh.stdout.trim().split('\n')).toEqual(['active', '/usr/lib/systemd/systemd']);
    }
  });

  it('each have their own identity', async () => {
    const ids = await Promise.all(lab.nodes.map((n) => nodeExec(n.name, ['sh', '-c', 'hostname; cat /etc/machine-id; cat /etc/ssh/ssh_host_ed25519_key.pub'])));
    const [a, b] = ids.map((r) => r.stdout.trim().split('\n'));
    expect(a?.[0]).toBe(lab.nodes[0]?.name);
    expect(b?.[0]).toBe(lab.nodes[1]?.name);
    expect(a?.[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(a?.[1]).not.toBe(b?.[1]);
    lab.nodes.forEach((n, i) => expect(ids[i]?.stdout).toContain(n.hostKeyPublic));
  });

  it('run sshd with MaxSessions 10', async () => {
    const r = await nodeExec('ims', ['sshd', '-T']);
    expect(r.stdout).toMatch(/^maxsessions 10$/m);
    expect(r.stdout).toMatch(/^usedns no$/m);
  });
});

describe('client files', () => {
  it('known_hosts holds the keys the hosts really present', async () => {
    const lines = readFileSync(lab.knownHosts, 'utf8').trim().split('\n');
    for (const h of [lab.bastion, ...lab.nodes]) {
      expect(lines).toContain(`${h.address} ${h.hostKeyPublic}`);
      const scan = await run('nsenter', [`--net=/run/netns/${lab.bastion.ns}`, 'ssh-keyscan', '-t', 'ed25519', h.address]);
      expect(scan.stdout).toContain(`${h.address} ${h.hostKeyPublic}`);
      const fp = await run('ssh-keygen', ['-l', '-F', h.address, '-f', lab.knownHosts]);
      expect(fp.stdout).toContain(h.hostKeyFingerprint);
    }
  });

  it('hashed known_hosts works with OpenSSH, and a wrong one fails', async () => {
    expect(readFileSync(lab.knownHostsHashed, 'utf8')).toMatch(/^\|1\|/);
    expect(readFileSync(lab.knownHostsHashed, 'utf8')).not.toContain(lab.nodes[0]?.address);
    for (const name of ['bastion', 'ims']) {
      const r = await ssh(name, 'hostname', ['-o', `UserKnownHostsFile=${lab.knownHostsHashed}`]);
      expect(r.stdout.trim()).toBe(name);
    }
    const bad = await ssh('bastion', 'hostname', ['-o', 'UserKnownHostsFile=/dev/null']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Host key verification failed/);
  });

  it('the encrypted key needs its passphrase and is authorized', async () => {
    const ok = await run('ssh-keygen', ['-y', '-P', lab.encryptedKeyPassphrase, '-f', lab.encryptedKey]);
    expect(ok.code).toBe(0);
    expect(readFileSync(`${lab.dir}/authorized_keys`, 'utf8')).toContain(ok.stdout.trim().split(' ').slice(0, 2).join(' '));
    expect((await run('ssh-keygen', ['-y', '-P', '', '-f', lab.encryptedKey])).code).not.toBe(0);
  });

  it('config.yaml describes environment lab', () => {
    const env = parse(readFileSync(lab.configPath, 'utf8')).environments.lab;
    expect(env.bastion).toMatchObject({ host: lab.bastion.address, port: 22, user: 'root', identityFile: lab.clientKey });
    expect(env.ssh).toMatchObject({ maxSessions: 10, knownHosts: [lab.knownHosts] });
    expect(env.nodes).toEqual(lab.nodes.map((n) => ({ name: n.name, address: n.address })));
  });
});

describe('fault helpers', () => {
  it('stop and start a node sshd', async () => {
    await stopNodeSshd('ims');
    expect(await tcpProbe('10.203.1.11', 22, { fromBastion: true })).toBe('refused');
    await startNodeSshd('ims');
    expect((await ssh('ims', 'hostname')).stdout.trim()).toBe('ims');
  });

  it('partition and heal a node', async () => {
    await partitionNode('tracker');
    expect(await tcpProbe('10.203.1.12', 22, { fromBastion: true, timeoutMs: 500 })).toMatch(/timeout|unreachable/);
    expect((await ssh('ims', 'hostname')).stdout.trim()).toBe('ims'); // the other node is unaffected
    await healNode('tracker');
    expect((await ssh('tracker', 'hostname')).stdout.trim()).toBe('tracker');
  });

  it('kill and restart the bastion', async () => {
    const before = readLab().bastion.sshdPid;
    await killBastion();
    expect(await tcpProbe(lab.bastion.address, 22)).toBe('refused');
    await restartBastion();
    expect(readLab().bastion.sshdPid).not.toBe(before);
    expect((await ssh('ims', 'hostname')).stdout.trim()).toBe('ims');
  });

  it('partition and heal the bastion: connections hang, not fail', async () => {
    await partitionBastion();
    expect(await tcpProbe(lab.bastion.address, 22, { timeoutMs: 1000 })).toBe('timeout');
    await healBastion();
    expect((await ssh('ims', 'hostname')).stdout.trim()).toBe('ims');
  });
});

/** Our processes still running (zombies count as gone). */
function ourProcesses(): string[] {
  const found: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (/^State:\s+[ZX]/m.test(readFileSync(`/proc/${e}/status`, 'utf8'))) continue;
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(ROOTFS) || cmd.includes('/tmp/opsconsole-lab/bastion')) found.push(`${e} ${cmd}`);
    } catch {
      // exited
    }
  }
  return found;
}

// Last: tears the lab down, checks nothing is left, and brings it back for the other files.
describe('down and up again', () => {
  it('labDown leaves nothing behind and labUp restores the lab', async () => {
    await labDown();
    const netns = (await run('ip', ['netns', 'list'])).stdout;
    expect(netns).not.toMatch(/olab-/);
    expect(ourProcesses()).toEqual([]);
    expect((await run('ip', ['route', 'show', 'type', 'unreachable'])).stdout).not.toContain('10.203.');
    expect((await run('ip', ['link', 'show'])).stdout).not.toContain('olab0');
    for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified']) expect(existsSync(`${root}/opsconsole-lab`)).toBe(false);
    expect(() => readLab()).toThrow(/lab is not up: run `npm run lab:up` as root/);
    await labDown(); // idempotent

    const t0 = Date.now();
    lab = await labUp();
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect((await ssh('tracker', 'hostname')).stdout.trim()).toBe('tracker');
  });
});
