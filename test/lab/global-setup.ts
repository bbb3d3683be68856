// vitest globalSetup for the `lab` project: one lab for the whole run, held under the lab lock
// so a concurrent run on the same machine waits instead of tearing this one down.
// OPSCONSOLE_LAB_KEEP=1 leaves it up afterwards (inspect with `ssh -F /tmp/opsconsole-lab/ssh_config ims`).
import { acquireLabLock, labDown, labUp } from './lab.ts';

let release: (() => void) | undefined;

export async function setup(): Promise<void> {
  const log = (line: string) => console.log(line);
  release = await acquireLabLock(20 * 60_000, log);
  try {
    const t0 = Date.now();
    const lab = await labUp(log);
    log(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s: bastion ${lab.bastion.address}, nodes ${lab.nodes.map((n) => `${n.name} ${n.address}`).join(', ')}`);
  } catch (err) {
    release();
    throw err;
  }
}

export async function teardown(): Promise<void> {
  try {
    if (process.env.OPSCONSOLE_LAB_KEEP !== '1') await labDown();
  } finally {
    release?.();
  }
}
