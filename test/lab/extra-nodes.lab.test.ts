// The optional extra lab nodes (test/lab/extra-nodes.ts, used by bench/fleet.js): plain sshd
// namespaces behind the bastion, added to a running lab and removed again without disturbing it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { Fleet } from '../../source/ssh/fleet.ts';
import { extraNodesDown, extraNodesUp, readExtraNodes, type ExtraNodesState } from './extra-nodes.ts';
import type { LabState } from './state.ts';
import { fleetOptions, lab } from '../fixtures/ssh/lab-fleet.ts';

let L: LabState;
let before: string;
const fleets: Fleet[] = [];

beforeAll(() => {
  L = lab(); // throws loudly when the lab is down
  before = readFileSync(`${L.dir}/bastion/sshd_config`, 'utf8');
});
afterAll(async () => {
  await Promise.all(fleets.map((f) => f.close()));
  await extraNodesDown();
});

function extraFleet(x: ExtraNodesState): Fleet {
  const base = fleetOptions(L);
  const f = new Fleet({
    ...base,
    nodes: [...base.nodes, ...x.nodes.map((n) => ({ name: n.name, host: n.address, port: n.port, user: 'root', identityFiles: [L.clientKey], via: 'bastion' as const }))],
    knownHosts: [L.knownHosts, x.knownHosts],
  });
  fleets.push(f);
  return f;
}

describe('extra nodes', () => {
  it('come up behind the bastion, answer over SSH, and go away without touching the lab', async () => {
    // A connection opened before: the bastion reload (SIGHUP) must not drop it.
    const kept = new Fleet(fleetOptions(L));
    fleets.push(kept);
    expect((await kept.exec('ims', ['hostname'])).stdout.trim()).toBe('ims');

    const x = await extraNodesUp(3);
    expect(x.nodes.map((n) => [n.name, n.address])).toEqual([
      ['x01', '10.203.1.20'],
      ['x02', '10.203.1.21'],
      ['x03', '10.203.1.22'],
    ]);
    expect(readExtraNodes().nodes).toHaveLength(3);
    expect(readFileSync(`${L.dir}/bastion/sshd_config`, 'utf8')).toContain('10.203.1.22:22');

    const f = extraFleet(x);
    const names = await Promise.all(x.nodes.map(async (n) => (await f.exec(n.name, ['hostname'])).stdout.trim()));
    expect(names).toEqual(['x01', 'x02', 'x03']);
    // Empty home: no .bashrc in the way.
    expect((await f.exec('x01', ['sh', '-c', 'ls -A ~ | wc -l'])).stdout.trim()).toBe('0');
    expect((await kept.exec('ims', ['hostname'])).stdout.trim()).toBe('ims');

    await f.close();
    await extraNodesDown();
    expect(existsSync('/run/netns/olab-x01')).toBe(false);
    expect(() => readExtraNodes()).toThrow(/no extra lab nodes/);
    expect(readFileSync(`${L.dir}/bastion/sshd_config`, 'utf8')).toBe(before);
    await extraNodesDown(); // idempotent
    // The lab itself still works, over the kept connection and over a new one.
    expect((await kept.exec('tracker', ['hostname'])).stdout.trim()).toBe('tracker');
    const fresh = new Fleet(fleetOptions(L));
    fleets.push(fresh);
    expect((await fresh.exec('ims', ['hostname'])).stdout.trim()).toBe('ims');
  });
});
