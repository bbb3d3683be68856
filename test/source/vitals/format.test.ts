import { describe, expect, it } from 'vitest';
import { describeLoad, describeMount, formatKb, formatUptime } from '../../../source/vitals/format.ts';

describe('vitals format', () => {
  it('uptime', () => {
    expect([93784, 4000, 120, 59, -1].map(formatUptime)).toEqual(['1d 2h', '1h 6m', '2m', '59s', '-']);
  });
  it('sizes in binary units', () => {
    expect([512, 56037, 264212084, 1288490189].map(formatKb)).toEqual(['512K', '54.7M', '252G', '1.2T']);
  });
  it('mount and load lines', () => {
    expect(describeMount({ path: '/srv/data', filesystem: '/dev/loop0', type: 'ext4', sizeKb: 56037, usedKb: 47336, availKb: 4115, usedPct: 93, inodesUsedPct: 1 })).toBe('/srv/data 93% of 54.7M (inodes 1%)');
    expect(describeLoad({ load1: 0.5, load5: 0.4, load15: 0.3, cores: 1 })).toBe('load 0.50 0.40 0.30 / 1 core');
  });
});
