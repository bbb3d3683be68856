// Helpers for the vitals and tunnel lab tests: a Remote over nsenter (exec only, for quick
// checks without SSH), and faults/fixtures on a running node: a nearly full ext4 mount and a
// failed unit. Everything here undoes itself (see the returned cleanup functions).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { ExecResult, Remote } from '../../source/app/remote.ts';
import { nodeExec, readLab } from './lab.ts';
import { must, run } from './proc.ts';

/** A Remote whose exec runs through nsenter (ground truth path); no stream/forward. */
export function nsenterRemote(): Remote {
  return {
    async exec(node: string, argv: string[], opts = {}): Promise<ExecResult> {
      const r = await nodeExec(node, argv, { timeoutMs: opts.timeoutMs });
      return { code: r.code, stdout: r.stdout, stderr: r.stderr };
    },
    stream(): Promise<{ code: number | null }> {
      return Promise.reject(new Error('nsenterRemote: no stream'));
    },
    forward(): Promise<Duplex> {
      return Promise.reject(new Error('nsenterRemote: no forward (use the real Fleet)'));
    },
  };
}

export function leaderOf(node: string): number {
  const n = readLab().nodes.find((x) => x.name === node);
  if (!n) throw new Error(`no lab node ${node}`);
  return n.leaderPid;
}

async function nodeMust(node: string, argv: string[]): Promise<string> {
  const r = await nodeExec(node, argv);
  if (r.code !== 0) throw new Error(`${node}: ${argv.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

const DEV = '/dev/opsconsole-vitals-loop';

/**
 * A 64 MB ext4 image on the host, attached to a loop device and mounted at `mountPoint` inside
 * the running node. `mount --bind HOSTPATH` from the node's mount namespace cannot work (the
 * host path does not exist there), so the loop device gets a node in the container's /dev
 * (mknod through `nsenter -m`, as host root) and is mounted there. Then a file is
 * fallocate'd until it is `fillPct` % used. Returns the cleanup.
 */
export async function attachFullDisk(node: string, mountPoint = '/srv/data', fillPct = 92): Promise<{ cleanup: () => Promise<void>; filledKb: number }> {
  const leader = String(leaderOf(node));
  const dir = mkdtempSync(join(tmpdir(), 'opsconsole-vitals-'));
  const img = join(dir, 'disk.img');
  const undo: Array<() => Promise<unknown>> = [async () => rmSync(dir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const f of undo.reverse()) await f().catch(() => {});
  };
  try {
    await must('truncate', ['-s', '64M', img]);
    await must('mkfs.ext4', ['-q', '-F', img]);
    const loop = (await must('losetup', ['--find', '--show', img])).trim();
    undo.push(() => run('losetup', ['-d', loop]));
    const [maj, min] = (await must('stat', ['-c', '%t %T', loop])).trim().split(' ').map((h) => String(parseInt(h, 16)));
    await must('nsenter', ['-t', leader, '-m', 'mkdir', '-p', mountPoint]);
    await must('nsenter', ['-t', leader, '-m', 'mknod', DEV, 'b', maj!, min!]);
    undo.push(() => run('nsenter', ['-t', leader, '-m', 'rm', '-f', DEV]));
    await must('nsenter', ['-t', leader, '-m', 'mount', '-t', 'ext4', DEV, mountPoint]);
    // umount needs /proc/self/mountinfo, which only resolves inside the node's pid namespace too.
    undo.push(() => nodeMust(node, ['umount', mountPoint]));
    // Fill to `fillPct` of what df counts (used / (used + avail)); a 64 MB ext4 has ~57 MB of it.
    const cols = (await nodeMust(node, ['df', '-Pk', mountPoint])).trim().split('\n')[1]!.split(/\s+/);
    const used = Number(cols[2]);
    const avail = Number(cols[3]);
    const kb = Math.ceil((fillPct / 100) * (used + avail) - used);
    await nodeMust(node, ['fallocate', '-l', `${kb}K`, `${mountPoint}/fill`]);
    undo.push(() => nodeExec(node, ['rm', '-f', `${mountPoint}/fill`]));
    return { cleanup, filledKb: kb };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Starts a transient unit that fails (`false`): the node becomes `degraded`. Returns the cleanup. */
export async function failUnit(node: string, unit = 'opsconsole-fail'): Promise<() => Promise<void>> {
  await nodeExec(node, ['systemctl', 'reset-failed', `${unit}.service`]);
  await nodeMust(node, ['systemd-run', `--unit=${unit}`, 'false']);
  // systemd-run returns once the unit started; wait until it has failed.
  for (let i = 0; i < 50; i++) {
    const r = await nodeExec(node, ['systemctl', 'is-failed', `${unit}.service`]);
    if (r.stdout.trim() === 'failed') break;
    await new Promise((res) => setTimeout(res, 100));
  }
  return async () => {
    await nodeExec(node, ['systemctl', 'reset-failed', `${unit}.service`]);
  };
}
