import type { KindId } from './kind.ts';
import type { SourceSpec } from './backend.ts';
import type { SourceStatus } from './status.ts';
import { errorMessage } from './status.ts';

export interface StoredRow<T = unknown> {
  source: string;
  row: T;
}

export interface SourceState {
  id: string;
  status: SourceStatus;
  /** Last good rows: kept while the source fails, shown dimmed. */
  rows: unknown[];
  fetching: boolean;
}

/** What a panel renders; the same object until something of its kind changes. */
export interface KindSnapshot<T = unknown> {
  kind: KindId;
  version: number;
  rows: StoredRow<T>[];
  sources: { id: string; status: SourceStatus }[];
}

export interface StoreOptions {
  now?: () => number;
  /** Ceiling of the error backoff; the first retry waits the source's own interval. */
  maxBackoffMs?: number;
  /** After this many intervals without success, an ok source is reported stale. */
  staleAfterIntervals?: number;
}

type Listener = () => void;

/**
 * The live resources of one environment. Each source polls on its own timer, so a slow or
 * failing source never delays another; nothing here ever blocks the caller.
 */
export class Store {
  private readonly states = new Map<string, SourceState>();
  private readonly specs = new Map<string, SourceSpec>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly aborts = new Map<string, AbortController>();
  private readonly failures = new Map<string, number>();
  private readonly snapshots = new Map<KindId, KindSnapshot>();
  private readonly listeners = new Set<Listener>();
  private readonly stored = new Map<string, { of: unknown[]; rows: StoredRow[] }>();
  private version = 0;
  private running = false;
  private notifyQueued = false;
  private staleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly env: string,
    specs: SourceSpec[],
    private readonly options: StoreOptions = {},
  ) {
    for (const spec of specs) {
      this.specs.set(spec.id, spec);
      this.states.set(spec.id, { id: spec.id, status: { state: 'loading' }, rows: [], fetching: false });
    }
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const id of this.specs.keys()) void this.poll(id);
    this.staleTimer = setInterval(() => this.checkStale(), 1000);
    this.staleTimer.unref?.();
  }

  stop(): void {
    this.running = false;
    if (this.staleTimer) clearInterval(this.staleTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    for (const a of this.aborts.values()) a.abort();
    this.timers.clear();
    this.aborts.clear();
  }

  /** Polls every source (or those of one kind) now, without waiting for their timers. */
  refresh(kind?: KindId): void {
    for (const spec of this.specs.values()) {
      if (kind && spec.kind !== kind) continue;
      if (this.states.get(spec.id)?.fetching) continue;
      const t = this.timers.get(spec.id);
      if (t) clearTimeout(t);
      void this.poll(spec.id);
    }
  }

  /** Polls every source once and resolves when all have answered: one-shot CLI commands. */
  async loadOnce(kind?: KindId): Promise<void> {
    const ids = [...this.specs.values()].filter((s) => !kind || s.kind === kind).map((s) => s.id);
    await Promise.all(ids.map((id) => this.poll(id, false)));
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (kind: KindId): KindSnapshot => {
    let snap = this.snapshots.get(kind);
    if (!snap) {
      snap = this.build(kind);
      this.snapshots.set(kind, snap);
    }
    return snap;
  };

  sources(kind?: KindId): SourceState[] {
    return [...this.states.values()].filter((s) => !kind || this.specs.get(s.id)?.kind === kind);
  }

  kindsWithSources(): KindId[] {
    return [...new Set([...this.specs.values()].map((s) => s.kind))];
  }

  /** Marks ok sources whose last success is older than a few intervals as stale. */
  checkStale(): void {
    const factor = this.options.staleAfterIntervals ?? 3;
    const now = this.now();
    for (const [id, state] of this.states) {
      const spec = this.specs.get(id)!;
      if (state.status.state === 'ok' && now - state.status.at.getTime() > spec.intervalMs * factor) {
        state.status = { state: 'stale', lastOk: state.status.at, message: 'no answer for a while' };
        this.changed(spec.kind);
      }
    }
  }

  private async poll(id: string, reschedule = true): Promise<void> {
    const spec = this.specs.get(id);
    const state = this.states.get(id);
    if (!spec || !state) return;
    const abort = new AbortController();
    this.aborts.set(id, abort);
    state.fetching = true;
    let delay = spec.intervalMs;
    let unchanged = false;
    try {
      // A source's own interval bounds a fetch: a hung source turns into an error, not silence.
      const rows = await withTimeout(spec.fetch(abort.signal), Math.max(spec.intervalMs * 3, 10_000), abort);
      // A source that hands back the very same rows while ok changes nothing on screen: no
      // render (idle CPU), only its success time moves.
      unchanged = rows === state.rows && state.status.state === 'ok';
      state.rows = rows;
      state.status = { state: 'ok', at: new Date(this.now()) };
      this.failures.delete(id);
    } catch (err) {
      if (abort.signal.aborted && !this.running && reschedule) return;
      const lastOk = lastSuccess(state.status);
      const failures = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, failures);
      state.status = { state: 'error', message: errorMessage(err), ...(lastOk ? { lastOk } : {}), ...hintOf(err) };
      delay = Math.min(spec.intervalMs * 2 ** (failures - 1), this.options.maxBackoffMs ?? 30_000);
    } finally {
      state.fetching = false;
      this.aborts.delete(id);
    }
    if (!unchanged) this.changed(spec.kind);
    if (reschedule && this.running) {
      const timer = setTimeout(() => void this.poll(id), delay);
      timer.unref?.();
      this.timers.set(id, timer);
    }
  }

  private changed(kind: KindId): void {
    this.snapshots.delete(kind);
    this.version++;
    // Several sources answering in one tick cause one render, not one each.
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      for (const l of this.listeners) l();
    });
  }

  private build(kind: KindId): KindSnapshot {
    const rows: StoredRow[] = [];
    const sources: KindSnapshot['sources'] = [];
    for (const [id, state] of this.states) {
      if (this.specs.get(id)?.kind !== kind) continue;
      sources.push({ id, status: state.status });
      // Rows of a source that did not change keep their StoredRow objects (and what screens
      // cached on them); only the polled source's rows are wrapped anew.
      let stored = this.stored.get(id);
      if (stored?.of !== state.rows) {
        stored = { of: state.rows, rows: state.rows.map((row) => ({ source: id, row })) };
        this.stored.set(id, stored);
      }
      for (const r of stored.rows) rows.push(r);
    }
    return { kind, version: this.version, rows, sources };
  }
}

function lastSuccess(status: SourceStatus): Date | undefined {
  if (status.state === 'ok') return status.at;
  if (status.state === 'stale') return status.lastOk;
  if (status.state === 'error') return status.lastOk;
  return undefined;
}

function hintOf(err: unknown): { hint?: string } {
  const hint = (err as { hint?: unknown })?.hint;
  return typeof hint === 'string' ? { hint } : {};
}

function withTimeout<T>(promise: Promise<T>, ms: number, abort: AbortController): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`no answer after ${Math.round(ms / 1000)} s`));
    }, ms);
    timer.unref?.();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
