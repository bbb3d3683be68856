import { describe, expect, it } from 'vitest';
import { createDemoBackend } from '../../../source/demo/backend.ts';
import { same } from '../../../source/demo/same.ts';

const START = Date.UTC(2026, 11, 1, 7, 0, 0);

describe('demo sources', () => {
  it('hand back the previous array when a poll computed equal rows, so the store renders nothing', async () => {
    const clock = { now: START };
    const backend = createDemoBackend({ seed: 7, latencyMs: [0, 0], clock: () => clock.now, size: 1000 });
    const signal = new AbortController().signal;
    for (const id of ['certs@ebisc', 'secrets@keychain']) {
      const spec = backend.sources('production').find((s) => s.id.startsWith(id.split('@')[0]!))!;
      const first = await spec.fetch(signal);
      clock.now += 1000;
      expect(await spec.fetch(signal), spec.id).toBe(first);
    }
    const chunk = backend.sources('production').find((s) => s.id.startsWith('timers@node-'))!;
    const rows = await chunk.fetch(signal);
    expect(await chunk.fetch(signal)).toBe(rows);
  });

  it('compare rows by value, dates included', () => {
    expect(same({ a: [1, { d: new Date(5) }] }, { a: [1, { d: new Date(5) }] })).toBe(true);
    expect(same({ a: [1, { d: new Date(5) }] }, { a: [1, { d: new Date(6) }] })).toBe(false);
    expect(same({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(same([1, 2], [1, 2, 3])).toBe(false);
    expect(same(NaN, NaN)).toBe(true);
  });
});
