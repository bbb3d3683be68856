import { describe, expect, it } from 'vitest';
import { LoadHistory, RingBuffer, sparkline } from '../../../source/vitals/history.ts';

describe('RingBuffer', () => {
  it('keeps the newest `capacity` values, oldest first', () => {
    const r = new RingBuffer<number>(3);
    for (const v of [1, 2, 3, 4, 5]) r.push(v);
    expect(r.values()).toEqual([3, 4, 5]);
    expect(r.size).toBe(3);
    r.clear();
    expect(r.values()).toEqual([]);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('LoadHistory', () => {
  it('keeps a ring per node and ignores non-numbers', () => {
    const h = new LoadHistory(2);
    h.add('ims', 1);
    h.add('ims', 2);
    h.add('ims', 3);
    h.add('tracker', Number.NaN);
    h.add('tracker', 0.5);
    expect(h.values('ims')).toEqual([2, 3]);
    expect(h.values('tracker')).toEqual([0.5]);
    expect(h.values('nope')).toEqual([]);
    h.forget('ims');
    expect(h.nodes()).toEqual(['tracker']);
  });
});

describe('sparkline', () => {
  it('scales to the largest value and keeps the newest on the right', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 3)).toBe('▆▇█');
    expect(sparkline([7], 4)).toBe('   █');
  });
  it('does not blow small loads up to full height', () => {
    expect(sparkline([0.1, 0.2], 2)).toBe('▂▂');
    expect(sparkline([0, 0], 2)).toBe('▁▁');
    expect(sparkline([2, 4], 2, 8)).toBe('▃▅');
    expect(sparkline([1], 0)).toBe('');
  });
});
