import { describe, expect, it } from 'vitest';
import { Store } from '../../../source/app/store.ts';
import type { SourceSpec } from '../../../source/app/backend.ts';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

function spec(id: string, fetch: SourceSpec['fetch'], intervalMs = 20): SourceSpec {
  return { id, kind: 'timers', intervalMs, fetch };
}

describe('Store', () => {
  it('keeps the last good rows and reports the error when a source fails', async () => {
    let fail = false;
    const store = new Store('test', [spec('timers@ims', async () => { if (fail) throw new Error('node ims unreachable'); return ['a', 'b']; })]);
    await store.loadOnce();
    expect(store.snapshot('timers').rows.map((r) => r.row)).toEqual(['a', 'b']);
    const okAt = store.snapshot('timers').sources[0]!.status;
    expect(okAt.state).toBe('ok');
    fail = true;
    await store.loadOnce();
    const snap = store.snapshot('timers');
    expect(snap.rows.map((r) => r.row)).toEqual(['a', 'b']);
    expect(snap.sources[0]!.status).toMatchObject({ state: 'error', message: 'node ims unreachable' });
    expect((snap.sources[0]!.status as { lastOk?: Date }).lastOk).toBeInstanceOf(Date);
  });

  it('a slow source never delays another', async () => {
    const store = new Store('test', [
      spec('timers@slow', () => new Promise((r) => setTimeout(() => r(['slow']), 400))),
      spec('timers@fast', async () => ['fast']),
    ]);
    store.start();
    await tick(50);
    const snap = store.snapshot('timers');
    expect(snap.rows.map((r) => r.row)).toEqual(['fast']);
    expect(snap.sources.find((s) => s.id === 'timers@slow')!.status.state).toBe('loading');
    store.stop();
  });

  it('returns the same snapshot object until its kind changes', async () => {
    const store = new Store('test', [spec('timers@ims', async () => ['a'])]);
    await store.loadOnce();
    const a = store.snapshot('timers');
    expect(store.snapshot('timers')).toBe(a);
    await store.loadOnce();
    expect(store.snapshot('timers')).not.toBe(a);
  });

  it('notifies subscribers once per tick however many sources answered', async () => {
    const store = new Store('test', [spec('timers@a', async () => [1]), spec('timers@b', async () => [2])]);
    let calls = 0;
    store.subscribe(() => calls++);
    await store.loadOnce();
    await tick();
    expect(calls).toBeLessThanOrEqual(2);
    expect(calls).toBeGreaterThan(0);
  });

  it('marks a source stale when it has not succeeded for several intervals', async () => {
    let now = 1_000_000;
    const store = new Store('test', [spec('timers@ims', async () => ['a'], 1000)], { now: () => now });
    await store.loadOnce();
    now += 5000;
    store.checkStale();
    expect(store.snapshot('timers').sources[0]!.status.state).toBe('stale');
  });

  it('polls again on its own interval and backs off after errors', async () => {
    let calls = 0;
    const store = new Store('test', [spec('timers@ims', async () => { calls++; throw new Error('down'); }, 20)], { maxBackoffMs: 80 });
    store.start();
    await tick(200);
    store.stop();
    // 20, 40, 80, 80 ms: about 4 calls in 200 ms, never a tight loop.
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(6);
  });
});

describe('Store without changes', () => {
  it('does not notify when a source hands back the same rows', async () => {
    const rows = ['a'];
    const store = new Store('test', [spec('timers@ims', async () => rows)]);
    await store.loadOnce();
    await tick();
    let calls = 0;
    store.subscribe(() => calls++);
    await store.loadOnce();
    await tick();
    expect(calls).toBe(0);
    expect(store.sources('timers')[0]!.status.state).toBe('ok');
  });

  it('keeps the row wrappers of a source whose rows did not change when another source answers', async () => {
    const steady = ['a', 'b'];
    let other = ['x'];
    const store = new Store('test', [spec('timers@steady', async () => steady), spec('timers@other', async () => other)]);
    await store.loadOnce();
    const before = store.snapshot('timers').rows;
    other = ['y'];
    await store.loadOnce();
    const after = store.snapshot('timers').rows;
    expect(after.map((r) => r.row)).toEqual(['a', 'b', 'y']);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(after[2]).not.toBe(before[2]);
  });
});
