// Run a timer's job (or any unit) now: `systemctl start --no-block`, follow its journal as
// progress lines, poll its state until it finishes, report success or the exit code.
import type { Remote } from '../app/remote.ts';
import type { ProgressEvent } from '../app/action.ts';
import type { ActionResult } from '../app/status.ts';
import type { UnitResult } from './model.ts';
import { duration, fromNow, timestamp } from '../app/format.ts';
import { POLL_PROPS, UnitNameError, readJournalSinceCmd, showUnits, startUnitAt, unitName } from './commands.ts';
import { describeResult, durationMs, isRunning, parseJournal, parseShow, parseTimestamp, timestampUs, unitResult, type JournalEntry, type ShowBlock } from './parse.ts';
import { streamJournal } from './journal.ts';

export interface RunNowOptions {
  progress?: (ev: ProgressEvent) => void;
  /** Abort stops following (the unit keeps running on the node). */
  signal?: AbortSignal;
  /** State poll interval (default 500 ms). */
  pollMs?: number;
  /** One poll's timeout: a node that stops answering ends the run with an error (default 3 s). */
  pollTimeoutMs?: number;
  /** Give up when the unit has not started after this long (default 60 s). */
  startTimeoutMs?: number;
  /** After the unit finished, wait this long before the last journal read (default 300 ms). */
  settleMs?: number;
}

const BUSY = new Set(['active', 'activating', 'deactivating', 'reloading', 'refreshing']);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const msg = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * remote.exec bounded by our own clock: the SSH layer's timeout starts once the channel is open,
 * and opening one on a partitioned node waits for the keepalive.
 */
async function execWithin(remote: Remote, node: string, argv: string[], timeoutMs: number, signal?: AbortSignal) {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer from ${node} within ${duration(timeoutMs)}`));
      ac.abort();
    }, timeoutMs);
  });
  const run = remote.exec(node, argv, { timeoutMs, signal: signal ? AbortSignal.any([signal, ac.signal]) : ac.signal });
  run.catch(() => {}); // settled by the race below
  try {
    return await Promise.race([run, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function showOne(remote: Remote, node: string, unit: string, props: readonly string[], opts: { timeoutMs: number; signal?: AbortSignal }): Promise<ShowBlock> {
  const r = await execWithin(remote, node, showUnits([unit], props), opts.timeoutMs, opts.signal);
  if (r.code !== 0) throw new Error(`${node}: systemctl show ${unit} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  const b = parseShow(r.stdout)[0];
  if (!b) throw new Error(`${node}: systemctl show ${unit} printed nothing`);
  return b;
}

/** The service a timer starts (its `Unit=`), or the unit itself when it is not a timer. */
export async function serviceOf(remote: Remote, node: string, unit: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
  unitName(unit);
  if (!unit.endsWith('.timer')) return unit;
  const t = await showOne(remote, node, unit, ['Id', 'Unit', 'LoadState'], { timeoutMs: opts.timeoutMs ?? 10_000, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (t.get('LoadState') === 'not-found') throw new Error(`${node}: no unit ${unit}`);
  const service = t.get('Unit');
  if (!service) throw new Error(`${node}: ${unit} starts no unit`);
  return unitName(service);
}

/**
 * The outcome of a run from systemd's own journal lines about it ("Main process exited,
 * code=exited, status=3/NOTIMPLEMENTED", "Failed with result 'exit-code'", "Deactivated
 * successfully"): for units systemd no longer keeps in memory once finished.
 */
export function resultFromJournal(entries: readonly JournalEntry[]): UnitResult {
  let result: UnitResult = { kind: 'other', text: 'finished (result not kept by systemd)' };
  for (const e of entries) {
    let m: RegExpMatchArray | null;
    if ((m = e.message.match(/Main process exited, code=exited, status=(\d+)/)) && m[1] !== '0') result = { kind: 'exit-code', code: Number(m[1]) };
    else if ((m = e.message.match(/Main process exited, code=(?:killed|dumped), status=\d+\/(\w+)/))) result = { kind: 'signal', signal: m[1]!.startsWith('SIG') ? m[1]! : `SIG${m[1]}` };
    else if (/: Deactivated successfully\.$/.test(e.message) || /^Finished /.test(e.message)) result = result.kind === 'other' ? { kind: 'success' } : result;
    else if ((m = e.message.match(/Failed with result '([\w-]+)'/)) && result.kind !== 'exit-code' && result.kind !== 'signal') result = { kind: 'other', text: m[1]! };
  }
  return result;
}

/**
 * Starts `unit` (a timer: the service it starts) now and follows it to the end. Refuses when
 * it already runs. Never throws: every outcome is an ActionResult.
 */
export async function runUnitNow(remote: Remote, node: string, unit: string, opts: RunNowOptions = {}): Promise<ActionResult> {
  const progress = opts.progress ?? (() => {});
  const signal = opts.signal;
  const pollMs = opts.pollMs ?? 500;
  const pollTimeoutMs = opts.pollTimeoutMs ?? 3000;
  const cancelled = (service: string): ActionResult => ({ ok: false, message: `stopped following ${service}; it keeps running on ${node}` });
  const lost = (service: string, err: unknown): ActionResult => ({
    ok: false,
    message: `${node}: lost contact while following ${service}: ${msg(err)}`,
    hint: `${service} may still be running; when ${node} is back: journalctl -u ${service}`,
  });

  let service: string;
  let before: ShowBlock;
  try {
    unitName(unit);
    service = await serviceOf(remote, node, unit, signal ? { signal } : {});
    before = await showOne(remote, node, service, [...POLL_PROPS, 'Type', 'ActiveEnterTimestamp', 'StateChangeTimestamp'], { timeoutMs: 10_000, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (err instanceof UnitNameError) return { ok: false, message: err.message };
    return { ok: false, message: msg(err) };
  }
  if (signal?.aborted) return { ok: false, message: 'cancelled' };
  if (before.get('LoadState') === 'not-found') return { ok: false, message: `${node}: no unit ${service}` };
  const state = before.get('ActiveState') ?? '';
  if (BUSY.has(state)) {
    const since = parseTimestamp(state === 'active' ? before.get('ActiveEnterTimestamp') : before.get('StateChangeTimestamp'));
    const when = since ? ` since ${timestamp(since)} UTC (${fromNow(since, new Date())})` : '';
    const what = state === 'active' && !isRunning(before) ? 'already active' : 'already running';
    return { ok: false, message: `${service} on ${node} is ${what}${when}`, hint: `follow it with: journalctl -u ${service} -f` };
  }
  const oneshot = (before.get('Type') ?? 'oneshot') === 'oneshot';

  progress({ type: 'step', title: `starting ${service} on ${node}` });
  let startSec: number;
  try {
    const r = await remote.exec(node, startUnitAt(service), { timeoutMs: 10_000, ...(signal ? { signal } : {}) });
    if (r.code !== 0) return { ok: false, message: `${node}: systemctl start ${service} failed: ${r.stderr.trim() || `exit ${r.code}`}` };
    const clock = r.stdout.split('\n')[0]?.trim() ?? '';
    const m = clock.match(/^(\d+)(?:\.(\d+))?/);
    if (!m) return { ok: false, message: `${node}: cannot read the node's clock (${JSON.stringify(clock)})` };
    // Whole seconds unless %N gave nanoseconds (busybox/BSD date print it literally).
    startSec = Number(m[1]) + (m[2] ? Number(`0.${m[2]}`) : 0);
  } catch (err) {
    return signal?.aborted ? cancelled(service) : { ok: false, message: msg(err) };
  }

  // Follow the journal from the start time (node clock) on. Entries are deduplicated by cursor:
  // after the unit finished, one last read picks up lines the live stream had not delivered yet.
  const follow = new AbortController();
  const stopFollow = () => follow.abort();
  signal?.addEventListener('abort', stopFollow, { once: true });
  const seen = new Set<string>();
  const entries: JournalEntry[] = [];
  let closing = false;
  const emit = (e: JournalEntry) => {
    if (e.cursor) {
      if (seen.has(e.cursor)) return;
      seen.add(e.cursor);
    }
    entries.push(e);
    progress({ type: 'log', line: e.message, stream: e.priority <= 3 ? 'stderr' : 'stdout' });
  };
  let streamError: unknown;
  const streaming = streamJournal(remote, node, service, {
    since: startSec,
    follow: true,
    onEntry: (e) => {
      if (!closing) emit(e);
    },
    signal: follow.signal,
  }).then(
    () => undefined,
    (err: unknown) => {
      streamError = err;
    },
  );
  // Wakes the poll loop as soon as the stream fails (node down: SSH keepalive).
  const woke = new AbortController();
  void streaming.then(() => streamError !== undefined && woke.abort());

  const t0 = Date.now();
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;
  const beforeInv = before.get('InvocationID') ?? '';
  const beforeStart = before.get('ExecMainStartTimestamp') ?? '';
  const beforeCond = before.get('ConditionTimestamp') ?? '';
  let started = false;
  let last: ShowBlock | undefined;
  let mainStartUs: number | undefined;
  try {
    for (;;) {
      await sleep(pollMs, AbortSignal.any([woke.signal, ...(signal ? [signal] : [])]));
      if (signal?.aborted) return cancelled(service);
      if (streamError !== undefined) return lost(service, streamError);
      let s: ShowBlock;
      try {
        s = await showOne(remote, node, service, POLL_PROPS, { timeoutMs: pollTimeoutMs, ...(signal ? { signal } : {}) });
      } catch (err) {
        if (signal?.aborted) return cancelled(service);
        return lost(service, streamError ?? err);
      }
      last = s;
      const st = timestampUs(s.get('ExecMainStartTimestamp'));
      if (st !== undefined) mainStartUs = st;
      const inv = s.get('InvocationID') ?? '';
      if (!started) {
        // A new invocation, a new start time, running now, or (a quick unit systemd already
        // unloaded again) journal lines of this run.
        started = (inv !== '' && inv !== beforeInv) || (s.get('ExecMainStartTimestamp') ?? '') !== beforeStart || isRunning(s) || entries.length > 0;
        const cond = s.get('ConditionTimestamp') ?? '';
        if (!started && cond !== beforeCond && s.get('ConditionResult') === 'no') {
          return { ok: false, message: `${service} on ${node} was skipped: a Condition…= of the unit was not met`, hint: `systemctl status ${service}` };
        }
        if (!started) {
          if (Date.now() - t0 > startTimeoutMs) return { ok: false, message: `${service} on ${node} did not start within ${duration(startTimeoutMs)}`, hint: `systemctl list-jobs; journalctl -u ${service}` };
          continue;
        }
      }
      if (isRunning(s)) continue;
      if (!oneshot && s.get('ActiveState') === 'active') break; // a long-running service is up
      break;
    }
    // The last lines may reach the journal just after the state changed: wait a moment, then
    // read everything since the start once more and emit what the stream had not delivered.
    await sleep(opts.settleMs ?? 300, signal);
    if (signal?.aborted) return cancelled(service);
    closing = true;
    try {
      const rest = await remote.exec(node, readJournalSinceCmd(service, startSec), { timeoutMs: pollTimeoutMs, ...(signal ? { signal } : {}) });
      const minUs = Math.floor(startSec * 1e6);
      for (const e of parseJournal(rest.stdout)) if (e.us >= minUs) emit(e);
    } catch {
      // the result below does not depend on it
    }
  } finally {
    signal?.removeEventListener('abort', stopFollow);
    follow.abort();
    await Promise.race([streaming, sleep(1000)]);
  }

  // systemd unloads a finished unit nothing references (a oneshot without a timer) at once:
  // `show` then reads a fresh, never-run unit. The journal of this run still has the outcome.
  const collected = last !== undefined && !last.get('InvocationID') && !last.get('ExecMainStartTimestamp');
  const result = collected ? resultFromJournal(entries) : unitResult(last);
  // For an unloaded unit: from its start (seen while it ran, else our start) to systemd's last line about it.
  const endUs = entries.filter((e) => e.identifier === 'systemd').at(-1)?.us;
  const took = collected ? (endUs !== undefined ? Math.max(0, Math.round((endUs - (mainStartUs ?? startSec * 1e6)) / 1000)) : undefined) : durationMs(last);
  const tookText = took === undefined ? '' : ` in ${duration(took)}`;
  if (!oneshot && last?.get('ActiveState') === 'active') return { ok: true, message: `${service} on ${node} started (${last.get('SubState') ?? 'active'})`, data: { node, service, state: 'active' } };
  if (result.kind === 'success') return { ok: true, message: `${service} on ${node} finished: success${tookText}`, data: { node, service, exitCode: 0, durationMs: took } };
  return {
    ok: false,
    message: `${service} on ${node} failed: ${describeResult(result)}${tookText}`,
    hint: `journalctl -u ${service} on ${node}; systemctl reset-failed ${service} clears the failed state`,
  };
}
