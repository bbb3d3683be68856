// Vitals against real systemd nodes, through the real SSH Fleet (bastion + node sshd).
// Ground truth comes from nsenter (nodeExec). OPSCONSOLE_CAPTURE_FIXTURES=1 rewrites
// test/fixtures/vitals/*.txt from what the nodes print.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../source/ssh/fleet.ts';
import { vitalsCommand } from '../../source/vitals/commands.ts';
import { fetchVitals } from '../../source/vitals/fetch.ts';
import { evaluateVitals } from '../../source/vitals/thresholds.ts';
import { fleetOptions, lab } from '../fixtures/ssh/lab-fleet.ts';
import { nodeExec } from './lab.ts';
import type { LabState } from './state.ts';
import { attachFullDisk, failUnit } from './vitals-remote.ts';

let L: LabState;
let fleet: Fleet;
const capture = process.env.OPSCONSOLE_CAPTURE_FIXTURES === '1';
const saveFixture = async (node: string, name: string) => {
  if (!capture) return;
  const r = await fleet.exec(node, vitalsCommand());
  writeFileSync(new URL(`../fixtures/vitals/${name}`, import.meta.url), r.stdout);
};

async function truth(node: string) {
  const sh = async (script: string) => (await nodeExec(node, ['sh', '-c', script])).stdout.trim();
  return {
    cores: Number(await sh('nproc')),
    memTotalKb: Number(await sh("awk '/^MemTotal:/ {print $2}' /proc/meminfo")),
    system: await sh('systemctl is-system-running || true'),
    failedUnits: Number(await sh('systemctl list-units --failed --no-legend --plain | wc -l')),
    load1: Number((await sh('cat /proc/loadavg')).split(' ')[0]),
  };
}

beforeAll(() => {
  L = lab();
  fleet = new Fleet(fleetOptions(L));
});
afterAll(async () => {
  await fleet?.close();
});

describe('fetchVitals over SSH', () => {
  it('matches nsenter ground truth on every lab node', async () => {
    for (const n of L.nodes) {
      const t0 = performance.now();
      const v = await fetchVitals(fleet, n.name);
      const ms = performance.now() - t0;
      const again = performance.now();
      await fetchVitals(fleet, n.name);
      const warm = performance.now() - again;
      const t = await truth(n.name);
      console.log(`vitals ${n.name}: first ${ms.toFixed(0)} ms, kept connection ${warm.toFixed(1)} ms; ${v.cores} cores, load ${v.load1}, mem ${v.memUsedPct}% used, ${v.system}, ${v.failedUnits} failed, mounts ${v.mounts?.map((m) => m.path).join(',')}`);
      expect(v.cores).toBe(t.cores);
      expect(v.memTotalKb).toBe(t.memTotalKb);
      expect(v.system).toBe(t.system);
      expect(v.failedUnits).toBe(t.failedUnits);
      expect(Math.abs(v.load1 - t.load1)).toBeLessThan(2); // sampled a moment apart
      expect(v.kernel).toMatch(/^Linux \d/);
      expect(v.os).toMatch(/Debian GNU\/Linux 12/);
      // The nodes' root is an overlay (nspawn --volatile=overlay): left out on purpose.
      expect(v.mounts?.some((m) => m.path === '/')).toBe(false);
      expect(v.mounts?.every((m) => !['overlay', 'tmpfs'].includes(m.type))).toBe(true);
      await saveFixture(n.name, `${n.name}-running.txt`);
    }
  });

  it('a nearly full ext4 mount gives a disk finding; a failed unit gives degraded', async () => {
    const node = 'ims';
    // Other lab test files may have left a failed unit on the node: compare with how it was.
    const baseline = await fetchVitals(fleet, node);
    const cleanups: Array<() => Promise<void>> = [];
    try {
      const disk = await attachFullDisk(node, '/srv/data', 92);
      cleanups.push(disk.cleanup);
      console.log(`vitals ${node}: fallocate'd ${(disk.filledKb / 1024).toFixed(1)} MB on a 64 MB ext4 at /srv/data`);
      cleanups.push(await failUnit(node, 'opsconsole-fail'));
      const v = await fetchVitals(fleet, node);
      const srv = v.mounts?.find((m) => m.path === '/srv/data');
      const df = (await nodeExec(node, ['df', '-P', '/srv/data'])).stdout.trim().split('\n')[1]?.split(/\s+/);
      console.log(`vitals ${node} /srv/data: ${JSON.stringify(srv)}; df says ${df?.[4]}; system ${v.system} (${v.failedUnitNames?.join(',')})`);
      expect(srv).toMatchObject({ type: 'ext4', usedPct: Number(df?.[4]?.replace('%', '')) });
      expect(srv!.usedPct).toBeGreaterThanOrEqual(80);
      expect(v.fullestMount?.path).toBe('/srv/data');
      const e = evaluateVitals(v);
      const finding = e.findings.find((f) => f.what === 'disk /srv/data');
      console.log(`vitals ${node} findings: ${JSON.stringify(e)}`);
      expect(finding).toEqual({ what: 'disk /srv/data', value: srv!.usedPct, limit: 90, severity: 'critical' });
      expect(e.severity).not.toBe('ok');
      expect(v.system).toBe('degraded');
      expect(v.failedUnitNames).toContain('opsconsole-fail.service');
      expect(v.failedUnits).toBe((await truth(node)).failedUnits);
      await saveFixture(node, `${node}-degraded-full.txt`);
    } finally {
      for (const c of cleanups.reverse()) await c();
    }
    // Cleaned up: back to the state before, no /srv/data mount.
    const after = await fetchVitals(fleet, node);
    expect(after.system).toBe(baseline.system);
    expect(after.failedUnitNames ?? []).not.toContain('opsconsole-fail.service');
    expect(after.mounts?.some((m) => m.path === '/srv/data')).toBe(false);
  });
});
