import type { ActionContext } from '../app/action.ts';
import type { Backend, SourceSpec } from '../app/backend.ts';
import type { KindId } from '../app/kind.ts';
import { UserError, type ActionResult } from '../app/status.ts';
import { bytes, duration, timestamp } from '../app/format.ts';
import { LoadHistory } from '../vitals/history.ts';
import type { FleetNode, MountVitals } from '../nodes/model.ts';
import type { Colour, ServiceInstance } from '../services/model.ts';
import type { Timer } from '../units/model.ts';
import type { BackupSet } from '../backups/model.ts';
import type { Certificate } from '../certs/model.ts';
import { nextRun, previousRun } from './calendar.ts';
import { buildFleet, type DemoEnv, type DemoNode, type DemoService, type DemoSet, type DemoTimer } from './fleet.ts';
import { createRng, type Rng } from './random.ts';
import { delay, play } from './simulate.ts';
import { same } from './same.ts';

export interface DemoOptions {
  /** Rows in the Timers panel of production (extra nodes `node-0001`… make up the rest). */
  size?: number;
  seed?: number;
  /** Scales the demo's cadences and action durations: 10 plays them ten times faster. */
  speed?: number;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  clock?: () => number;
  /** Simulated fetch latency range in ms (default 10-200). */
  latencyMs?: [number, number];
}

const DAY = 86_400_000;
// Cadences of the moving parts at speed 1.
const FLAKY_PERIOD = 45_000;
const FLAKY_UNHEALTHY: [number, number] = [25_000, 37_000];
const FLAKY_SOURCE_PERIOD = 60_000;
const FLAKY_SOURCE_DOWN: [number, number] = [40_000, 52_000];

const intervals: Record<Exclude<KindId, 'audit'>, number> = { nodes: 2_000, services: 2_000, timers: 3_000, backups: 5_000, certs: 10_000, secrets: 10_000 };

/** Docker's `Up 3 hours` wording. */
function dockerUp(ms: number): string {
  const s = Math.max(0, ms / 1000);
  if (s < 60) return `Up ${Math.max(1, Math.floor(s))} seconds`;
  if (s < 120) return 'Up About a minute';
  if (s < 3600) return `Up ${Math.floor(s / 60)} minutes`;
  if (s < 7200) return 'Up About an hour';
  if (s < 172_800) return `Up ${Math.floor(s / 3600)} hours`;
  if (s < 1_209_600) return `Up ${Math.floor(s / 86_400)} days`;
  if (s < 5_184_000) return `Up ${Math.floor(s / 604_800)} weeks`;
  return `Up ${Math.floor(s / 2_592_000)} months`;
}

const inWindow = (now: number, speed: number, period: number, [from, to]: [number, number]) => {
  const phase = (now * speed) % period;
  return phase >= from && phase < to;
};

/**
 * A simulated fleet behind the same Backend interface as the live drivers: `--demo`, the
 * screenshots and the benchmarks run on it. Its state moves with the clock (a WAL push every
 * ~20 s, a flaky service, jittering latency) and its actions change it.
 */
export function createDemoBackend(options: DemoOptions = {}): Backend {
  const seed = options.seed ?? 1;
  const speed = options.speed && options.speed > 0 ? options.speed : 1;
  const clock = options.clock ?? Date.now;
  const [latMin, latMax] = options.latencyMs ?? [10, 200];
  const t0 = clock();
  const envs = new Map(buildFleet(seed, t0, options.size).map((e) => [e.name, e]));
  const jitter: Rng = createRng(seed ^ 0x5eed);
  const sourceCache = new Map<string, SourceSpec[]>();
  const generatedRows = new Map<string, { rows: unknown[]; validUntil: number }>();
  let closed = false;

  const envOf = (name: string): DemoEnv | undefined => envs.get(name);

  // ---- rows -------------------------------------------------------------------------------

  const loadHistory = new LoadHistory(60);

  /** The root disk and, on the OpenStack VMs, the block-storage volume (seed 000). */
  function demoMounts(n: DemoNode): MountVitals[] {
    const GB = 1024 * 1024;
    const mount = (path: string, filesystem: string, sizeGb: number, usedPct: number, inodesUsedPct: number): MountVitals => {
      const sizeKb = sizeGb * GB;
      const usedKb = Math.round((sizeKb * usedPct) / 100);
      return { path, filesystem, type: 'ext4', sizeKb, usedKb, availKb: sizeKb - usedKb, usedPct: Math.round(usedPct), inodesUsedPct };
    };
    if (n.disk.path === '/') return [mount('/', '/dev/vda1', 20, n.disk.usedPct, 12)];
    return [mount('/', '/dev/vda9', 16, Math.min(n.disk.usedPct, 38), 9), mount(n.disk.path, '/dev/vdb', 100, n.disk.usedPct, 4)];
  }

  function nodeRow(env: DemoEnv, n: DemoNode, wobble: boolean): FleetNode {
    const row: FleetNode = {
      env: env.name,
      name: n.name,
      address: n.address,
      origin: n.origin,
      state: n.rebooting ? 'building' : n.state,
      size: n.size,
      region: n.region,
      createdAt: n.createdAt,
      reach: { state: 'unknown' },
    };
    if (n.role) row.role = n.role;
    if (n.rebooting) {
      row.reach = { state: 'unreachable', reason: 'rebooting' };
      return row;
    }
    if (n.state === 'stopped') {
      row.reach = { state: 'unreachable', reason: 'node is stopped' };
      return row;
    }
    switch (n.reach.kind) {
      case 'unreachable':
        row.reach = { state: 'unreachable', reason: n.reach.reason };
        return row;
      case 'hostkey-unknown':
        row.reach = { state: 'hostkey-unknown', fingerprint: n.reach.fingerprint };
        return row;
      case 'ok': {
        const spike = wobble && jitter() < 0.04 ? 4 : 1;
        const f = wobble ? 0.7 + 0.6 * jitter() : 1;
        row.reach = { state: 'connected', latencyMs: Math.round(n.baseLatencyMs * f * spike) };
        const load = wobble ? Math.max(0, n.load * (0.8 + 0.4 * jitter())) : n.load;
        row.vitals = {
          load1: Math.round(load * 100) / 100,
          cores: n.cores,
          memUsedPct: Math.round(wobble ? Math.min(99, n.memUsedPct + 4 * (jitter() - 0.5)) : n.memUsedPct),
          fullestMount: { path: n.disk.path, usedPct: Math.round(n.disk.usedPct) },
          system: n.system,
          failedUnits: n.failedUnits,
        };
        if (n.failedUnitNames) row.vitals.failedUnitNames = n.failedUnitNames;
        if (n.os) row.vitals.os = n.os;
        if (n.kernel) row.vitals.kernel = n.kernel;
        row.vitals.uptimeSec = Math.floor((clock() - (n.bootedAt ?? t0 - 41 * DAY)) / 1000);
        row.vitals.mounts = demoMounts(n);
        if (wobble) loadHistory.add(`${env.name}/${n.name}`, row.vitals.load1);
        const trend = loadHistory.values(`${env.name}/${n.name}`);
        if (trend.length > 1) row.loadHistory = trend;
        return row;
      }
    }
  }

  function timerRow(env: DemoEnv, t: DemoTimer, now: number): Timer {
    const row: Timer = { env: env.name, node: t.node, unit: t.unit, service: t.service, schedule: t.schedule, result: { kind: 'never' }, enabled: t.enabled, failed: false };
    if ('every' in t.cadence) {
      const period = t.cadence.every / speed;
      const fire = Math.floor(now / period) * period;
      const runMs = t.durationMs / speed;
      row.next = new Date(fire + period);
      if (now - fire < runMs) {
        row.last = new Date(fire);
        row.result = { kind: 'running' };
      } else {
        row.last = new Date(fire);
        row.lastDurationMs = t.durationMs;
        row.result = { kind: 'success' };
      }
    } else {
      const prev = previousRun(t.cadence, now);
      if (t.enabled) row.next = new Date(nextRun(t.cadence, now));
      // systemd starts the job a few seconds after the calendar time.
      row.last = new Date(prev + 3_000);
      row.lastDurationMs = t.durationMs;
      row.result = t.failsWith !== undefined ? { kind: 'exit-code', code: t.failsWith } : { kind: 'success' };
      row.failed = t.failsWith !== undefined;
      if (now < prev + 3_000 + t.durationMs) {
        // Still running since its calendar time.
        row.result = { kind: 'running' };
        row.failed = false;
        delete row.lastDurationMs;
      }
    }
    if (t.manual && t.manual.at >= (row.last?.getTime() ?? 0)) {
      row.last = new Date(t.manual.at);
      row.lastDurationMs = t.manual.durationMs;
      row.result = t.manual.ok ? { kind: 'success' } : { kind: 'exit-code', code: t.failsWith ?? 1 };
      row.failed = !t.manual.ok;
    }
    if (t.runningSince !== undefined) {
      row.last = new Date(t.runningSince);
      delete row.lastDurationMs;
      row.result = { kind: 'running' };
      row.failed = false;
    }
    return row;
  }

  function findTimer(env: DemoEnv, node: string, unit: string): DemoTimer | undefined {
    const names = new Set([unit, `${unit}.timer`, unit.replace(/\.service$/, '.timer')]);
    const match = (t: DemoTimer) => t.node === node && (names.has(t.unit) || t.service === unit);
    return env.timers.find(match) ?? env.generatedTimers.flatMap((c) => c.timers).find(match);
  }

  function producer(env: DemoEnv, s: DemoSet): DemoTimer | undefined {
    if (!s.producedBy) return undefined;
    const [node, unit] = s.producedBy.split('/');
    return node && unit ? findTimer(env, node, unit) : undefined;
  }

  function setRow(env: DemoEnv, s: DemoSet, now: number): BackupSet {
    const t = producer(env, s);
    let latest: number | undefined = s.stuckAt;
    let count = s.baseCount + s.manual.length;
    if (t && s.stuckAt === undefined) {
      if ('every' in t.cadence) {
        const period = t.cadence.every / speed;
        const runMs = t.durationMs / speed;
        const done = Math.floor((now - runMs) / period);
        latest = done * period + runMs;
        count += Math.max(0, done - Math.floor(t0 / period));
      } else {
        const row = timerRow(env, t, now);
        const prev = previousRun(t.cadence, now);
        // While tonight's run is still going, the newest backup is yesterday's.
        latest = row.result.kind === 'running' && !t.runningSince ? previousRun(t.cadence, prev - 1) + 3_000 + t.durationMs : prev + 3_000 + t.durationMs;
      }
    }
    for (const end of s.manual) if (latest === undefined || end > latest) latest = end;
    const row: BackupSet = {
      env: env.name,
      name: s.name,
      kind: s.kind,
      location: s.location,
      count,
      totalSize: Math.round(s.sizeBytes * count * 0.93),
      maxAgeMs: s.maxAgeMs,
      complete: true,
      latestSize: s.sizeBytes,
    };
    if (latest !== undefined && latest <= now) row.latest = new Date(latest);
    if (s.producedBy) row.producedBy = s.producedBy;
    return row;
  }

  function serviceRow(env: DemoEnv, s: DemoService, now: number): ServiceInstance {
    let health = s.health ?? 'healthy';
    if (s.flaky && health === 'healthy' && inWindow(now, speed, FLAKY_PERIOD, FLAKY_UNHEALTHY)) health = 'unhealthy';
    const status = health === 'stopped' ? 'Exited (0) 1 second ago' : `${dockerUp(now - s.startedAt)}${health === 'healthy' || health === 'unhealthy' ? ` (${health})` : health === 'starting' ? ' (health: starting)' : ''}`;
    return { env: env.name, service: s.service, colour: s.colour, node: s.node, image: s.image, version: s.version, status, health, live: s.live, ports: s.ports, startedAt: new Date(s.startedAt) };
  }

  function certRow(env: DemoEnv, c: DemoEnv['certs'][number], now: number): Certificate {
    return { env: env.name, domain: c.domain, endpoint: c.endpoint, issuer: c.issuer, notAfter: new Date(c.notAfter), valid: c.notAfter > now, renewal: c.renewal };
  }

  // ---- sources ----------------------------------------------------------------------------

  /** A node's SSH sources fail like the real ones do when it cannot be reached. */
  function sshCheck(n: DemoNode | undefined): void {
    if (!n) return;
    if (n.rebooting) throw new UserError(`ssh through bastion: connect to ${n.address} port 22: Connection refused`, `${n.name} is rebooting`);
    if (n.state === 'stopped') throw new UserError(`ssh through bastion: connect to ${n.address} port 22: No route to host`, `${n.name} is stopped`);
    if (n.reach.kind === 'unreachable') throw new UserError(n.reach.sshError, `check on the Nodes panel whether ${n.name} is running`);
    if (n.reach.kind === 'hostkey-unknown') {
      throw new UserError(`host key of ${n.name} (${n.address}) is not in known_hosts`, `check ${n.reach.fingerprint}, then run \`opsconsole ssh trust ${n.name}\``);
    }
  }

  function source(env: DemoEnv, id: string, kind: SourceSpec['kind'], rows: (now: number) => unknown[]): SourceSpec {
    let answered = false;
    let last: unknown[] | undefined;
    return {
      id,
      kind,
      intervalMs: intervals[kind as Exclude<KindId, 'audit'>],
      fetch: async (signal) => {
        await delay(latMin + (latMax - latMin) * jitter(), signal);
        if (closed) throw new UserError('the demo backend is closed');
        const now = clock();
        const flaky = env.flakySources[id];
        // A flaky source fails only after its first answer: the panel then shows its last good
        // rows dimmed, and one-shot commands (one fetch each) stay deterministic.
        if (flaky && answered && inWindow(now, speed, FLAKY_SOURCE_PERIOD, FLAKY_SOURCE_DOWN)) throw new UserError(flaky.message, flaky.hint);
        answered = true;
        const fresh = rows(now);
        // Equal rows come back as the previous array: the store then skips the render.
        if (last !== undefined && same(fresh, last)) return last;
        last = fresh;
        return fresh;
      },
    };
  }

  function cachedRows<T extends FleetNode | Timer>(key: string, now: number, build: () => { rows: T[]; validUntil: number }): T[] {
    const hit = generatedRows.get(key);
    if (hit && now < hit.validUntil) return hit.rows as T[];
    const fresh = build();
    generatedRows.set(key, fresh);
    return fresh.rows;
  }

  function buildSources(env: DemoEnv): SourceSpec[] {
    const specs: SourceSpec[] = [];
    const node = (name: string) => env.nodes.find((n) => n.name === name) ?? env.generated.find((n) => n.name === name);
    for (const origin of [...new Set(env.nodes.map((n) => n.origin))]) {
      specs.push(
        source(env, `nodes@${origin}`, 'nodes', (now) => {
          const rows = env.nodes.filter((n) => n.origin === origin).map((n) => nodeRow(env, n, true));
          if (origin !== 'embassy' || env.generated.length === 0) return rows;
          // Precomputed: 10,000 rows must not make the poll slow. A reboot invalidates them.
          const extra = cachedRows(`${env.name}/nodes`, now, () => ({ rows: env.generated.map((n) => nodeRow(env, n, false)), validUntil: Infinity }));
          return rows.concat(extra);
        }),
      );
    }
    for (const n of env.nodes) {
      specs.push(
        source(env, `timers@${n.name}`, 'timers', (now) => {
          sshCheck(n);
          return env.timers.filter((t) => t.node === n.name).map((t) => timerRow(env, t, now));
        }),
      );
    }
    for (const chunk of env.generatedTimers) {
      specs.push(
        source(env, chunk.id, 'timers', (now) =>
          cachedRows(`${env.name}/${chunk.id}`, now, () => {
            const rows = chunk.timers.map((t) => timerRow(env, t, now));
            // Valid until the next run starts or a running one ends.
            let validUntil = Infinity;
            rows.forEach((r, i) => {
              if (r.next) validUntil = Math.min(validUntil, r.next.getTime() + 3_000);
              if (r.result.kind === 'running') validUntil = Math.min(validUntil, (r.last?.getTime() ?? now) + chunk.timers[i]!.durationMs);
            });
            return { rows, validUntil };
          }),
        ),
      );
    }
    for (const name of [...new Set(env.services.map((s) => s.node))]) {
      specs.push(
        source(env, `services@${name}`, 'services', (now) => {
          sshCheck(node(name));
          return env.services.filter((s) => s.node === name).map((s) => serviceRow(env, s, now));
        }),
      );
    }
    const buckets = [...new Set(env.sets.map((s) => s.location.split('/')[2]!))];
    for (const bucket of buckets) {
      specs.push(source(env, `backups@${bucket}`, 'backups', (now) => env.sets.filter((s) => s.location.split('/')[2] === bucket).map((s) => setRow(env, s, now))));
    }
    for (const group of [...new Set(env.certs.map((c) => c.group))]) {
      specs.push(source(env, `certs@${group}`, 'certs', (now) => env.certs.filter((c) => c.group === group).map((c) => certRow(env, c, now))));
    }
    for (const store of ['keychain', 'env'] as const) {
      specs.push(source(env, `secrets@${store}`, 'secrets', () => env.secrets.filter((s) => s.store === store).map((s) => ({ ...s, referencedBy: [...s.referencedBy] }))));
    }
    return specs;
  }

  // ---- actions ----------------------------------------------------------------------------

  const cancelled: ActionResult = { ok: false, message: 'cancelled' };
  const unknownEnv = (ctx: ActionContext): ActionResult => ({ ok: false, message: `unknown environment "${ctx.env}"`, hint: `one of: ${[...envs.keys()].join(', ')}` });
  const findNode = (env: DemoEnv, name: string) => env.nodes.find((n) => n.name === name) ?? env.generated.find((n) => n.name === name);
  const invalidate = (env: DemoEnv) => {
    for (const key of generatedRows.keys()) if (key.startsWith(`${env.name}/`)) generatedRows.delete(key);
  };

  async function reboot(ctx: ActionContext, name: string, hard: boolean): Promise<ActionResult> {
    const env = envOf(ctx.env);
    if (!env) return unknownEnv(ctx);
    const n = findNode(env, name);
    if (!n) return { ok: false, message: `no node "${name}" in ${env.name}`, hint: 'see `opsconsole nodes`' };
    if (n.rebooting) return { ok: false, message: `${name} is already rebooting` };
    if (n.state !== 'active') return { ok: false, message: `${name} is ${n.state}` };
    n.rebooting = true;
    invalidate(env);
    const api = n.origin === 'digitalocean' ? `POST /v2/droplets/${name}/actions {"type":"${hard ? 'power_cycle' : 'reboot'}"}` : `POST /servers/${name}/action {"reboot":{"type":"${hard ? 'HARD' : 'SOFT'}"}}`;
    const ok = await play(ctx, speed, [
      { title: `Asking ${n.origin} to reboot ${name}`, ms: 500, logs: [api, '202 Accepted'] },
      { title: `Waiting for ${name} to go down`, ms: 900, logs: [`ssh: connect to host ${n.address} port 22: Connection refused`] },
      { title: 'Waiting for SSH through the bastion', ms: 1_800, logs: ['still waiting (10 s)', `ssh: connected to ${n.address} (ed25519 key known)`] },
      { title: 'Checking the system', ms: 500, logs: [`systemctl is-system-running: ${n.system}`] },
    ]);
    n.rebooting = false;
    invalidate(env);
    if (!ok) return cancelled;
    const now = clock();
    for (const s of env.services) if (s.node === name) s.startedAt = now;
    n.load = 0.3 * n.cores;
    n.bootedAt = now;
    return { ok: true, message: `${name} rebooted and is back (system ${n.system})` };
  }

  async function runNow(ctx: ActionContext, nodeName: string, unit: string): Promise<ActionResult> {
    const env = envOf(ctx.env);
    if (!env) return unknownEnv(ctx);
    const n = findNode(env, nodeName);
    if (!n) return { ok: false, message: `no node "${nodeName}" in ${env.name}`, hint: 'see `opsconsole nodes`' };
    const t = findTimer(env, nodeName, unit);
    if (!t) return { ok: false, message: `no timer "${unit}" on ${nodeName}`, hint: `see \`opsconsole timers\`` };
    try {
      sshCheck(n);
    } catch (err) {
      const e = err as UserError;
      return { ok: false, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
    }
    if (t.runningSince !== undefined) return { ok: false, message: `${t.service} is already running on ${nodeName}` };
    const start = clock();
    t.runningSince = start;
    invalidate(env);
    const runMs = Math.min(3_500, Math.max(1_200, t.durationMs / 60));
    const failing = t.failsWith !== undefined;
    const ok = await play(ctx, speed, [
      { title: `Starting ${t.service} on ${nodeName}`, ms: 400, logs: [`$ systemctl start --no-block ${t.service}`] },
      { title: `Waiting for ${t.service}`, ms: runMs, logs: t.journal.length ? t.journal : ['started'] },
      { title: 'Reading the result', ms: 300, logs: [`Result=${failing ? 'exit-code' : 'success'} ExecMainStatus=${failing ? t.failsWith : 0}`] },
    ]);
    t.runningSince = undefined;
    invalidate(env);
    if (!ok) return cancelled;
    const end = clock();
    const took = Math.max(1, (end - start) * speed);
    t.manual = { at: start, durationMs: took, ok: !failing };
    if (failing) {
      return { ok: false, message: `${t.service} failed on ${nodeName}: exit-code ${t.failsWith}`, hint: `read its journal: journalctl -u ${t.service} on ${nodeName}` };
    }
    const set = env.sets.find((s) => s.producedBy === `${t.node}/${t.unit}`);
    if (set) set.manual.push(end);
    return { ok: true, message: `${t.service} succeeded on ${nodeName} in ${duration(took)}${set ? `; new backup in ${set.name}` : ''}` };
  }

  const instance = (env: DemoEnv, service: string, colour: Colour) => env.services.find((s) => s.service === service && s.colour === colour);

  async function cutover(ctx: ActionContext, service: string, to: Colour): Promise<ActionResult> {
    const env = envOf(ctx.env);
    if (!env) return unknownEnv(ctx);
    if (!env.services.some((s) => s.service === service)) return { ok: false, message: `no service "${service}" in ${env.name}`, hint: 'see `opsconsole services`' };
    const target = instance(env, service, to);
    if (!target) return { ok: false, message: `${service}-${to} is not running`, hint: `launch it first: opsconsole launch ${service} --colour ${to}` };
    if (target.live) return { ok: false, message: `${service}-${to} is already live` };
    const now = clock();
    const health = serviceRow(env, target, now).health;
    const live = env.services.find((s) => s.service === service && s.live);
    if (health !== 'healthy') {
      return { ok: false, message: `${service}-${to} is ${health}: traffic stays on ${live ? `${service}-${live.colour}` : 'the current colour'}`, hint: `read its logs: opsconsole logs ${service} --colour ${to}` };
    }
    const url = `https://${target.domain ?? `${service}.example.org`}/`;
    const ok = await play(ctx, speed, [
      { title: `Health-checking ${service}-${to} on ${target.node}`, ms: 700, logs: [`GET https://${target.node}:443/health → 200 OK (${target.version})`] },
      { title: 'Pointing the proxy on the bastion at the new colour', ms: 900, logs: [`upstream ${service}: ${live?.node ?? '-'}:443 → ${target.node}:443`, 'nginx -t: syntax is ok'] },
      { title: 'Reloading nginx on the bastion', ms: 500, logs: ['nginx -s reload'] },
      { title: `Verifying ${url} from outside`, ms: 800, logs: [`GET ${url} → 200 OK, version ${target.version}`] },
    ]);
    if (!ok) return cancelled;
    for (const s of env.services) if (s.service === service) s.live = s === target;
    return { ok: true, message: `${service}: traffic now goes to ${to} (${target.version})${live ? `; ${live.colour} kept for rollback` : ''}` };
  }

  async function terminate(ctx: ActionContext, service: string, colour: Colour): Promise<ActionResult> {
    const env = envOf(ctx.env);
    if (!env) return unknownEnv(ctx);
    const target = instance(env, service, colour);
    if (!target) return { ok: false, message: `${service}-${colour} is not running in ${env.name}` };
    if (target.live) return { ok: false, message: `${service}-${colour} is live`, hint: 'cut over to the other colour first' };
    const ok = await play(ctx, speed, [
      { title: `Stopping ${service}-${colour} on ${target.node}`, ms: 1_200, logs: [`docker stop ${service}-${colour}`, `${service}-${colour}`] },
      { title: 'Removing the container', ms: 800, logs: [`docker rm ${service}-${colour}`] },
    ]);
    if (!ok) return cancelled;
    env.services = env.services.filter((s) => s !== target);
    return { ok: true, message: `${service}-${colour} terminated on ${target.node}` };
  }

  async function restore(ctx: ActionContext, setName: string, targetName: string): Promise<ActionResult> {
    const env = envOf(ctx.env);
    if (!env) return unknownEnv(ctx);
    const set = env.sets.find((s) => s.name === setName);
    if (!set) return { ok: false, message: `no backup set "${setName}" in ${env.name}`, hint: 'see `opsconsole backups`' };
    const target = findNode(env, targetName);
    if (!target) return { ok: false, message: `no node "${targetName}" in ${env.name}`, hint: 'restore onto a node of the Nodes panel' };
    const row = setRow(env, set, clock());
    if (!row.latest) return { ok: false, message: `${setName} has no backup yet` };
    const stamp = timestamp(new Date(clock())).replace(/[-: ]/g, '').slice(0, 12);
    const safety = `/var/backups/pre-restore-${setName}-${stamp}`;
    const tool: Record<DemoSet['kind'], [string, string]> = {
      'wal-e': ['pg_dumpall | gzip', 'wal-e backup-fetch /var/lib/postgresql/data LATEST'],
      'wal-g': ['pg_dumpall | gzip', 'wal-g backup-fetch /var/lib/postgresql/data LATEST'],
      pg_dump: ['pg_dump -Fc', 'pg_restore --clean --if-exists'],
      mongodump: ['mongodump --archive --gzip', 'mongorestore --archive --gzip --drop'],
      duplicity: ['tar czf', 'duplicity restore --force'],
      files: ['tar czf', 'tar xzf'],
    };
    const [save, load] = tool[set.kind];
    const ok = await play(ctx, speed, [
      { title: `Safety copy of ${targetName}`, ms: 900, logs: [`${save} > ${safety}.gz`, `safety copy: ${bytes(set.sizeBytes * 0.8)}`] },
      { title: `Downloading ${timestamp(row.latest)} from ${set.location}`, ms: 2_600, bytes: set.sizeBytes },
      { title: `Restoring into ${targetName}`, ms: 1_200, logs: [load, 'restore complete'] },
      { title: 'Verifying', ms: 400, logs: ['row counts match the backup manifest'] },
    ]);
    if (!ok) return { ok: false, message: 'cancelled', hint: `${targetName} may be partly restored; the safety copy is ${safety}.gz` };
    return { ok: true, message: `restored ${setName} (${timestamp(row.latest)}) onto ${targetName}; safety copy at ${safety}.gz`, data: { safetyCopy: `${safety}.gz` } };
  }

  async function renew(ctx: ActionContext, domain: string): Promise<ActionResult> {
    const env = envOf(ctx.env);
    if (!env) return unknownEnv(ctx);
    const cert = env.certs.find((c) => c.domain === domain);
    if (!cert) return { ok: false, message: `no certificate for "${domain}" in ${env.name}`, hint: 'see `opsconsole certs`' };
    const ok = await play(ctx, speed, [
      { title: "Ordering from Let's Encrypt", ms: 700, logs: [`new order: ${domain}`, 'authorization pending: http-01'] },
      { title: 'Answering the http-01 challenge', ms: 1_100, logs: [`GET http://${domain}/.well-known/acme-challenge/… → 200`, 'authorization valid'] },
      { title: 'Finalizing the order', ms: 500, logs: ['certificate issued'] },
      { title: `Installing on ${cert.endpoint}`, ms: 500, logs: ['nginx -t: syntax is ok', 'nginx -s reload'] },
      { title: 'Verifying from outside', ms: 600, logs: [`openssl s_client -connect ${cert.endpoint} -servername ${domain}`] },
    ]);
    if (!ok) return cancelled;
    cert.notAfter = clock() + 90 * DAY;
    cert.issuer = "Let's Encrypt R11";
    return { ok: true, message: `${domain} renewed: valid until ${timestamp(new Date(cert.notAfter))} UTC` };
  }

  return {
    mode: 'demo',
    environments: () => [...envs.values()].map((e) => ({ name: e.name, protect: e.protect })),
    sources(envName) {
      const env = envOf(envName);
      if (!env) return [];
      let specs = sourceCache.get(envName);
      if (!specs) {
        specs = buildSources(env);
        sourceCache.set(envName, specs);
      }
      return specs;
    },
    nodes: {
      reboot,
      async trust(ctx, nodeName, fingerprint) {
        const env = envOf(ctx.env);
        const n = env ? findNode(env, nodeName) : undefined;
        if (!env || !n) return { ok: false, message: `no node "${nodeName}" in ${ctx.env}` };
        if (n.reach.kind !== 'hostkey-unknown' || n.reach.fingerprint !== fingerprint) return { ok: false, message: `${nodeName} no longer offers ${fingerprint}: nothing trusted` };
        n.reach = { kind: 'ok' };
        invalidate(env);
        return { ok: true, message: `trusted ${nodeName} (${fingerprint})` };
      },
    },
    timers: {
      runNow,
      async journal(ctx, nodeName, unit, { lines }) {
        const t = envOf(ctx.env)?.timers.find((x) => x.node === nodeName && (x.service === unit || x.unit === unit));
        if (!t) return { ok: false, message: `no unit "${unit}" on ${nodeName}` };
        const stamp = () => new Date(clock()).toISOString().slice(11, 19);
        for (const line of t.journal.slice(-lines)) ctx.progress({ type: 'log', line: `${stamp()} ${t.service}: ${line}` });
        // Then follow: a demo line every 2 s until the user closes the pane.
        while (!ctx.signal.aborted) {
          await delay(2000 / speed, ctx.signal).catch(() => undefined);
          if (!ctx.signal.aborted) ctx.progress({ type: 'log', line: `${stamp()} ${t.service}: (demo) still quiet, waiting for the next run` });
        }
        return { ok: true, message: `closed the journal of ${t.service}` };
      },
      async enable(ctx, nodeName, unit, on) {
        const env = envOf(ctx.env);
        const t = env?.timers.find((x) => x.node === nodeName && x.unit === unit);
        if (!env || !t) return { ok: false, message: `no timer "${unit}" on ${nodeName}` };
        t.enabled = on;
        invalidate(env);
        return { ok: true, message: `${on ? 'enabled' : 'disabled'} ${unit} on ${nodeName}` };
      },
      async resetFailed(ctx, nodeName, unit) {
        const env = envOf(ctx.env);
        const t = env?.timers.find((x) => x.node === nodeName && (x.service === unit || x.unit === unit));
        if (!env || !t) return { ok: false, message: `no unit "${unit}" on ${nodeName}` };
        t.manual = { at: clock(), durationMs: t.durationMs, ok: true };
        invalidate(env);
        return { ok: true, message: `reset the failed state of ${t.service} on ${nodeName}` };
      },
    },
    services: { cutover, terminate },
    backups: { restore },
    certs: { renew },
    secrets: {
      // The demo keeps no values at all: it only flips the row's state.
      async set(ctx, name) {
        const row = envOf(ctx.env)?.secrets.find((s) => s.name === name && s.store === 'keychain');
        if (!row) return { ok: false, message: `no keychain:${name} in the demo's ${ctx.env}` };
        row.state = 'set';
        return { ok: true, message: `stored keychain:${name} for ${ctx.env} (demo: the value was dropped)` };
      },
      async delete(ctx, name) {
        const row = envOf(ctx.env)?.secrets.find((s) => s.name === name && s.store === 'keychain');
        if (!row || row.state !== 'set') return { ok: false, message: `keychain:${name} is not set for ${ctx.env}` };
        row.state = 'missing';
        return { ok: true, message: `deleted keychain:${name} for ${ctx.env}` };
      },
    },
    tunnels: {
      // The demo's nodes do not exist: a tunnel would have nothing to reach. Say so.
      open: async (_ctx, node) => ({ ok: false, message: `the demo fleet has no real ${node} to tunnel to`, hint: 'run with a config (-c FILE) to open tunnels' }),
      list: () => [],
      close: async () => undefined,
      named: () => [],
      subscribe: () => () => undefined,
    },
    async close() {
      closed = true;
    },
  };
}
