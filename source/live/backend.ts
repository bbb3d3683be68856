import { readFileSync } from 'node:fs';
import type { Backend, SourceSpec } from '../app/backend.ts';
import type { ActionResult } from '../app/status.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { EnvironmentConfig } from '../config/schema.ts';
import { refreshOf, thresholdsFor } from '../config/schema.ts';
import { secretRefsOf } from '../config/summary.ts';
import type { FleetNode, NodeVitals } from '../nodes/model.ts';
import { fetchVitals } from '../vitals/fetch.ts';
import { evaluateVitals } from '../vitals/thresholds.ts';
import { LoadHistory } from '../vitals/history.ts';
import { createUnitsDriver, type UnitsDriver } from '../units/driver.ts';
import type { Timer } from '../units/model.ts';
import { createRedactor, type Redactor } from '../secrets/redact.ts';
import { createSecretResolver, type SecretResolver } from '../secrets/resolve.ts';
import { createKeychain, type Keychain } from '../secrets/keychain.ts';
import { collectSecretInfos } from '../secrets/fetch.ts';
import type { Fleet } from '../ssh/fleet.ts';
import type { TunnelRegistry } from '../tunnels/registry.ts';
import { defaultSshConfigPath } from '../ssh/ssh-config.ts';
import { fleetOptionsFor } from './fleet-options.ts';
import { shellArgs } from '../ssh/openssh.ts';

export interface LiveBackend {
  backend: Backend;
  redact: (text: string) => string;
  redactor: Redactor;
  resolver: SecretResolver;
  keychain: Keychain | undefined;
  fleetFor(env: string): Promise<Fleet>;
  /** OpenSSH argv for an interactive shell on a node, through the same hops and known_hosts. */
  shellArgv(env: string, node: string, command?: string[]): { argv: string[] } | { error: string };
}

function notYet(what: string): Promise<ActionResult> {
  return Promise.resolve({ ok: false, message: `${what} is not available for live environments yet`, hint: 'try it with --demo' });
}

function readSshConfigText(): string | undefined {
  try {
    return readFileSync(defaultSshConfigPath(), 'utf8');
  } catch {
    return undefined;
  }
}

/** The drivers for environments of the config: SSH through the bastion, the OS keychain. */
export function createLiveBackend(loaded: LoadedConfig, opts: { env: NodeJS.ProcessEnv; noKeychain: boolean }): LiveBackend {
  const config = loaded.config;
  const redactor = createRedactor();
  const keychain = opts.noKeychain ? undefined : createKeychain({ env: opts.env });
  const resolver = createSecretResolver({ ...(keychain ? { keychain } : {}), env: opts.env, noKeychain: opts.noKeychain, redactor });
  const fleets = new Map<string, Promise<Fleet>>();
  const envConfig = (name: string): EnvironmentConfig => {
    const env = config.environments[name];
    if (!env) throw new Error(`unknown environment ${name}`);
    return env;
  };

  // ssh2 is loaded on first use, never before the first frame.
  const optionsFor = (name: string) => {
    const sshConfigText = readSshConfigText();
    return fleetOptionsFor({
      env: envConfig(name),
      processEnv: opts.env,
      ...(sshConfigText ? { sshConfigText } : {}),
      passphrase: (ref) => resolver.resolve(name, ref),
    });
  };
  const fleetFor = (name: string): Promise<Fleet> => {
    let fleet = fleets.get(name);
    if (!fleet) {
      fleet = import('../ssh/fleet.ts').then(({ Fleet }) => new Fleet(optionsFor(name)));
      fleets.set(name, fleet);
    }
    return fleet;
  };

  const nodeRows = (envName: string): { name: string; address: string; role?: string }[] => {
    const env = envConfig(envName);
    const rows: { name: string; address: string; role?: string }[] = [];
    if (env.bastion) rows.push({ name: env.bastion.name, address: env.bastion.host, role: 'bastion' });
    for (const n of env.nodes) rows.push({ name: n.name, address: n.address, ...(n.role ? { role: n.role } : {}) });
    return rows;
  };

  const unitDrivers = new Map<string, Promise<UnitsDriver>>();
  const unitsFor = (envName: string): Promise<UnitsDriver> => {
    let d = unitDrivers.get(envName);
    if (!d) unitDrivers.set(envName, (d = fleetFor(envName).then((fleet) => createUnitsDriver(fleet))));
    return d;
  };

  const histories = new Map<string, LoadHistory>();
  const historyFor = (envName: string): LoadHistory => {
    let h = histories.get(envName);
    if (!h) histories.set(envName, (h = new LoadHistory(120)));
    return h;
  };

  const sources = (envName: string): SourceSpec[] => {
    const refresh = refreshOf(config, envName);
    const env = envConfig(envName);
    const history = historyFor(envName);
    const list: SourceSpec[] = nodeRows(envName).map((n) => {
      let last: NodeVitals | undefined;
      const nodeConfig = env.nodes.find((c) => c.name === n.name);
      // The bastion has no node entry: it gets the environment's thresholds.
      const thresholds = nodeConfig ? thresholdsFor(env, nodeConfig) : env.thresholds;
      return {
        // One source per node: a dead node marks only its own row.
        id: `nodes@${n.name}`,
        kind: 'nodes',
        intervalMs: refresh,
        fetch: async (signal) => {
          const fleet = await fleetFor(envName);
          const reach = await fleet.ping(n.name);
          let stale = last !== undefined;
          if (reach.state === 'connected') {
            try {
              last = await fetchVitals(fleet, n.name, { signal });
              history.add(n.name, last.load1);
              stale = false;
            } catch {
              // Reachable but the vitals command failed: keep the last sample, marked stale.
            }
          }
          const node: FleetNode = {
            env: envName,
            name: n.name,
            address: n.address,
            origin: 'config',
            ...(n.role ? { role: n.role } : {}),
            ...(nodeConfig?.ports.length ? { ports: nodeConfig.ports } : {}),
            state: reach.state === 'connected' ? 'active' : 'unknown',
            reach,
            ...(last ? { vitals: last, health: evaluateVitals(last, thresholds), loadHistory: history.values(n.name) } : {}),
            ...(last && stale ? { vitalsStale: true } : {}),
          };
          return [node];
        },
      };
    });
    for (const n of nodeRows(envName)) {
      list.push({
        id: `timers@${n.name}`,
        kind: 'timers',
        intervalMs: refresh,
        // Timers and failed units in one remote command; a failed unit that no timer starts
        // (a oneshot run by hand, seed 002's restores) becomes a row of its own, failed first.
        fetch: async (signal) => {
          const { timers, failed } = await (await unitsFor(envName)).snapshot(envName, n.name, signal);
          const covered = new Set(timers.map((t) => t.service));
          const extra: Timer[] = failed
            .filter((f) => !covered.has(f.unit) && !f.unit.endsWith('.timer'))
            .map((f) => ({ env: envName, node: n.name, unit: f.unit, service: f.unit, schedule: '(no timer)', result: f.result, enabled: false, failed: true, ...(f.since ? { last: f.since } : {}) }));
          return [...extra, ...timers];
        },
      });
    }
    const refs = secretRefsOf(config, envName);
    if (refs.length > 0 || keychain) {
      list.push({
        id: 'secrets@keychain',
        kind: 'secrets',
        intervalMs: Math.max(refresh, 30_000),
        fetch: async () => {
          const { infos, keychainError } = await collectSecretInfos(refs, keychain, opts.env, { includeUnreferenced: true });
          // Say why on the row itself: the panel keeps working while the keychain is locked.
          const problem = keychainError ? redactor.redact(keychainError.message) : undefined;
          return infos.filter((i) => i.env === envName).map((i) => (problem && i.state === 'unreadable' ? { ...i, problem } : i));
        },
      });
    }
    return list;
  };

  // One registry of open tunnels per environment; they all close when the console exits.
  const registries = new Map<string, { pending: Promise<TunnelRegistry>; registry?: TunnelRegistry }>();
  const tunnelListeners = new Set<() => void>();
  const registryFor = (env: string): Promise<TunnelRegistry> => {
    let entry = registries.get(env);
    if (!entry) {
      const e: { pending: Promise<TunnelRegistry>; registry?: TunnelRegistry } = {
        pending: Promise.all([fleetFor(env), import('../tunnels/registry.ts')]).then(([fleet, { TunnelRegistry }]) => {
          const registry = new TunnelRegistry(fleet);
          registry.subscribe(() => tunnelListeners.forEach((l) => l()));
          e.registry = registry;
          return registry;
        }),
      };
      entry = e;
      registries.set(env, entry);
    }
    return entry.pending;
  };

  const backend: Backend = {
    mode: 'live',
    environments: () => Object.entries(config.environments).map(([name, env]) => ({ name, protect: env.protect })),
    sources,
    nodes: {
      async trust(ctx, node, fingerprint) {
        const fleet = await fleetFor(ctx.env);
        const { HostKeyUnknownError, hostKeyErrorOf } = await import('../ssh/errors.ts');
        try {
          await fleet.connection(node);
          return { ok: false, message: `${node}: host key already known; nothing to do` };
        } catch (caught) {
          const err = hostKeyErrorOf(caught);
          if (!(err instanceof HostKeyUnknownError)) throw caught;
          // Trust exactly the key the user was shown: a different one now is refused.
          if (err.fingerprint !== fingerprint) return { ok: false, message: `${err.node} now offers ${err.fingerprint}, not the ${fingerprint} you confirmed: nothing trusted` };
          fleet.trust(err.node, err.key);
          fleet.disconnect(err.node);
          return { ok: true, message: `trusted ${err.node} (${err.fingerprint})${err.node !== node ? `; ${node} itself may still need trust` : ''}` };
        }
      },
      async reboot(ctx, node, hard) {
        const fleet = await fleetFor(ctx.env);
        ctx.progress({ type: 'step', title: `rebooting ${node}` });
        // The connection drops as the node goes down: that is the expected end, not a failure.
        const res = await fleet.exec(node, ['systemctl', hard ? '--force' : '--no-block', 'reboot'], { timeoutMs: 15_000, signal: ctx.signal }).catch((e: Error) => ({ code: null, stdout: '', stderr: e.message }));
        if (res.code === 0 || res.code === null) return { ok: true, message: `${node}: reboot requested` };
        return { ok: false, message: `${node}: reboot failed: ${res.stderr.trim() || `exit code ${res.code}`}` };
      },
    },
    timers: {
      runNow: async (ctx, node, unit) => (await unitsFor(ctx.env)).runNow(ctx, node, unit),
      async journal(ctx, node, unit, { lines, since }) {
        const units = await unitsFor(ctx.env);
        const { timestamp } = await import('../app/format.ts');
        const res = await units.follow(node, unit, {
          lines,
          ...(since ? { since } : {}),
          signal: ctx.signal,
          onEntry: (e) => ctx.progress({ type: 'log', line: `${timestamp(e.time)} ${e.identifier ? `${e.identifier}: ` : ''}${e.message}` }),
        });
        return { ok: true, message: res.aborted ? `closed the journal of ${unit} on ${node}` : `the journal of ${unit} on ${node} ended` };
      },
      enable: async (ctx, node, timer, on) => (await unitsFor(ctx.env)).enable(node, timer, on, ctx.signal),
      resetFailed: async (ctx, node, unit) => (await unitsFor(ctx.env)).resetFailed(node, unit, ctx.signal),
    },
    services: { cutover: () => notYet('cutover'), terminate: () => notYet('terminate') },
    backups: { restore: () => notYet('restore') },
    certs: { renew: () => notYet('certificate renewal') },
    secrets: {
      async set(ctx, name, value) {
        if (!keychain) return { ok: false, message: '--no-keychain is set: there is no keychain to store into' };
        await keychain.set(ctx.env, name, value);
        resolver.forget();
        return { ok: true, message: `stored keychain:${name} for ${ctx.env}` };
      },
      async delete(ctx, name) {
        if (!keychain) return { ok: false, message: '--no-keychain is set: there is no keychain' };
        const deleted = await keychain.delete(ctx.env, name);
        resolver.forget();
        return deleted ? { ok: true, message: `deleted keychain:${name} for ${ctx.env}` } : { ok: false, message: `keychain:${name} is not set for ${ctx.env}` };
      },
    },
    tunnels: {
      async open(ctx, node, port, localPort) {
        const registry = await registryFor(ctx.env);
        const named = envConfig(ctx.env).tunnels.find((t) => t.node === node && t.port === port);
        const { tunnel } = await registry.open({ node, port, ...(localPort ? { localPort } : {}), ...(named ? { name: named.name } : {}) });
        return { ok: true, message: `${tunnel.url} -> ${node}:${port}${tunnel.warning ? ` (${tunnel.warning})` : ''}` };
      },
      list: (env) => {
        const r = registries.get(env);
        return r?.registry ? r.registry.list().map((t) => ({ ...t, ...(t.name ? { name: t.name } : {}) })) : [];
      },
      async close(env, id) {
        await registries.get(env)?.registry?.close(id);
      },
      named: (env) => envConfig(env).tunnels.map((t) => ({ name: t.name, node: t.node, port: t.port, ...(t.localPort ? { localPort: t.localPort } : {}) })),
      subscribe(listener) {
        tunnelListeners.add(listener);
        return () => tunnelListeners.delete(listener);
      },
    },
    async close() {
      for (const r of registries.values()) await r.registry?.closeAll().catch(() => undefined);
      for (const f of fleets.values()) await (await f).close().catch(() => undefined);
    },
  };
  const shellArgv = (envName: string, node: string, command?: string[]) => {
    const o = optionsFor(envName);
    const target = o.nodes.find((n) => n.name === node) ?? (o.bastion?.name === node ? { ...o.bastion, via: 'direct' as const } : undefined);
    if (!target) return { error: `no node "${node}" in ${envName}` };
    const knownHosts = [...o.knownHosts, o.ownKnownHosts];
    const bastion = target.via === 'bastion' && o.bastion ? { ...o.bastion, role: 'bastion' as const } : undefined;
    return {
      argv: shellArgs({
        target: { ...target, role: target.name === o.bastion?.name ? 'bastion' : 'node' },
        ...(bastion ? { bastion } : {}),
        knownHosts,
        ...(o.agent ? { agent: o.agent } : {}),
        ...(command ? { command } : {}),
      }),
    };
  };
  return { backend, redact: (t) => redactor.redact(t), redactor, resolver, keychain, fleetFor, shellArgv };
}
