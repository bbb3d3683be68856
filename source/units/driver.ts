// The systemd driver the live Backend wires into the Timers panel and the CLI: everything goes
// through `Remote` (source/ssh's Fleet), one remote command per node per refresh.
import type { Remote } from '../app/remote.ts';
import type { ActionContext } from '../app/action.ts';
import type { ActionResult } from '../app/status.ts';
import { enableTimer, resetFailed, unitName, UnitNameError } from './commands.ts';
import { fetchFailedUnits, fetchNodeUnits, fetchTimers, type FailedUnit } from './fetch.ts';
import { readJournal, streamJournal, type JournalEntry, type StreamJournalOptions } from './journal.ts';
import type { Timer } from './model.ts';
import { runUnitNow, type RunNowOptions } from './run.ts';

export interface UnitsDriver {
  /** Timers of one node (rows of the Timers panel). Throws when the node cannot be read. */
  list(env: string, node: string, signal?: AbortSignal): Promise<Timer[]>;
  /** Timers and failed units of one node in ONE remote command (use this for the panel's refresh). */
  snapshot(env: string, node: string, signal?: AbortSignal): Promise<{ timers: Timer[]; failed: FailedUnit[] }>;
  /** Failed units of any type on one node (shown at the top of the panel). */
  failed(node: string, signal?: AbortSignal): Promise<FailedUnit[]>;
  /** Backend.timers.runNow: start the timer's service now, journal lines as ctx.progress logs. */
  runNow(ctx: Pick<ActionContext, 'progress' | 'signal'>, node: string, unit: string, opts?: Omit<RunNowOptions, 'progress' | 'signal'>): Promise<ActionResult>;
  /** The last `lines` (default 50) journal entries of a unit. */
  journal(node: string, unit: string, opts?: { lines?: number; signal?: AbortSignal }): Promise<JournalEntry[]>;
  /** Follows a unit's journal until `signal` aborts; rejects when the node is lost. */
  follow(node: string, unit: string, opts: Omit<StreamJournalOptions, 'follow'>): Promise<{ code: number | null; aborted: boolean }>;
  /** `systemctl enable|disable --now TIMER`. */
  enable(node: string, timer: string, on: boolean, signal?: AbortSignal): Promise<ActionResult>;
  /** `systemctl reset-failed UNIT`. */
  resetFailed(node: string, unit: string, signal?: AbortSignal): Promise<ActionResult>;
}

async function simple(remote: Remote, node: string, argv: () => string[], done: string, signal?: AbortSignal): Promise<ActionResult> {
  let cmd: string[];
  try {
    cmd = argv();
  } catch (err) {
    return { ok: false, message: err instanceof UnitNameError ? err.message : String(err) };
  }
  try {
    const r = await remote.exec(node, cmd, { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
    if (r.code === 0) return { ok: true, message: done };
    return { ok: false, message: `${node}: ${cmd.slice(0, 3).join(' ')} failed: ${r.stderr.trim() || `exit ${r.code}`}` };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

export function createUnitsDriver(remote: Remote): UnitsDriver {
  return {
    list: (env, node, signal) => fetchTimers(remote, node, env, signal ? { signal } : {}),
    snapshot: (env, node, signal) => fetchNodeUnits(remote, node, env, signal ? { signal } : {}),
    failed: (node, signal) => fetchFailedUnits(remote, node, signal ? { signal } : {}),
    runNow: (ctx, node, unit, opts = {}) => runUnitNow(remote, node, unit, { ...opts, progress: ctx.progress, signal: ctx.signal }),
    journal: (node, unit, opts = {}) => readJournal(remote, node, unit, opts),
    follow: (node, unit, opts) => streamJournal(remote, node, unit, { ...opts, follow: true }),
    enable: (node, timer, on, signal) => {
      const ok = () => {
        if (!unitName(timer).endsWith('.timer')) throw new UnitNameError(timer);
        return enableTimer(timer, on);
      };
      return simple(remote, node, ok, `${timer} on ${node} ${on ? 'enabled and started' : 'disabled and stopped'}`, signal);
    },
    resetFailed: (node, unit, signal) => simple(remote, node, () => resetFailed(unit), `${unit} on ${node}: failed state cleared`, signal),
  };
}
