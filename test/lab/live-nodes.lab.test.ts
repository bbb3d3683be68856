// The live Nodes source against the lab: a partitioned node keeps its last vitals, marked
// stale, while its own row says why; the other nodes are untouched; healing brings it back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../source/config/load.ts';
import { createLiveBackend, type LiveBackend } from '../../source/live/backend.ts';
import type { FleetNode } from '../../source/nodes/model.ts';
import { healNode, partitionNode } from './lab.ts';
import { readLab, type LabState } from './state.ts';

let L: LabState;
let live: LiveBackend;

beforeAll(() => {
  L = readLab();
  live = createLiveBackend(loadConfig(L.configPath), { env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' }, noKeychain: true });
});

afterAll(async () => {
  await healNode('ims').catch(() => undefined);
  await live.backend.close();
});

describe('live nodes', () => {
  it('a partitioned node keeps its last vitals, marked stale; the others keep theirs fresh', async () => {
    const specs = live.backend.sources('lab');
    const ims = specs.find((s) => s.id === 'nodes@ims')!;
    const tracker = specs.find((s) => s.id === 'nodes@tracker')!;
    // The same spec objects must be polled again: they hold the node's last sample.
    const fetchIms = () => ims.fetch(new AbortController().signal).then((r) => (r as FleetNode[])[0]!);
    const first = await fetchIms();
    expect(first.reach.state).toBe('connected');
    expect(first.vitals?.cores).toBeGreaterThan(0);
    expect(first.vitalsStale).toBeUndefined();

    await partitionNode('ims');
    const t0 = Date.now();
    const cut = await fetchIms();
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(cut.reach.state).toBe('unreachable');
    expect(cut.vitals).toEqual(first.vitals);
    expect(cut.vitalsStale).toBe(true);
    const other = ((await tracker.fetch(new AbortController().signal)) as FleetNode[])[0]!;
    expect(other.reach.state).toBe('connected');
    expect(other.vitalsStale).toBeUndefined();

    await healNode('ims');
    let back = await fetchIms();
    for (let i = 0; i < 10 && back.reach.state !== 'connected'; i++) back = await fetchIms();
    expect(back.reach.state).toBe('connected');
    expect(back.vitalsStale).toBeUndefined();
  });

  it('carries the load trend since the console started', async () => {
    const spec = live.backend.sources('lab').find((s) => s.id === 'nodes@tracker')!;
    for (let i = 0; i < 3; i++) await spec.fetch(new AbortController().signal);
    const row = ((await spec.fetch(new AbortController().signal)) as FleetNode[])[0]!;
    expect(row.loadHistory!.length).toBeGreaterThanOrEqual(4);
  });
});
