// Timers and failed units of one node, each in ONE remote command (commands.ts scripts).
import type { Remote } from '../app/remote.ts';
import { listAll, listFailed } from './commands.ts';
import type { Timer } from './model.ts';
import { parseFailed, parseTimers, type FailedUnit } from './parse.ts';

export type { FailedUnit } from './parse.ts';

const FETCH_TIMEOUT_MS = 15_000;

function commandError(node: string, what: string, r: { code: number | null; signal?: string; stderr: string }): Error {
  const why = r.stderr.trim().split('\n').slice(-2).join(' / ') || (r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
  return new Error(`${node}: ${what} failed: ${why}`);
}

/** Every timer on the node (loaded or installed) with its service's last result. Throws on failure. */
export async function fetchTimers(remote: Remote, node: string, env: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Timer[]> {
  const r = await remote.exec(node, listAll(), { timeoutMs: opts.timeoutMs ?? FETCH_TIMEOUT_MS, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (!r.stdout.includes('@@opsconsole:end')) throw commandError(node, 'listing timers', r);
  return parseTimers(r.stdout, env, node);
}

/**
 * Timers AND failed units of one node from the same single command (the panel's refresh: failed
 * units of every node at the top, then the timers).
 */
export async function fetchNodeUnits(remote: Remote, node: string, env: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<{ timers: Timer[]; failed: FailedUnit[] }> {
  const r = await remote.exec(node, listAll(), { timeoutMs: opts.timeoutMs ?? FETCH_TIMEOUT_MS, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (!r.stdout.includes('@@opsconsole:end')) throw commandError(node, 'listing timers', r);
  return { timers: parseTimers(r.stdout, env, node), failed: parseFailed(r.stdout, node) };
}

/** Units of any type in the `failed` state (a failed oneshot, a failed timer, ...). */
export async function fetchFailedUnits(remote: Remote, node: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<FailedUnit[]> {
  const r = await remote.exec(node, listFailed(), { timeoutMs: opts.timeoutMs ?? FETCH_TIMEOUT_MS, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (!r.stdout.includes('@@opsconsole:end')) throw commandError(node, 'listing failed units', r);
  return parseFailed(r.stdout, node);
}
