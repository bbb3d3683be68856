import { describe, expect, it } from 'vitest';
import type { ActionContext, ProgressEvent } from '../../../source/app/action.ts';
import type { Backend } from '../../../source/app/backend.ts';
import type { KindId } from '../../../source/app/kind.ts';
import { createDemoBackend, type DemoOptions } from '../../../source/demo/backend.ts';
import type { FleetNode } from '../../../source/nodes/model.ts';
import type { ServiceInstance } from '../../../source/services/model.ts';
import type { Timer } from '../../../source/units/model.ts';
import type { BackupSet } from '../../../source/backups/model.ts';
import type { Certificate } from '../../../source/certs/model.ts';
import type { SecretInfo } from '../../../source/secrets/model.ts';
import { kinds } from '../../../source/app/registry.ts';
import { cell } from './cells.ts';

const START = Date.UTC(2026, 11, 1, 7, 0, 0);

function demo(options: DemoOptions = {}) {
  const clock = { now: START };
  const backend = createDemoBackend({ seed: 7, latencyMs: [0, 0], clock: () => clock.now, ...options });
  return { backend, clock };
}

async function fetchKind<T>(backend: Backend, kind: KindId, env = 'production') {
  const rows: T[] = [];
  const errors: Record<string, string> = {};
  for (const spec of backend.sources(env).filter((s) => s.kind === kind)) {
    try {
      rows.push(...((await spec.fetch(new AbortController().signal)) as T[]));
    } catch (err) {
      errors[spec.id] = (err as Error).message;
    }
  }
  return { rows, errors };
}

function context(backend: Backend, env = 'production') {
  const events: ProgressEvent[] = [];
  const abort = new AbortController();
  const ctx: ActionContext = { env, backend, signal: abort.signal, progress: (e) => events.push(e) };
  return { ctx, events, abort };
}

describe('demo fleet', () => {
  it('has a protected production and an unprotected test environment', () => {
    expect(demo().backend.environments()).toEqual([
      { name: 'production', protect: true },
      { name: 'test', protect: false },
    ]);
    expect(demo().backend.mode).toBe('demo');
  });

  it('looks like the seeds: Embassy and DigitalOcean nodes, one unreachable', async () => {
    const { rows } = await fetchKind<FleetNode>(demo().backend, 'nodes');
    const names = rows.map((n) => n.name);
    expect(names).toEqual(expect.arrayContaining(['bastion', 'ims', 'ims-staging', 'tracker', 'ginormica', 'drcockroach', 'bob', 'docker-512mb-ams2-02']));
    expect(rows.find((n) => n.name === 'ims')?.origin).toBe('embassy');
    expect(rows.find((n) => n.name === 'bob')?.origin).toBe('digitalocean');
    expect(rows.filter((n) => n.reach.state === 'unreachable')).toHaveLength(1);
  });

  it('gives one source per kind and node or group, polled at different intervals', () => {
    const specs = demo().backend.sources('production');
    const ids = specs.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['nodes@embassy', 'timers@ims', 'services@ginormica', 'certs@external', 'secrets@keychain']));
    expect(specs.some((s) => s.kind === 'audit')).toBe(false);
    expect(new Set(specs.map((s) => s.intervalMs)).size).toBeGreaterThan(2);
    expect(demo().backend.sources('nowhere')).toEqual([]);
  });

  it('marks only the unreachable node’s own source as failing', async () => {
    const { rows, errors } = await fetchKind<Timer>(demo().backend, 'timers');
    expect(Object.keys(errors)).toEqual(['timers@eb644c9c-8a7d-4d3e-8c55-9ab34998a90c.node.dockerapp.io']);
    expect(rows.length).toBeGreaterThan(10);
  });

  it('has a failed duplicity backup, a stale set and certificates about to expire', async () => {
    const now = new Date(START);
    const { backend } = demo();
    const timers = (await fetchKind<Timer>(backend, 'timers')).rows;
    const duplicity = timers.find((t) => t.unit === 'duplicity-backups.timer')!;
    expect(duplicity).toMatchObject({ node: 'ims', service: 'duplicity-backups.service', failed: true, result: { kind: 'exit-code', code: 1 } });

    const sets = (await fetchKind<BackupSet>(backend, 'backups')).rows;
    expect(sets.map((s) => s.name)).toEqual(expect.arrayContaining(['ims-postgres', 'ims-media', 'tracker-mongodb']));
    const fresh = sets.map((s) => [s.name, cell(kinds.backups, 'FRESH', s, now).tone]);
    expect(fresh.filter(([, tone]) => tone === 'error').map(([name]) => name)).toEqual(['ims-media']);

    const certs = (await fetchKind<Certificate>(backend, 'certs')).rows;
    const tone = (d: string) => cell(kinds.certs, 'EXPIRES', certs.find((c) => c.domain === d)!, now);
    expect(tone('ims.ebisc.org')).toEqual({ text: 'in 60 days', tone: 'ok' });
    expect(tone('tracker.ebisc.org')).toEqual({ text: 'in 9 days', tone: 'warn' });
    expect(tone('nmpi.hbpneuromorphic.eu')).toEqual({ text: 'in 5 days', tone: 'error' });
  });

  it('runs nmpi and quotas in blue and green with one live colour each', async () => {
    const { rows } = await fetchKind<ServiceInstance>(demo().backend, 'services');
    for (const service of ['nmpi', 'quotas']) {
      const colours = rows.filter((s) => s.service === service);
      expect(colours.map((s) => s.colour).sort()).toEqual(['blue', 'green']);
      expect(colours.filter((s) => s.live)).toHaveLength(1);
    }
    expect(rows.map((s) => s.service)).toEqual(expect.arrayContaining(['docs', 'db']));
  });

  it('lists secrets by state, never with a value', async () => {
    const { rows } = await fetchKind<SecretInfo>(demo().backend, 'secrets');
    expect(new Set(rows.map((s) => s.state))).toEqual(new Set(['set', 'missing']));
    for (const s of rows) expect(Object.keys(s).sort()).toEqual(['env', 'name', 'referencedBy', 'state', 'store']);
  });

  it('has a smaller test environment', async () => {
    const { backend } = demo();
    const prod = (await fetchKind<FleetNode>(backend, 'nodes')).rows;
    const test = (await fetchKind<FleetNode>(backend, 'nodes', 'test')).rows;
    expect(test.length).toBeGreaterThan(0);
    expect(test.length).toBeLessThan(prod.length);
    expect(test.every((n) => n.env === 'test')).toBe(true);
  });

  it('gives the same rows for the same seed and clock', async () => {
    const a = demo({ size: 600 });
    const b = demo({ size: 600 });
    for (const kind of ['nodes', 'timers', 'services', 'backups', 'certs', 'secrets'] as const) {
      expect(JSON.stringify(await fetchKind(a.backend, kind))).toBe(JSON.stringify(await fetchKind(b.backend, kind)));
    }
    const c = demo({ size: 600, seed: 8 });
    expect(JSON.stringify(await fetchKind(c.backend, 'nodes'))).not.toBe(JSON.stringify(await fetchKind(a.backend, 'nodes')));
  });

  it('scales the Timers panel to the requested size with generated nodes', async () => {
    const { backend } = demo({ size: 10_000 });
    const { rows } = await fetchKind<Timer>(backend, 'timers');
    expect(rows).toHaveLength(10_000);
    expect(rows.some((t) => t.node === 'node-0001')).toBe(true);
    const nodes = (await fetchKind<FleetNode>(backend, 'nodes')).rows;
    expect(nodes.length).toBeGreaterThan(1_000);
  });

  it('honours the abort signal of a fetch', async () => {
    const { backend } = demo({ latencyMs: [5_000, 5_000] });
    const abort = new AbortController();
    const pending = backend.sources('production')[0]!.fetch(abort.signal);
    abort.abort();
    await expect(pending).rejects.toThrow();
  });
});

describe('demo movement', () => {
  it('fires the WAL push timer every 20 s and a backup lands in its set', async () => {
    const { backend, clock } = demo();
    const timerOf = async () => (await fetchKind<Timer>(backend, 'timers')).rows.find((t) => t.unit === 'postgres-wal-push.timer')!;
    const setOf = async () => (await fetchKind<BackupSet>(backend, 'backups')).rows.find((s) => s.name === 'ims-postgres-wal')!;
    clock.now = START + 5_000;
    const before = { timer: await timerOf(), set: await setOf() };
    clock.now = START + 25_000;
    const after = { timer: await timerOf(), set: await setOf() };
    expect(after.timer.last!.getTime() - before.timer.last!.getTime()).toBe(20_000);
    expect(after.set.count).toBe(before.set.count + 1);
    expect(after.set.latest!.getTime()).toBeGreaterThan(before.set.latest!.getTime());
  });

  it('lets quotas-green go unhealthy and recover', async () => {
    const { backend, clock } = demo();
    const seen = new Set<string>();
    for (let s = 0; s < 45; s += 5) {
      clock.now = START + s * 1_000;
      const { rows } = await fetchKind<ServiceInstance>(backend, 'services');
      seen.add(rows.find((r) => r.service === 'quotas' && r.colour === 'green')!.health);
    }
    expect(seen).toEqual(new Set(['healthy', 'unhealthy']));
  });

  it('fails certs@external now and then with a TLS timeout', async () => {
    const { backend, clock } = demo();
    const messages = new Set<string>();
    for (let s = 0; s < 60; s += 4) {
      clock.now = START + s * 1_000;
      messages.add((await fetchKind(backend, 'certs')).errors['certs@external'] ?? 'ok');
    }
    expect(messages).toEqual(new Set(['ok', 'TLS handshake with nmpi.hbpneuromorphic.eu:443 timed out after 5 s']));
  });

  it('jitters node latency between polls', async () => {
    const { backend } = demo();
    const latencies = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const ims = (await fetchKind<FleetNode>(backend, 'nodes')).rows.find((n) => n.name === 'ims')!;
      if (ims.reach.state === 'connected') latencies.add(ims.reach.latencyMs);
    }
    expect(latencies.size).toBeGreaterThan(1);
  });
});

describe('demo actions', () => {
  it('cuts nmpi over to green with progress and flips the live colour', async () => {
    const { backend } = demo({ speed: 100 });
    const { ctx, events } = context(backend);
    const result = await backend.services.cutover(ctx, 'nmpi', 'green');
    expect(result).toMatchObject({ ok: true });
    expect(events.filter((e) => e.type === 'step').length).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.type === 'log')).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'percent', value: 100 });
    const { rows } = await fetchKind<ServiceInstance>(backend, 'services');
    expect(rows.filter((s) => s.service === 'nmpi' && s.live).map((s) => s.colour)).toEqual(['green']);
  });

  it('stops when cancelled and changes nothing', async () => {
    const { backend } = demo({ speed: 20 });
    const { ctx, abort } = context(backend);
    const pending = backend.services.cutover(ctx, 'nmpi', 'green');
    setTimeout(() => abort.abort(), 30);
    expect(await pending).toEqual({ ok: false, message: 'cancelled' });
    const { rows } = await fetchKind<ServiceInstance>(backend, 'services');
    expect(rows.find((s) => s.service === 'nmpi' && s.live)?.colour).toBe('blue');
  });

  it('refuses to terminate the live colour and removes an idle one', async () => {
    const { backend } = demo({ speed: 100 });
    expect(await backend.services.terminate(context(backend).ctx, 'nmpi', 'blue')).toMatchObject({ ok: false, message: 'nmpi-blue is live' });
    expect(await backend.services.terminate(context(backend).ctx, 'nmpi', 'green')).toMatchObject({ ok: true });
    const { rows } = await fetchKind<ServiceInstance>(backend, 'services');
    expect(rows.filter((s) => s.service === 'nmpi').map((s) => s.colour)).toEqual(['blue']);
  });

  it('runs a timer now: its last run moves and a backup lands in its set', async () => {
    const { backend, clock } = demo({ speed: 100 });
    const sets = async () => (await fetchKind<BackupSet>(backend, 'backups')).rows.find((s) => s.name === 'tracker-mongodb')!;
    const before = await sets();
    clock.now = START + 60_000;
    const { ctx, events } = context(backend);
    const result = await backend.timers.runNow(ctx, 'tracker', 'mongodb-backups.timer');
    expect(result).toMatchObject({ ok: true });
    expect(events.some((e) => e.type === 'log' && e.line.includes('systemctl start'))).toBe(true);
    const timer = (await fetchKind<Timer>(backend, 'timers')).rows.find((t) => t.unit === 'mongodb-backups.timer')!;
    expect(timer.last?.getTime()).toBe(START + 60_000);
    expect(timer.result).toEqual({ kind: 'success' });
    const after = await sets();
    expect(after.count).toBe(before.count + 1);
    expect(after.latest?.getTime()).toBe(START + 60_000);
  });

  it('reports the failing duplicity job as failed when run now', async () => {
    const { backend } = demo({ speed: 100 });
    const result = await backend.timers.runNow(context(backend).ctx, 'ims', 'duplicity-backups.timer');
    expect(result).toMatchObject({ ok: false, message: 'duplicity-backups.service failed on ims: exit-code 1' });
    expect(await backend.timers.runNow(context(backend).ctx, 'ims', 'nope.timer')).toMatchObject({ ok: false, message: 'no timer "nope.timer" on ims' });
  });

  it('restores with bytes progress', async () => {
    const { backend } = demo({ speed: 100 });
    const { ctx, events } = context(backend);
    const result = await backend.backups.restore(ctx, 'ims-postgres', 'ims-staging');
    expect(result).toMatchObject({ ok: true });
    const transfer = events.filter((e) => e.type === 'bytes');
    expect(transfer.length).toBeGreaterThan(2);
    expect(transfer.at(-1)).toMatchObject({ done: 1_420_000_000, total: 1_420_000_000 });
  });

  it('renews a certificate for another 90 days', async () => {
    const { backend } = demo({ speed: 100 });
    expect(await backend.certs.renew(context(backend).ctx, 'nmpi.hbpneuromorphic.eu')).toMatchObject({ ok: true });
    const { rows } = await fetchKind<Certificate>(backend, 'certs');
    const nmpi = rows.find((c) => c.domain === 'nmpi.hbpneuromorphic.eu');
    expect(nmpi!.notAfter!.getTime()).toBe(START + 90 * 86_400_000);
    expect(await backend.certs.renew(context(backend).ctx, 'tracker.ebisc.org')).toMatchObject({ ok: true });
    const tracker = (await fetchKind<Certificate>(backend, 'certs')).rows.find((c) => c.domain === 'tracker.ebisc.org')!;
    expect(tracker.notAfter!.getTime()).toBe(START + 90 * 86_400_000);
  });

  it('reboots a node: building while it runs, active after', async () => {
    const { backend } = demo({ speed: 50 });
    const { ctx, events } = context(backend);
    const pending = backend.nodes.reboot(ctx, 'tracker', false);
    await new Promise((r) => setTimeout(r, 20));
    const during = (await fetchKind<FleetNode>(backend, 'nodes')).rows.find((n) => n.name === 'tracker')!;
    expect(during.state).toBe('building');
    expect((await fetchKind(backend, 'timers')).errors['timers@tracker']).toMatch(/Connection refused/);
    expect(await pending).toMatchObject({ ok: true });
    const after = (await fetchKind<FleetNode>(backend, 'nodes')).rows.find((n) => n.name === 'tracker')!;
    expect(after.state).toBe('active');
    expect(events.some((e) => e.type === 'step')).toBe(true);
  });

  it('acts in the environment of the context', async () => {
    const { backend } = demo({ speed: 100 });
    expect(await backend.services.cutover(context(backend, 'test').ctx, 'quotas', 'green')).toMatchObject({ ok: false, message: 'no service "quotas" in test' });
    expect(await backend.services.cutover(context(backend, 'staging').ctx, 'nmpi', 'green')).toMatchObject({ ok: false, message: 'unknown environment "staging"' });
  });
});

describe('demo fleet through the kinds', () => {
  it('prints every panel of the morning check with its alarms in colour', async () => {
    const { printTable } = await import('../../../source/app/print.ts');
    const { backend } = demo();
    const now = new Date(START);
    const out: Record<string, string> = {};
    for (const kind of ['nodes', 'services', 'timers', 'backups', 'certs', 'secrets'] as const) {
      const { rows } = await fetchKind(backend, kind);
      out[kind] = printTable(kinds[kind], rows, { now, color: true, width: 160 });
      for (const row of rows) expect(kinds[kind].details!(row, now).length).toBeGreaterThan(2);
    }
    const red = (text: string) => `\u001b[31m${text}\u001b[0m`;
    expect(out.timers!.split('\n')[2]).toContain(red('exit-code 1'));
    expect(out.backups).toContain(red('stale: 24h over 26h'));
    expect(out.certs).toContain(red('in 5 days'));
    expect(out.nodes).toContain(red('unreachable: timed out after 10 s'));
    expect(out.services).toContain('\u001b[1;36mlive\u001b[0m');
    expect(out.secrets).toContain(red('missing'));
  });
});
