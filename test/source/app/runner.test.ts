import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionRunner, confirmMode, type ConfirmRequest } from '../../../source/app/runner.ts';
import { defineAction } from '../../../source/app/action.ts';
import { openAuditLog } from '../../../source/audit/log.ts';
import { localLocks } from '../../../source/app/lock.ts';
import type { Backend } from '../../../source/app/backend.ts';

const backend = {} as Backend; // the test actions below never touch it

function runner(opts: { protect?: boolean; readonly?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  const redact = (t: string) => t.replaceAll('s3cr3t-value', '•••');
  const audit = openAuditLog(join(dir, 'audit.jsonl'), redact);
  const r = new ActionRunner({ env: 'production', protect: opts.protect ?? false, readonly: opts.readonly ?? false, backend, audit, locks: localLocks(join(dir, 'locks')), user: 'ana', host: 'laptop', redact });
  return { r, audit };
}

const reboot = defineAction<{ node: string }>({
  id: 'node.reboot', title: 'Reboot node', kind: 'nodes', key: 'R', destructive: true, confirm: 'yes',
  target: (a) => a.node, lock: (a) => `node:${a.node}`,
  run: async (ctx, a) => { ctx.progress({ type: 'log', line: 'token s3cr3t-value used' }); return { ok: true, message: `rebooted ${a.node}` }; },
});
const slow = defineAction<{ node: string }>({
  id: 'node.slow', title: 'Slow', kind: 'nodes', destructive: false, confirm: 'none', target: (a) => a.node, lock: (a) => `node:${a.node}`,
  run: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ ok: false, message: 'cancelled' }))),
});

const yes = async () => true;
const noProgress = () => undefined;

describe('ActionRunner', () => {
  it('asks y/N on a plain environment and the typed name on a protected one', () => {
    expect(confirmMode(reboot, false)).toBe('yes');
    expect(confirmMode(reboot, true)).toBe('typed');
    expect(confirmMode(slow, true)).toBeUndefined();
  });

  it('runs after confirmation and writes a start and an end line to the audit log', async () => {
    const { r, audit } = runner({ protect: true });
    const asked: ConfirmRequest[] = [];
    const res = await r.run(reboot, { node: 'ims' }, { confirm: async (q) => (asked.push(q), true), progress: noProgress }).result;
    expect(res).toEqual({ ok: true, message: 'rebooted ims' });
    expect(asked).toEqual([{ actionId: 'node.reboot', title: 'Reboot node', target: 'ims', env: 'production', protect: true, mode: 'typed' }]);
    const lines = audit.read();
    expect(lines.map((l) => [l.phase, l.action, l.target, l.result])).toEqual([
      ['start', 'node.reboot', 'ims', undefined],
      ['end', 'node.reboot', 'ims', 'ok'],
    ]);
  });

  it('does nothing and writes nothing when not confirmed', async () => {
    const { r, audit } = runner();
    const res = await r.run(reboot, { node: 'ims' }, { confirm: async () => false, progress: noProgress }).result;
    expect(res.ok).toBe(false);
    expect(res.message).toContain('not confirmed');
    expect(audit.read()).toEqual([]);
  });

  it('refuses in read-only mode', async () => {
    const { r } = runner({ readonly: true });
    const res = await r.run(reboot, { node: 'ims' }, { confirm: yes, progress: noProgress }).result;
    expect(res).toEqual({ ok: false, message: 'Reboot node: refused (read-only mode)' });
  });

  it('redacts progress lines', async () => {
    const { r } = runner();
    const lines: string[] = [];
    await r.run(reboot, { node: 'ims' }, { confirm: yes, progress: (e) => e.type === 'log' && lines.push(e.line) }).result;
    expect(lines).toEqual(['token ••• used']);
  });

  it('holds the lock: a second run on the same target is refused while the first runs, and cancel ends it', async () => {
    const { r, audit } = runner();
    const first = r.run(slow, { node: 'ims' }, { confirm: yes, progress: noProgress });
    await new Promise((res) => setTimeout(res, 50));
    const second = await r.run(slow, { node: 'ims' }, { confirm: yes, progress: noProgress }).result;
    expect(second).toMatchObject({ ok: false, message: 'production.node:ims is locked by another run' });
    first.cancel();
    expect(await first.result).toEqual({ ok: false, message: 'cancelled' });
    expect(audit.read().at(-1)).toMatchObject({ phase: 'end', result: 'cancelled' });
    const third = r.run(slow, { node: 'ims' }, { confirm: yes, progress: noProgress });
    await new Promise((res) => setTimeout(res, 50));
    third.cancel();
    expect((await third.result).message).toBe('cancelled');
  });
});

describe('an action that runs until cancelled', () => {
  it('ends ok when cancelled: following a journal is closed, not failed', async () => {
    const follow = defineAction<{ node: string }>({
      id: 'timer.journal', title: 'Follow', kind: 'timers', destructive: false, confirm: 'none', readonly: true, untilCancelled: true,
      target: (a) => a.node,
      run: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ ok: true, message: 'closed the journal' }))),
    });
    const { r, audit } = runner();
    const h = r.run(follow, { node: 'ims' }, { confirm: yes, progress: noProgress });
    await new Promise((res) => setTimeout(res, 20));
    h.cancel();
    expect(await h.result).toEqual({ ok: true, message: 'closed the journal' });
    expect(audit.read().at(-1)).toMatchObject({ phase: 'end', result: 'ok' });
  });
});
