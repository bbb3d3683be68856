// run-now against a scripted Remote: the state machine, refusals, cancel, a lost node.
import { describe, expect, it } from 'vitest';
import type { ExecResult, Remote } from '../../../source/app/remote.ts';
import type { ProgressEvent } from '../../../source/app/action.ts';
import { resultFromJournal, runUnitNow } from '../../../source/units/run.ts';
import { createUnitsDriver } from '../../../source/units/driver.ts';

type Props = Record<string, string>;
const show = (p: Props) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
const entry = (us: number, message: string, priority = 6) => JSON.stringify({ __CURSOR: `c-${us}`, __REALTIME_TIMESTAMP: String(us), MESSAGE: message, PRIORITY: String(priority) });

const START = 1796110240; // node clock at start (s)
const idle: Props = { Id: 'x.service', Type: 'oneshot', LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead', Result: 'success', InvocationID: 'old', ExecMainStartTimestamp: '', ConditionTimestamp: '' };

interface Script {
  /** Successive `systemctl show` answers for the service while polling. */
  polls: (Props | Error | 'hang')[];
  before?: Props;
  timerUnit?: string;
  journal?: string[];
  /** Lines only the final (non-follow) read sees. */
  late?: string[];
  streamError?: { afterMs: number; error: Error };
}

function fake(s: Script) {
  const calls: string[][] = [];
  let poll = 0;
  let streamAborted = false;
  const remote: Remote = {
    async exec(_node, argv, opts) {
      calls.push(argv);
      const ok = (stdout: string): ExecResult => ({ code: 0, stdout, stderr: '' });
      if (argv[0] === 'sh' && argv[2]?.includes('systemctl start --no-block')) return ok(`${START}.250000000\n`);
      if (argv[0] === 'sh' && argv[2]?.includes('show')) {
        const unit = argv[argv.length - 1]!;
        if (unit.endsWith('.timer')) return ok(show({ Id: unit, Unit: s.timerUnit ?? 'x.service', LoadState: 'loaded' }));
        if (argv.join(' ').includes('ActiveEnterTimestamp')) return ok(show(s.before ?? idle));
        const next = s.polls[Math.min(poll++, s.polls.length - 1)]!;
        if (next instanceof Error) throw next;
        // a partitioned node: no answer, not even to the channel open (abort is all that ends it)
        if (next === 'hang') return new Promise((_, reject) => opts?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
        return ok(show({ ...idle, ...next }));
      }
      // the last read after the unit finished: everything since the start, plus a late line
      if (argv[0] === 'journalctl' && !argv.includes('-f')) return ok([...(s.journal ?? []), ...(s.late ?? [])].join('\n') + '\n');
      throw new Error(`unexpected exec ${argv.join(' ')}`);
    },
    stream(_node, argv, opts) {
      calls.push(argv);
      return new Promise((resolve, reject) => {
        let i = 0;
        const lines = s.journal ?? [];
        const t = setInterval(() => {
          if (i < lines.length) opts.onLine(lines[i++]!, 'stdout');
        }, 20);
        if (s.streamError) setTimeout(() => (clearInterval(t), reject(s.streamError!.error)), s.streamError.afterMs);
        opts.signal?.addEventListener('abort', () => {
          streamAborted = true;
          clearInterval(t);
          resolve({ code: null });
        });
      });
    },
    forward: () => Promise.reject(new Error('no')),
  };
  return { remote, calls, streamAborted: () => streamAborted };
}

const logs = (events: ProgressEvent[]) => events.flatMap((e) => (e.type === 'log' ? [e.line] : []));
const fast = { pollMs: 20, settleMs: 50 };

describe('runUnitNow', () => {
  it('starts the timer’s service, streams its journal from the start time, reports success', async () => {
    const us = START * 1e6;
    const f = fake({
      timerUnit: 'postgres-backups.service',
      polls: [{ ActiveState: 'activating', SubState: 'start', InvocationID: 'new' }, { ActiveState: 'inactive', InvocationID: 'new', Result: 'success', ExecMainCode: '1', ExecMainStatus: '0', ExecMainStartTimestamp: 'Tue 2026-12-01 07:30:40.300000 UTC', ExecMainExitTimestamp: 'Tue 2026-12-01 07:30:41.500000 UTC' }],
      journal: [entry(us - 10, 'old run, before start'), entry(us + 300_000, 'wal-e backup-push starting'), entry(us + 1_200_000, 'wal-e backup-push done'), '-- garbage --'],
      late: [entry(us + 1_300_000, 'Finished postgres-backups.service')],
    });
    const events: ProgressEvent[] = [];
    const r = await runUnitNow(f.remote, 'ims', 'postgres-backups.timer', { ...fast, progress: (e) => events.push(e) });
    expect(r).toEqual({ ok: true, message: 'postgres-backups.service on ims finished: success in 1.2s', data: { node: 'ims', service: 'postgres-backups.service', exitCode: 0, durationMs: 1200 } });
    expect(events[0]).toEqual({ type: 'step', title: 'starting postgres-backups.service on ims' });
    // each line once: the live stream's, then what only the last read found
    expect(logs(events)).toEqual(['wal-e backup-push starting', 'wal-e backup-push done', 'Finished postgres-backups.service']);
    expect(f.calls.find((c) => c[0] === 'journalctl')).toEqual(['journalctl', '-u', 'postgres-backups.service', '-o', 'json', '--no-pager', '-f', '--since', '@1796110240.25', '-n', 'all']);
    expect(f.calls.find((c) => c[2]?.includes('start --no-block'))!.slice(3)).toEqual(['sh', 'postgres-backups.service']);
    expect(f.streamAborted()).toBe(true);
  });

  it('reports a failure with its exit code; error-priority lines go to stderr', async () => {
    const f = fake({ polls: [{ ActiveState: 'failed', SubState: 'failed', InvocationID: 'new', Result: 'exit-code', ExecMainCode: '1', ExecMainStatus: '3' }], journal: [entry(START * 1e6 + 300_000, 'S3 access denied', 3)] });
    const events: ProgressEvent[] = [];
    const r = await runUnitNow(f.remote, 'ims', 'x.service', { ...fast, progress: (e) => events.push(e) });
    expect(r.ok).toBe(false);
    expect(r.message).toBe('x.service on ims failed: exit-code 3');
    expect(events.find((e) => e.type === 'log')).toEqual({ type: 'log', line: 'S3 access denied', stream: 'stderr' });
  });

  it('waits for the new invocation: an inactive unit before the job ran is not "done"', async () => {
    const f = fake({ polls: [{ ActiveState: 'inactive' }, { ActiveState: 'inactive' }, { ActiveState: 'inactive', InvocationID: 'new', ExecMainStartTimestamp: 'Tue 2026-12-01 07:30:40 UTC', ExecMainCode: '1', ExecMainStatus: '0' }] });
    const r = await runUnitNow(f.remote, 'ims', 'x.service', fast);
    expect(r.ok).toBe(true);
    expect(f.calls.filter((c) => c[0] === 'sh' && !c.join(' ').includes('ActiveEnterTimestamp') && c.includes('x.service') && c[2]!.includes('show')).length).toBe(3);
  });

  it('a quick unit systemd unloaded again (no timer references it): the outcome comes from the journal', async () => {
    const us = START * 1e6;
    // `show` of an unloaded unit looks never-run: no InvocationID, no start time.
    const f = fake({
      before: { ...idle, InvocationID: '' },
      polls: [{ ActiveState: 'inactive', InvocationID: '' }],
      journal: [entry(us + 300_000, 'Starting x.service - restore...'), entry(us + 400_000, 'restored'), entry(us + 500_000, 'x.service: Deactivated successfully.')],
    });
    const events: ProgressEvent[] = [];
    const r = await runUnitNow(f.remote, 'ims', 'x.service', { ...fast, progress: (e) => events.push(e) });
    expect(r).toMatchObject({ ok: true, message: 'x.service on ims finished: success' });
    expect(logs(events)).toEqual(['Starting x.service - restore...', 'restored', 'x.service: Deactivated successfully.']);
  });

  it('resultFromJournal reads systemd’s lines about the run', () => {
    const e = (message: string) => ({ time: new Date(0), us: 0, priority: 6, message });
    expect(resultFromJournal([e('Starting x...'), e('x.service: Main process exited, code=exited, status=3/NOTIMPLEMENTED'), e("x.service: Failed with result 'exit-code'.")])).toEqual({ kind: 'exit-code', code: 3 });
    expect(resultFromJournal([e('x.service: Main process exited, code=killed, status=9/KILL'), e("x.service: Failed with result 'signal'.")])).toEqual({ kind: 'signal', signal: 'SIGKILL' });
    expect(resultFromJournal([e('x.service: Deactivated successfully.'), e('Finished x.service - X.')])).toEqual({ kind: 'success' });
    expect(resultFromJournal([e("x.service: Failed with result 'timeout'.")])).toEqual({ kind: 'other', text: 'timeout' });
    expect(resultFromJournal([])).toMatchObject({ kind: 'other' });
  });

  it('refuses a unit that is already running, naming since when', async () => {
    const f = fake({ before: { ...idle, ActiveState: 'activating', SubState: 'start', StateChangeTimestamp: 'Tue 2026-12-01 07:30:40.000000 UTC' }, polls: [] });
    const r = await runUnitNow(f.remote, 'ims', 'ims-deploy.service', fast);
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/^ims-deploy\.service on ims is already running since 2026-12-01 07:30:40 UTC \(/) });
    expect(f.calls.some((c) => c[2]?.includes('start --no-block'))).toBe(false);
  });

  it('rejects hostile names before sending anything', async () => {
    for (const bad of ['a;reboot.service', '$(id).timer', '--help', '-x.service', 'a\nb.service']) {
      const f = fake({ polls: [] });
      const r = await runUnitNow(f.remote, 'ims', bad, fast);
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/^invalid unit name/);
      expect(f.calls).toEqual([]);
      const d = createUnitsDriver(f.remote);
      expect((await d.enable('ims', bad, true)).message).toMatch(/^invalid unit name/);
      expect((await d.resetFailed('ims', bad)).message).toMatch(/^invalid unit name/);
      await expect(d.journal('ims', bad)).rejects.toThrow(/invalid unit name/);
      expect(f.calls).toEqual([]);
    }
  });

  it('cancel stops following, not the unit', async () => {
    const f = fake({ polls: [{ ActiveState: 'activating', InvocationID: 'new' }] });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const r = await runUnitNow(f.remote, 'ims', 'x.service', { ...fast, signal: ac.signal });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r).toEqual({ ok: false, message: 'stopped following x.service; it keeps running on ims' });
    expect(f.streamAborted()).toBe(true);
    expect(f.calls.some((c) => c.join(' ').match(/systemctl (stop|kill)/))).toBe(false);
  });

  it('a node that stops answering ends the run with a clear error (poll timeout)', async () => {
    const f = fake({ polls: [{ ActiveState: 'activating', InvocationID: 'new' }, 'hang'] });
    const t0 = Date.now();
    const r = await runUnitNow(f.remote, 'ims', 'x.service', { ...fast, pollTimeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(r).toMatchObject({ ok: false, message: 'ims: lost contact while following x.service: no answer from ims within 300ms' });
    expect((r as { hint: string }).hint).toMatch(/may still be running/);
  });

  it('a stream that dies (SSH keepalive) ends the run at once', async () => {
    const f = fake({ polls: [{ ActiveState: 'activating', InvocationID: 'new' }], streamError: { afterMs: 100, error: new Error('node ims unreachable: keepalive timeout') } });
    const r = await runUnitNow(f.remote, 'ims', 'x.service', { ...fast, pollMs: 5000 });
    expect(r).toMatchObject({ ok: false, message: 'ims: lost contact while following x.service: node ims unreachable: keepalive timeout' });
  });

  it('a unit whose condition fails is reported as skipped', async () => {
    const f = fake({ polls: [{ ActiveState: 'inactive', ConditionTimestamp: 'Tue 2026-12-01 07:30:40 UTC', ConditionResult: 'no' }] });
    const r = await runUnitNow(f.remote, 'ims', 'x.service', fast);
    expect(r).toMatchObject({ ok: false, message: 'x.service on ims was skipped: a Condition…= of the unit was not met' });
  });
});
