// A unit's journal: the last N entries, or followed live (`journalctl -u UNIT -o json -f`).
import type { Remote } from '../app/remote.ts';
import { followJournalCmd, readJournalCmd, readJournalSinceCmd } from './commands.ts';
import { parseJournal, parseJournalLine, type JournalEntry } from './parse.ts';

export type { JournalEntry } from './parse.ts';

/** The last `lines` (default 50) journal entries of a unit, oldest first. */
export async function readJournal(remote: Remote, node: string, unit: string, opts: { lines?: number; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<JournalEntry[]> {
  const argv = readJournalCmd(unit, opts.lines ?? 50);
  const r = await remote.exec(node, argv, { timeoutMs: opts.timeoutMs ?? 15_000, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (r.code !== 0) throw new Error(`${node}: journalctl -u ${unit} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return parseJournal(r.stdout);
}

export interface StreamJournalOptions {
  /** Node clock: a Date or Unix seconds. Entries before it are not shown (also filtered here, to the µs). */
  since?: Date | number;
  /** Keep following (`-f`) until `signal` aborts; otherwise print and end. */
  follow: boolean;
  /** Without `since`: how many past entries first (default 10). */
  lines?: number;
  onEntry: (e: JournalEntry) => void;
  /** journalctl's own complaints (stderr), e.g. "No journal files were found." */
  onError?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Streams a unit's journal entries. Resolves when journalctl ends or `signal` aborts (then
 * `aborted: true`); rejects when the connection to the node is lost (SSH keepalive).
 */
export async function streamJournal(remote: Remote, node: string, unit: string, opts: StreamJournalOptions): Promise<{ code: number | null; aborted: boolean }> {
  const sinceSec = opts.since === undefined ? undefined : typeof opts.since === 'number' ? opts.since : opts.since.getTime() / 1000;
  const argv = opts.follow
    ? followJournalCmd(unit, { ...(sinceSec !== undefined ? { sinceSec } : {}), ...(opts.lines !== undefined ? { lines: opts.lines } : {}) })
    : sinceSec !== undefined
      ? readJournalSinceCmd(unit, sinceSec)
      : readJournalCmd(unit, opts.lines ?? 10);
  const minUs = sinceSec === undefined ? 0 : Math.floor(sinceSec * 1e6);
  const r = await remote.stream(node, argv, {
    onLine: (line, stream) => {
      if (stream === 'stderr') {
        if (line.trim()) opts.onError?.(line);
        return;
      }
      const e = parseJournalLine(line);
      if (e && e.us >= minUs) opts.onEntry(e);
    },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { code: r.code, aborted: opts.signal?.aborted === true };
}
