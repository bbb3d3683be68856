import { describe, expect, it } from 'vitest';
import { idleRun, runReducer } from '../../hooks/useActionRun.ts';
import type { RunState } from '../../hooks/useActionRun.ts';

const request = { actionId: 'backup.restore', title: 'Restore', target: 'ims-db', env: 'test', protect: false, mode: 'yes' as const };

describe('runReducer', () => {
  it('goes from confirm to running to a result that stays until dismissed', () => {
    let s: RunState = runReducer(idleRun, { type: 'start', title: 'Restore' });
    s = runReducer(s, { type: 'confirm', request });
    expect(s.phase).toBe('confirm');
    s = runReducer(s, { type: 'answered' });
    expect(s.phase).toBe('running');
    s = runReducer(s, { type: 'progress', event: { type: 'bytes', done: 10, total: 100 }, maxLog: 3 });
    s = runReducer(s, { type: 'progress', event: { type: 'step', title: 'safety copy', index: 1, total: 3 }, maxLog: 3 });
    s = runReducer(s, { type: 'done', result: { ok: true, message: 'restored' } });
    expect(s).toMatchObject({ phase: 'done', bytes: { done: 10, total: 100 }, step: { title: 'safety copy' } });
    s = runReducer(s, { type: 'dismiss' });
    expect(s.phase).toBe('idle');
  });

  it('keeps only the last log lines', () => {
    let s = runReducer(idleRun, { type: 'start', title: 'Restore' });
    for (const line of ['a', 'b', 'c\nd']) s = runReducer(s, { type: 'progress', event: { type: 'log', line }, maxLog: 3 });
    expect(s.log).toEqual(['b', 'c', 'd']);
  });

  it('needs no pane for an action that reported nothing', () => {
    let s = runReducer(idleRun, { type: 'start', title: 'Run now' });
    s = runReducer(s, { type: 'done', result: { ok: false, message: 'locked' } });
    expect(s.phase).toBe('idle');
    expect(s.result).toEqual({ ok: false, message: 'locked' });
  });
});
