import { describe, expect, it } from 'vitest';
import { nodeKind } from '../../../source/nodes/kind.ts';
import type { FleetNode } from '../../../source/nodes/model.ts';
import { cell } from '../demo/cells.ts';

const now = new Date('2026-12-01T07:00:00Z');
const ims: FleetNode = {
  env: 'production', name: 'ims', address: '192.168.0.11', origin: 'embassy', state: 'active',
  reach: { state: 'connected', latencyMs: 12.4 },
  vitals: { load1: 0.42, cores: 2, memUsedPct: 91, fullestMount: { path: '/media/data', usedPct: 71 }, system: 'degraded', failedUnits: 1 },
};

describe('nodeKind', () => {
  it('has the columns of the Nodes panel', () => {
    expect(nodeKind.columns.map((c) => c.title)).toEqual(['NAME', 'STATE', 'REACH', 'ADDRESS', 'ORIGIN', 'LOAD', 'MEM', 'DISK', 'SYSTEM']);
  });

  it('shows a connected node with its latency and vitals', () => {
    expect(cell(nodeKind, 'REACH', ims, now)).toEqual({ text: 'connected 12ms', tone: 'normal' });
    expect(cell(nodeKind, 'LOAD', ims, now).text).toBe('0.42/2');
    expect(cell(nodeKind, 'MEM', ims, now)).toEqual({ text: '91%', tone: 'error' });
    expect(cell(nodeKind, 'DISK', ims, now).text).toBe('71% /media/data');
    expect(cell(nodeKind, 'SYSTEM', ims, now)).toEqual({ text: 'degraded (1 failed)', tone: 'warn' });
  });

  it('marks an unreachable node with the reason', () => {
    const down: FleetNode = { ...ims, reach: { state: 'unreachable', reason: 'timed out after 10 s' } };
    delete down.vitals;
    expect(cell(nodeKind, 'REACH', down, now)).toEqual({ text: 'unreachable: timed out after 10 s', tone: 'error' });
    expect(cell(nodeKind, 'LOAD', down, now)).toEqual({ text: '-', tone: 'muted' });
  });

  it('says when the host key is unknown', () => {
    const fresh: FleetNode = { ...ims, reach: { state: 'hostkey-unknown', fingerprint: 'SHA256:abc' } };
    expect(cell(nodeKind, 'REACH', fresh, now)).toEqual({ text: 'host key unknown', tone: 'warn' });
    expect(nodeKind.details!(fresh, now)).toContainEqual({ label: 'Fingerprint', value: 'SHA256:abc', tone: 'warn' });
  });

  it('offers reboot from the row, refused while the node builds', () => {
    const reboot = nodeKind.actions.find((a) => a.id === 'node.reboot')!;
    expect(reboot.fromRow!(ims)).toEqual({ node: 'ims' });
    expect(reboot.target({ node: 'ims' })).toBe('ims');
    expect(reboot.disabled!(ims)).toBeUndefined();
    expect(reboot.disabled!({ ...ims, state: 'building' })).toBe('ims is building');
  });
});
