// Faults against the real lab: a node's sshd stopped, a node or the bastion partitioned, the
// bastion killed and restarted. Every call must fail within 5 s with a clear SshError naming
// the node, the other node must keep working, and the Fleet must recover on its own.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../source/ssh/fleet.ts';
import { SshError } from '../../source/ssh/errors.ts';
import { healBastion, healNode, killBastion, nodeExec, partitionBastion, partitionNode, restartBastion, startNodeSshd, stopNodeSshd } from './lab.ts';
import type { LabState } from './state.ts';
import { fleetOptions, lab, timed, until } from '../fixtures/ssh/lab-fleet.ts';

let L: LabState;
const fleets: Fleet[] = [];
function fleet(): Fleet {
  const f = new Fleet(fleetOptions(L, { backoff: { initialMs: 250, maxMs: 2000 } }));
  fleets.push(f);
  return f;
}
const repairs: (() => Promise<void>)[] = [];

beforeAll(() => {
  L = lab(); // throws loudly when the lab is down
});
afterEach(async () => {
  // Leave the lab as we found it even when an assertion failed.
  for (const r of repairs.splice(0).reverse()) await r().catch(() => {});
});
afterAll(async () => {
  await Promise.all(fleets.map((f) => f.close()));
});

const report = (what: string, ms: number, err?: unknown) =>
  console.log(`ssh fault: ${what}: ${(ms / 1000).toFixed(3)} s${err ? ` -- ${(err as Error).message}` : ''}`);

function expectSshError(e: unknown, node: string, pattern: RegExp): SshError {
  expect(e).toBeInstanceOf(SshError);
  const se = e as SshError;
  expect(se.node).toBe(node);
  expect(se.message).toMatch(pattern);
  return se;
}

describe('ssh faults', () => {
  it('node sshd stopped: that node fails clearly within 5 s, the other works, then recovers', async () => {
    const f = fleet();
    await f.exec('bastion', ['true']); // bastion connection up, no node connections yet
    await stopNodeSshd('ims');
    repairs.push(() => startNodeSshd('ims'));

    const [ims, tracker] = await Promise.all([timed(f.exec('ims', ['hostname'])), timed(f.exec('tracker', ['hostname']))]);
    report('sshd stopped -> ims exec rejected', ims.ms, ims.error);
    expectSshError(ims.error, 'ims', /^node ims unreachable: cannot reach 10\.203\.1\.11:22 from bastion 10\.203\.0\.2:22: Connection refused/);
    expect(ims.ms).toBeLessThan(5000);
    expect(tracker.value?.stdout).toBe('tracker\n');
    expect((await f.ping('ims')).state).toBe('unreachable');

    await startNodeSshd('ims');
    const rec = await until('ims recovers', 15_000, () => f.exec('ims', ['hostname']));
    report('sshd started -> ims exec ok again after', rec.ms);
    expect(rec.value.stdout).toBe('ims\n');
  });

  it('node partitioned: in-flight exec and stream fail within 5 s, the other node works, heal recovers', async () => {
    const f = fleet();
    await Promise.all([f.exec('ims', ['true']), f.exec('tracker', ['true'])]);
    const lines: string[] = [];
    const fwd = await f.forward('ims', '127.0.0.1', 22);
    const fwdClosed = new Promise<number>((resolve) => {
      fwd.on('error', () => {});
      fwd.once('close', () => resolve(performance.now()));
    });
    const inflightExec = timed(f.exec('ims', ['sleep', '30']));
    const inflightStream = timed(f.stream('ims', ['sh', '-c', 'while :; do echo tick; sleep 0.2; done'], { onLine: (l) => lines.push(l) }));
    await until('stream running', 3000, async () => {
      if (lines.length === 0) throw new Error('no line yet');
    }, 20);
    const t0 = performance.now();
    await partitionNode('ims');
    repairs.push(() => healNode('ims'));

    const [ex, st] = await Promise.all([inflightExec, inflightStream]);
    const exMs = performance.now() - t0;
    report('ims partitioned -> in-flight exec + stream rejected', exMs, ex.error);
    expectSshError(ex.error, 'ims', /^node ims unreachable: keepalive timeout$/);
    expectSshError(st.error, 'ims', /^node ims unreachable: keepalive timeout$/);
    expect(exMs).toBeLessThan(5000);
    // An open forward() channel through the dead node connection is closed too.
    expect((await fwdClosed) - t0).toBeLessThan(5000);

    // While partitioned: tracker is fine, a new ims call fails (connect timeout via the bastion).
    const tr = await timed(f.exec('tracker', ['hostname']));
    expect(tr.value?.stdout).toBe('tracker\n');
    const again = await timed(f.exec('ims', ['true']));
    report('ims partitioned -> new exec rejected', again.ms, again.error);
    expectSshError(again.error, 'ims', /^node ims unreachable: no answer from 10\.203\.1\.11:22 within 4 s/);
    expect(again.ms).toBeLessThan(5000);

    await healNode('ims');
    const rec = await until('ims recovers', 20_000, () => f.exec('ims', ['hostname']));
    report('ims healed -> exec ok again after', rec.ms);
    expect(rec.value.stdout).toBe('ims\n');
  });

  it('node sshd crashed (all its processes killed): in-flight exec fails at once, next call reconnects', async () => {
    const f = fleet();
    await Promise.all([f.exec('ims', ['true']), f.exec('tracker', ['true'])]);
    const inflight = timed(f.exec('ims', ['sleep', '30']));
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    repairs.push(() => startNodeSshd('ims'));
    await nodeExec('ims', ['pkill', '-KILL', '-x', 'sshd']);
    const ex = await inflight;
    const ms = performance.now() - t0;
    report('ims sshd killed -> in-flight exec rejected', ms, ex.error);
    expectSshError(ex.error, 'ims', /^node ims unreachable: /);
    expect(ms).toBeLessThan(5000);
    expect((await f.exec('tracker', ['hostname'])).stdout).toBe('tracker\n');
    await startNodeSshd('ims'); // systemd may or may not have restarted it already
    const rec = await until('ims recovers', 15_000, () => f.exec('ims', ['hostname']));
    report('ims sshd back -> exec ok again after', rec.ms);
    expect(rec.value.stdout).toBe('ims\n');
  });

  it('bastion killed: everything fails within 5 s and clearly, then reconnects after restart', async () => {
    const f = fleet();
    await Promise.all([f.exec('ims', ['true']), f.exec('tracker', ['true'])]);
    const inflight = timed(f.exec('ims', ['sleep', '30']));
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    await killBastion();
    repairs.push(() => restartBastion());
    const ex = await inflight;
    const ms = performance.now() - t0;
    report('bastion killed -> in-flight ims exec rejected', ms, ex.error);
    expectSshError(ex.error, 'ims', /^node ims unreachable: bastion 10\.203\.0\.2:22 unreachable: /);
    expect(ms).toBeLessThan(5000);

    const down = await timed(f.exec('tracker', ['true']));
    report('bastion down -> new tracker exec rejected', down.ms, down.error);
    expectSshError(down.error, 'tracker', /^node tracker unreachable: bastion 10\.203\.0\.2:22 refused connection/);
    expect(down.ms).toBeLessThan(5000);
    const b = await timed(f.exec('bastion', ['true']));
    expectSshError(b.error, 'bastion', /^bastion 10\.203\.0\.2:22 refused connection/);

    await restartBastion();
    const rec = await until('fleet reconnects', 20_000, () => Promise.all([f.exec('ims', ['hostname']), f.exec('tracker', ['hostname'])]));
    report('bastion restarted -> both nodes ok again after', rec.ms);
    expect(rec.value.map((r) => r.stdout)).toEqual(['ims\n', 'tracker\n']);
  });

  it('bastion partitioned: in-flight calls on both nodes fail within 5 s, heal recovers', async () => {
    const f = fleet();
    await Promise.all([f.exec('ims', ['true']), f.exec('tracker', ['true'])]);
    const a = timed(f.exec('ims', ['sleep', '30']));
    const b = timed(f.exec('tracker', ['sleep', '30']));
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    await partitionBastion();
    repairs.push(() => healBastion());
    const [ra, rb] = await Promise.all([a, b]);
    const ms = performance.now() - t0;
    report('bastion partitioned -> in-flight execs on both nodes rejected', ms, ra.error);
    expectSshError(ra.error, 'ims', /^node ims unreachable: .*keepalive timeout/);
    expectSshError(rb.error, 'tracker', /^node tracker unreachable: .*keepalive timeout/);
    expect(ms).toBeLessThan(5000);
    const c = await timed(f.exec('ims', ['true']));
    report('bastion partitioned -> new exec rejected', c.ms, c.error);
    expectSshError(c.error, 'ims', /^node ims unreachable: bastion 10\.203\.0\.2:22 unreachable: /);
    expect(c.ms).toBeLessThan(5000);

    await healBastion();
    const rec = await until('fleet reconnects', 20_000, () => f.exec('ims', ['hostname']));
    report('bastion healed -> exec ok again after', rec.ms);
    expect(rec.value.stdout).toBe('ims\n');
  });
});
