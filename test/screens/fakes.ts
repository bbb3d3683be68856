import type { Action, ProgressEvent } from '../../source/app/action.ts';
import type { KindId, ResourceKind } from '../../source/app/kind.ts';
import type { ActionRunner, ConfirmRequest, RunHandle, RunHooks } from '../../source/app/runner.ts';
import type { AppServices } from '../../source/app/services.ts';
import type { ActionResult } from '../../source/app/status.ts';
import { Store } from '../../source/app/store.ts';
import type { SourceSpec, TunnelPort, TunnelView } from '../../source/app/backend.ts';

export interface Timer {
  node: string;
  unit: string;
  next: number;
  result: 'ok' | 'failed';
}

export const triggerNow: Action<{ node: string; unit: string }> = {
  id: 'timer.trigger',
  title: 'Run the job now',
  kind: 'timers',
  key: 't',
  destructive: false,
  confirm: 'none',
  target: (a) => `${a.node}/${a.unit}`,
  fromRow: (t: Timer) => ({ node: t.node, unit: t.unit }),
  disabled: (t: Timer) => (t.unit === 'locked.timer' ? 'timer is locked' : undefined),
  run: async () => ({ ok: true, message: 'started' }),
};

export const purge: Action<{ node: string; unit: string }> = {
  id: 'timer.purge',
  title: 'Purge the journal',
  kind: 'timers',
  key: 'P',
  destructive: true,
  confirm: 'typed',
  target: (a) => a.node,
  fromRow: (t: Timer) => ({ node: t.node, unit: t.unit }),
  run: async () => ({ ok: true, message: 'purged' }),
};

export const timerKind: ResourceKind<Timer> = {
  id: 'timers',
  title: 'Timers',
  rowId: (t) => `${t.node}/${t.unit}`,
  searchText: (t) => `${t.node} ${t.unit} ${t.result}`,
  columns: [
    { key: 'node', title: 'NODE', value: (t) => t.node },
    { key: 'unit', title: 'TIMER', value: (t) => t.unit, grow: true },
    { key: 'next', title: 'NEXT', value: (t) => t.next, align: 'right' },
    { key: 'result', title: 'LAST', value: (t) => t.result, tone: (t) => (t.result === 'failed' ? 'error' : 'ok') },
  ],
  defaultSort: 'unit',
  details: (t) => [
    { label: 'Node', value: t.node },
    { label: 'Timer', value: t.unit },
  ],
  actions: [triggerNow, purge],
};

export interface FleetNodeRow {
  name: string;
  state: string;
}

export const nodeKind: ResourceKind<FleetNodeRow> = {
  id: 'nodes',
  title: 'Nodes',
  rowId: (n) => n.name,
  searchText: (n) => n.name,
  columns: [
    { key: 'name', title: 'NAME', value: (n) => n.name, grow: true },
    { key: 'state', title: 'STATE', value: (n) => n.state, tone: (n) => (n.state === 'active' ? 'ok' : 'warn') },
  ],
  actions: [
    {
      id: 'node.reboot',
      title: 'Reboot',
      kind: 'nodes',
      key: 'b',
      destructive: true,
      confirm: 'yes',
      target: (a: { node: string }) => a.node,
      fromRow: (n: FleetNodeRow) => ({ node: n.name }),
      run: async () => ({ ok: true, message: 'rebooted' }),
    },
  ],
};

function emptyKind(id: KindId, title: string): ResourceKind<{ id: string }> {
  return {
    id,
    title,
    rowId: (r) => r.id,
    searchText: (r) => r.id,
    columns: [{ key: 'id', title: 'NAME', value: (r) => r.id }],
    actions: [],
  };
}

export function testKinds(): Record<KindId, ResourceKind<any>> {
  return {
    nodes: nodeKind,
    services: emptyKind('services', 'Services'),
    timers: timerKind,
    backups: emptyKind('backups', 'Backups'),
    certs: emptyKind('certs', 'Certificates'),
    secrets: emptyKind('secrets', 'Secrets'),
    audit: emptyKind('audit', 'Audit'),
  };
}

export function timers(n: number): Timer[] {
  return Array.from({ length: n }, (_, i) => ({
    node: `node${i % 5}`,
    unit: `job-${String(i).padStart(5, '0')}.timer`,
    next: i * 60,
    result: i % 7 === 3 ? 'failed' : 'ok',
  }));
}

/** A real Store over sources whose rows (or failure) a test sets. */
export function fakeSources() {
  const data = new Map<string, unknown[] | Error>();
  const specs: SourceSpec[] = [];
  const add = (id: string, kind: KindId, rows: unknown[] | Error) => {
    data.set(id, rows);
    specs.push({
      id,
      kind,
      intervalMs: 60_000,
      fetch: async () => {
        const d = data.get(id);
        if (d instanceof Error) throw d;
        return d ?? [];
      },
    });
  };
  return { data, specs, add };
}

export interface FakeRunner {
  runner: ActionRunner;
  runs: { action: Action<any>; args: unknown; hooks: RunHooks; resolve(result: ActionResult): void }[];
}

/** A runner that asks for confirmation like the real one and lets the test finish each run. */
export function fakeRunner(opts: { env?: string; protect?: boolean; readonly?: boolean } = {}): FakeRunner {
  const runs: FakeRunner['runs'] = [];
  const env = opts.env ?? 'production';
  const protect = opts.protect ?? false;
  const ro = opts.readonly ?? false;
  const runner = {
    env,
    protect,
    readonly: ro,
    refusal(action: Action<any>, row?: unknown) {
      if (ro && !action.readonly) return 'read-only mode';
      return row !== undefined ? action.disabled?.(row) : undefined;
    },
    run(action: Action<any>, args: unknown, hooks: RunHooks): RunHandle {
      let resolve!: (r: ActionResult) => void;
      const result = new Promise<ActionResult>((r) => (resolve = r));
      const entry = { action, args, hooks, resolve };
      runs.push(entry);
      const confirmMode: ConfirmRequest['mode'] | undefined =
        action.confirm === 'typed' || (action.destructive && protect) ? 'typed' : action.confirm === 'yes' || action.destructive ? 'yes' : undefined;
      const started = confirmMode
        ? hooks.confirm({ actionId: action.id, title: action.title, target: action.target(args), env, protect, mode: confirmMode })
        : Promise.resolve(true);
      const final = started.then((yes) => (yes ? result : { ok: false as const, message: 'not confirmed, nothing done' }));
      return { runId: String(runs.length), result: final, cancel: () => resolve({ ok: false, message: 'cancelled' }) };
    },
  };
  return { runner: runner as unknown as ActionRunner, runs };
}

export function progress(entry: FakeRunner['runs'][number], ...events: ProgressEvent[]) {
  for (const e of events) entry.hooks.progress(e);
}

/** Services over real Stores (one per environment, loaded once) and the fake runner. */
export async function fakeServices(
  envs: { name: string; protect: boolean; add?: (s: ReturnType<typeof fakeSources>) => void }[],
  opts: { demo?: boolean; readonly?: boolean; shell?: AppServices['shell']; tunnels?: TunnelPort } = {},
) {
  const stores = new Map<string, Store>();
  const runners = new Map<string, FakeRunner>();
  const sources = new Map<string, ReturnType<typeof fakeSources>>();
  for (const e of envs) {
    const s = fakeSources();
    e.add?.(s);
    const store = new Store(e.name, s.specs);
    await store.loadOnce();
    stores.set(e.name, store);
    sources.set(e.name, s);
    runners.set(e.name, fakeRunner({ env: e.name, protect: e.protect, readonly: opts.readonly ?? false }));
  }
  const services: AppServices = {
    environments: envs.map((e) => ({ name: e.name, protect: e.protect })),
    demo: opts.demo ?? false,
    readonly: opts.readonly ?? false,
    storeFor: (env) => stores.get(env)!,
    runnerFor: (env) => runners.get(env)!.runner,
    ...(opts.shell ? { shell: opts.shell } : {}),
    ...(opts.tunnels ? { tunnels: opts.tunnels } : {}),
  };
  return { services, stores, runners, sources };
}

/** A TunnelPort whose open tunnels a test sets; records closes and never opens by itself. */
export function fakeTunnels(named: ReturnType<TunnelPort['named']> = []) {
  let open: TunnelView[] = [];
  const listeners = new Set<() => void>();
  const closed: { env: string; id: number }[] = [];
  const set = (list: TunnelView[]) => {
    open = list;
    for (const l of listeners) l();
  };
  const port: TunnelPort = {
    open: async () => ({ ok: false, message: 'fake tunnels do not open' }),
    list: () => open,
    close: async (env, id) => {
      closed.push({ env, id });
      set(open.filter((t) => t.id !== id));
    },
    named: () => named,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { port, set, closed, listeners };
}

export function tunnelView(id: number, node: string, remotePort: number, localPort: number, extra: Partial<TunnelView> = {}): TunnelView {
  const url = `http://127.0.0.1:${localPort}`;
  return { id, node, remotePort, localPort, url, description: `${url} -> ${node}:${remotePort}`, connections: 0, failures: 0, ...extra };
}
