import { describe, expect, it } from 'vitest';
import type { NodeVitals } from '../../../source/nodes/model.ts';
import { DEFAULT_THRESHOLDS, describeFinding, evaluateVitals, mergeThresholds } from '../../../source/vitals/thresholds.ts';
import { thresholdsSchema } from '../../../source/config/schema.ts';

const base: NodeVitals = { load1: 0.5, cores: 2, memUsedPct: 50, memAvailablePct: 50, system: 'running', failedUnits: 0, mounts: [] };
const mount = (path: string, usedPct: number, inodesUsedPct?: number) => ({
  path, filesystem: '/dev/vda1', type: 'ext4', sizeKb: 100, usedKb: usedPct, availKb: 100 - usedPct, usedPct, ...(inodesUsedPct === undefined ? {} : { inodesUsedPct }),
});

describe('thresholds', () => {
  it('defaults equal the config schema defaults', () => {
    expect(DEFAULT_THRESHOLDS).toEqual(thresholdsSchema.parse({}));
  });

  it('is ok under every level', () => {
    expect(evaluateVitals({ ...base, mounts: [mount('/', 79, 79)] })).toEqual({ severity: 'ok', findings: [] });
  });

  it('grades disk, inodes, memory and load', () => {
    const e = evaluateVitals({ ...base, load1: 9, memAvailablePct: 4, mounts: [mount('/', 80, 10), mount('/srv', 93, 85)] });
    expect(e.severity).toBe('critical');
    expect(e.findings).toEqual([
      { what: 'disk /', value: 80, limit: 80, severity: 'warning' },
      { what: 'disk /srv', value: 93, limit: 90, severity: 'critical' },
      { what: 'inodes /srv', value: 85, limit: 80, severity: 'warning' },
      { what: 'memory available', value: 4, limit: 5, severity: 'critical' },
      { what: 'load per core', value: 4.5, limit: 4, severity: 'critical' },
    ]);
    expect(e.findings.map(describeFinding)).toEqual([
      'disk / 80% >= 80% (warning)',
      'disk /srv 93% >= 90% (critical)',
      'inodes /srv 85% >= 80% (warning)',
      'memory available 4% < 5% (critical)',
      'load per core 4.5 > 4 (critical)',
    ]);
  });

  it('load exactly at the level is not over it; memory exactly at the level is not under it', () => {
    expect(evaluateVitals({ ...base, load1: 4, memAvailablePct: 10 }).findings).toEqual([]);
    expect(evaluateVitals({ ...base, memAvailablePct: 9.9 }).findings).toEqual([{ what: 'memory available', value: 9.9, limit: 10, severity: 'warning' }]);
  });

  it('merges node overrides over the environment over the defaults, per key', () => {
    const t = mergeThresholds({ disk: { warn: 70, critical: 85 }, loadPerCore: { warn: 3, critical: 6 } }, { disk: { critical: 95 } });
    expect(t).toEqual({ disk: { warn: 70, critical: 95 }, inodes: { warn: 80, critical: 90 }, memoryAvailable: { warn: 10, critical: 5 }, loadPerCore: { warn: 3, critical: 6 } });
    expect(evaluateVitals({ ...base, mounts: [mount('/srv', 90)] }, t).findings).toEqual([{ what: 'disk /srv', value: 90, limit: 70, severity: 'warning' }]);
    expect(mergeThresholds()).toEqual(DEFAULT_THRESHOLDS);
    expect(DEFAULT_THRESHOLDS.disk.warn).toBe(80); // not mutated by merging
  });

  it('uses fullestMount when a producer gave no mount list', () => {
    const { mounts: _, ...rest } = base;
    expect(evaluateVitals({ ...rest, fullestMount: { path: '/', usedPct: 91 } }).findings).toEqual([{ what: 'disk /', value: 91, limit: 90, severity: 'critical' }]);
  });
});
