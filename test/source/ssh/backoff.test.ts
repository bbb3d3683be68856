import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../source/ssh/backoff.ts';

describe('Backoff', () => {
  it('doubles from 0.5 s to a 10 s cap and resets on success', () => {
    const b = new Backoff();
    const delays = Array.from({ length: 8 }, () => b.fail(0));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    b.succeed();
    expect(b.fail(0)).toBe(500);
  });

  it('tells how long to wait from a given clock', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000 });
    expect(b.waitMs(0)).toBe(0);
    b.fail(1000);
    expect(b.waitMs(1000)).toBe(100);
    expect(b.waitMs(1050)).toBe(50);
    expect(b.waitMs(1200)).toBe(0);
    b.fail(2000);
    expect(b.waitMs(2000)).toBe(200);
    expect(b.failureCount).toBe(2);
  });
});
