// The systemd driver against the lab's real systemd 252 nodes, through the real SSH Fleet
// (bastion -> node). Ground truth comes from nsenter (nodeExec), bypassing SSH.
// CAPTURE=1 also re-captures test/fixtures/units/ from these nodes first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../source/ssh/fleet.ts';
import type { Remote } from '../../source/app/remote.ts';
import type { ProgressEvent } from '../../source/app/action.ts';
import { createUnitsDriver, type UnitsDriver } from '../../source/units/driver.ts';
import { fetchFailedUnits, fetchTimers } from '../../source/units/fetch.ts';
import { parseListTimersJson, parseShow } from '../../source/units/parse.ts';
import { healNode, nodeExec, partitionNode } from './lab.ts';
import { fleetOptions, lab } from '../fixtures/ssh/lab-fleet.ts';
import { captureFixtures, installAll } from './units-fixture.ts';

let fleet: Fleet;
let remote: Remote & { calls: { node: string; argv: string[] }[] };
let units: UnitsDriver;

/** The Fleet, counting every command sent. */
function counting(f: Fleet): Remote & { calls: { node: string; argv: string[] }[] } {
  const calls: { node: string; argv: string[] }[] = [];
  return {
    calls,
    exec: (node, argv, opts) => (calls.push({ node, argv }), f.exec(node, argv, opts)),
    stream: (node, argv, opts) => (calls.push({ node, argv }), f.stream(node, argv, opts)),
    forward: (node, host, port) => f.forward(node, host, port),
  };
}

async function truth(node: string, argv: string[]): Promise<string> {
  const r = await nodeExec(node, argv);
  if (r.code !== 0) throw new Error(`${node}: ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const state = async (node: string, unit: string) => (await truth(node, ['systemctl', 'show', '-p', 'ActiveState', '--value', unit])).trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ms: number, f: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await f()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
function ctx(signal = new AbortController().signal) {
  const events: ProgressEvent[] = [];
  return { events, logs: () => events.flatMap((e) => (e.type === 'log' ? [e.line] : [])), progress: (e: ProgressEvent) => void events.push(e), signal };
}

beforeAll(async () => {
  const L = lab();
  if (process.env.CAPTURE === '1') console.log(`captured: ${(await captureFixtures()).join(', ')}`);
  await installAll();
  fleet = new Fleet(fleetOptions(L));
  remote = counting(fleet);
  units = createUnitsDriver(remote);
}, 120_000);

afterAll(async () => {
  await fleet?.close();
});

describe('timers through SSH', () => {
  it('fetchTimers: one command per node, the 5 s timer with its real next/last/result', async () => {
    await sleep(1500); // the tick timer has fired (OnActiveSec=1s)
    for (let attempt = 0; ; attempt++) {
      remote.calls.length = 0;
      const t0 = performance.now();
      const rows = await units.list('lab', 'ims');
      const ms = performance.now() - t0;
      const t1 = performance.now();
      await units.list('lab', 'ims');
      const again = performance.now() - t1;
      const gt = parseListTimersJson(await truth('ims', ['systemctl', 'list-timers', '--all', '--output=json', '--no-pager']))!;
      const mine = rows.find((r) => r.unit === 'opsconsole-tick.timer')!;
      const real = gt.find((r) => r.unit === 'opsconsole-tick.timer')!;
      // The timer fires every 5 s: a refresh and the ground truth can straddle a run. Retry then.
      if (mine.last?.getTime() !== real.last?.getTime() && attempt < 3) continue;
      expect(remote.calls).toHaveLength(2);
      expect(mine).toMatchObject({ env: 'lab', node: 'ims', service: 'opsconsole-tick.service', schedule: 'every 5 s (first 1 s after the timer started)', result: { kind: 'success' }, enabled: true, failed: false });
      expect(mine.last).toEqual(real.last);
      expect(mine.next).toEqual(real.next);
      expect(mine.last!.getTime()).toBeGreaterThan(Date.now() - 10_000);
      expect(mine.next!.getTime() - mine.last!.getTime()).toBeGreaterThan(4000);
      const svc = parseShow(await truth('ims', ['systemctl', '--timestamp=us+utc', 'show', '-p', 'ExecMainStartTimestamp,ExecMainExitTimestamp', 'opsconsole-tick.service']))[0]!;
      expect(mine.lastDurationMs).toBeGreaterThanOrEqual(0);
      expect(mine.lastDurationMs).toBeLessThan(1000);
      console.log(`units: fetchTimers(ims) ${rows.length} timers in ${ms.toFixed(0)} ms (first, with connect), ${again.toFixed(0)} ms again, one command each; tick last=${mine.last!.toISOString()} (truth ${real.last!.toISOString()}), ran ${mine.lastDurationMs} ms (${svc.get('ExecMainStartTimestamp')} -> ${svc.get('ExecMainExitTimestamp')})`);
      // the persistent nightly backup ran as its timer started (old stamp file)
      const pg = rows.find((r) => r.unit === 'postgres-backups.timer')!;
      expect(pg).toMatchObject({ schedule: 'daily 02:00', result: { kind: 'success' }, enabled: true });
      expect(pg.last).toBeDefined();
      expect(rows.find((r) => r.unit === 'ims-updates.timer')).toMatchObject({ enabled: false, result: { kind: 'never' }, schedule: 'twice a day 00:00, 12:00' });
      break;
    }
    const tracker = await fetchTimers(remote, 'tracker', 'lab');
    expect(tracker.find((t) => t.unit === 'mongodb-backups.timer')).toMatchObject({ service: 'mongodb-backups-s3.service', schedule: 'weekly', result: { kind: 'success' } });
  });

  it('run now: the good unit streams its journal and succeeds', async () => {
    const c = ctx();
    const t0 = performance.now();
    const r = await units.runNow(c, 'ims', 'postgres-backups.timer');
    console.log(`units: run-now postgres-backups (1 s job) -> ${r.message} in ${(performance.now() - t0).toFixed(0)} ms; log: ${JSON.stringify(c.logs())}`);
    expect(r).toMatchObject({ ok: true, message: expect.stringMatching(/^postgres-backups\.service on ims finished: success in 1(\.\d+)?s$/) });
    expect(c.logs()).toEqual(expect.arrayContaining(['wal-e backup-push starting', 'wal-e backup-push done', 'Finished postgres-backups.service - wal-e backup of postgres.']));
    expect(c.logs().indexOf('wal-e backup-push starting')).toBeLessThan(c.logs().indexOf('wal-e backup-push done'));
    // nothing of the run at boot (an earlier invocation) leaks in: exactly one "starting"
    expect(c.logs().filter((l) => l === 'wal-e backup-push starting')).toHaveLength(1);
    expect((await truth('ims', ['systemctl', 'show', '-p', 'Result', '--value', 'postgres-backups.service'])).trim()).toBe('success');
  });

  it('run now: the failing unit reports exit code 3, then shows among failed units; reset-failed clears it', async () => {
    const c = ctx();
    const r = await units.runNow(c, 'ims', 'duplicity-backups.timer');
    console.log(`units: run-now duplicity-backups -> ${r.message}; log: ${JSON.stringify(c.logs())}`);
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/^duplicity-backups\.service on ims failed: exit-code 3/) });
    expect(c.logs()).toEqual(expect.arrayContaining(['duplicity: uploading media', '\x1b[31mS3 access denied\x1b[0m']));
    expect((await truth('ims', ['systemctl', 'show', '-p', 'ExecMainStatus', '--value', 'duplicity-backups.service'])).trim()).toBe('3');

    const failed = await fetchFailedUnits(remote, 'ims');
    expect(failed).toEqual([expect.objectContaining({ node: 'ims', unit: 'duplicity-backups.service', type: 'service', active: 'failed', result: { kind: 'exit-code', code: 3 } })]);
    expect(failed[0]!.since!.getTime()).toBeGreaterThan(Date.now() - 30_000);
    expect(await units.failed('tracker')).toEqual([]);
    remote.calls.length = 0;
    const snap = await units.snapshot('lab', 'ims');
    expect(remote.calls).toHaveLength(1);
    expect(snap.failed).toEqual(failed);
    expect(snap.timers.find((t) => t.unit === 'duplicity-backups.timer')).toMatchObject({ failed: true });
    const rows = await units.list('lab', 'ims');
    expect(rows.find((t) => t.unit === 'duplicity-backups.timer')).toMatchObject({ failed: true, result: { kind: 'exit-code', code: 3 } });

    expect(await units.resetFailed('ims', 'duplicity-backups.service')).toMatchObject({ ok: true });
    expect(await units.failed('ims')).toEqual([]);
    expect(await state('ims', 'duplicity-backups.service')).toBe('inactive');
  });

  it('run now: a quick oneshot run by hand (no timer; systemd unloads it as soon as it ends)', async () => {
    const c = ctx();
    const r = await units.runNow(c, 'ims', 'postgres-restore.service');
    console.log(`units: run-now postgres-restore -> ${r.message}; log: ${JSON.stringify(c.logs())}`);
    expect(r).toMatchObject({ ok: true, message: expect.stringMatching(/^postgres-restore\.service on ims finished: success( in \d+ms)?$/) });
    expect(c.logs()).toEqual(expect.arrayContaining(['restore']));
    // ground truth: systemd no longer has the run's state (InvocationID is empty again)
    expect((await truth('ims', ['systemctl', 'show', '-p', 'InvocationID', '--value', 'postgres-restore.service'])).trim()).toBe('');
  });

  it('a second run of a 10 s unit is refused as already running; the first still finishes', async () => {
    const first = ctx();
    const run1 = units.runNow(first, 'ims', 'ims-deploy.service');
    await until('ims-deploy running', 5000, async () => first.logs().length > 0);
    const t0 = performance.now();
    const second = await units.runNow(ctx(), 'ims', 'ims-deploy.service');
    console.log(`units: second run-now -> ${second.message} (${(performance.now() - t0).toFixed(0)} ms)`);
    expect(second).toMatchObject({ ok: false, message: expect.stringMatching(/^ims-deploy\.service on ims is already running since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \((now|\d+s ago)\)$/) });
    const r = await run1;
    expect(r).toMatchObject({ ok: true, message: expect.stringMatching(/finished: success in 1\d\.?\d*s$/) });
    expect(first.logs()).toEqual(expect.arrayContaining(['migrate: start', 'step 1/10', 'step 10/10', 'migrate: done']));
  }, 40_000);

  it('cancel stops following; the unit keeps running', async () => {
    await until('ims-deploy idle', 15_000, async () => (await state('ims', 'ims-deploy.service')) === 'inactive');
    const ac = new AbortController();
    const c = ctx(ac.signal);
    const run = units.runNow(c, 'ims', 'ims-deploy.service');
    await until('first log line', 5000, async () => c.logs().length > 0);
    const t0 = performance.now();
    ac.abort();
    const r = await run;
    const ms = performance.now() - t0;
    console.log(`units: cancel -> ${r.message} in ${ms.toFixed(0)} ms`);
    expect(r).toEqual({ ok: false, message: 'stopped following ims-deploy.service; it keeps running on ims' });
    expect(ms).toBeLessThan(1500);
    expect(await state('ims', 'ims-deploy.service')).toBe('activating');
    await until('ims-deploy finished', 15_000, async () => (await state('ims', 'ims-deploy.service')) === 'inactive');
  }, 40_000);

  it('a node partitioned mid-stream ends the run with a clear error within 5 s', async () => {
    await until('ims-deploy idle', 15_000, async () => (await state('ims', 'ims-deploy.service')) === 'inactive');
    const c = ctx();
    const run = units.runNow(c, 'ims', 'ims-deploy.service');
    await until('first log line', 5000, async () => c.logs().length > 0);
    await partitionNode('ims');
    const t0 = performance.now();
    try {
      const r = await run;
      const ms = performance.now() - t0;
      console.log(`units: partition mid-stream -> ${r.message} after ${ms.toFixed(0)} ms`);
      expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/^ims: lost contact while following ims-deploy\.service: /), hint: expect.stringMatching(/may still be running/) });
      expect(ms).toBeLessThan(5000);
    } finally {
      await healNode('ims');
    }
    await until('ims-deploy finished', 20_000, async () => (await state('ims', 'ims-deploy.service')) === 'inactive');
    // The fleet reconnects: the driver works again.
    await until('ims answers again', 20_000, async () => (await units.list('lab', 'ims').then(() => true, () => false)));
  }, 60_000);

  it('journal: last entries, and following the 5 s timer', async () => {
    const entries = await units.journal('ims', 'postgres-backups.service', { lines: 50 });
    expect(entries.map((e) => e.message)).toEqual(expect.arrayContaining(['wal-e backup-push done']));
    expect(entries.length).toBeLessThanOrEqual(50);
    const ac = new AbortController();
    const seen: string[] = [];
    const since = new Date(Date.now() - 1000);
    const done = units.follow('ims', 'opsconsole-tick.service', { since, onEntry: (e) => void seen.push(e.message), signal: ac.signal });
    await until('a tick', 8000, async () => seen.includes('tick'));
    ac.abort();
    expect(await done).toMatchObject({ aborted: true });
  }, 20_000);

  it('enable/disable a timer (ground truth: systemctl is-enabled)', async () => {
    expect(await units.enable('ims', 'ims-updates.timer', true)).toMatchObject({ ok: true });
    expect((await nodeExec('ims', ['systemctl', 'is-enabled', 'ims-updates.timer'])).stdout.trim()).toBe('enabled');
    expect((await units.list('lab', 'ims')).find((t) => t.unit === 'ims-updates.timer')).toMatchObject({ enabled: true });
    expect((await units.list('lab', 'ims')).find((t) => t.unit === 'ims-updates.timer')!.next).toBeDefined();
    expect(await units.enable('ims', 'ims-updates.timer', false)).toMatchObject({ ok: true });
    expect((await nodeExec('ims', ['systemctl', 'is-enabled', 'ims-updates.timer'])).stdout.trim()).toBe('disabled');
    expect(await units.enable('ims', 'ims-deploy.service', true)).toMatchObject({ ok: false, message: expect.stringMatching(/invalid unit name/) });
  });

  it('hostile unit names are rejected before anything is sent', async () => {
    remote.calls.length = 0;
    for (const bad of ['a;reboot.service', '$(id).timer', '--help', '-x.service', 'a\nb.service', 'x.service; reboot']) {
      expect((await units.runNow(ctx(), 'ims', bad)).message).toMatch(/^invalid unit name/);
      expect((await units.resetFailed('ims', bad)).ok).toBe(false);
      expect((await units.enable('ims', bad, false)).ok).toBe(false);
      await expect(units.journal('ims', bad)).rejects.toThrow(/invalid unit name/);
    }
    expect(remote.calls).toEqual([]);
  });
});
