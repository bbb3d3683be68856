import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import type { AuditEntry } from './model.ts';

/** Default: `$XDG_STATE_HOME/opsconsole/audit.jsonl` (seed 003's deploy.log is the model). */
export function defaultAuditPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'opsconsole', 'audit.jsonl');
}

export interface AuditLog {
  readonly path: string;
  append(entry: AuditEntry): void;
  read(tail?: number): AuditEntry[];
}

/**
 * Append-only JSONL. Each line is written with one write() on an O_APPEND descriptor and
 * fsync'd, so concurrent consoles never interleave half lines and a crash loses nothing
 * that was reported as started. `redact` runs over the line: secrets never reach the file.
 */
export function openAuditLog(path: string, redact: (text: string) => string = (t) => t): AuditLog {
  return {
    path,
    append(entry) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const line = redact(JSON.stringify(entry)) + '\n';
      const fd = openSync(path, 'a', 0o600);
      try {
        writeSync(fd, line);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
    read(tail) {
      if (!existsSync(path) || !statSync(path).isFile()) return [];
      const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
      const picked = tail === undefined ? lines : lines.slice(-tail);
      const entries: AuditEntry[] = [];
      for (const line of picked) {
        try {
          entries.push(JSON.parse(line) as AuditEntry);
        } catch {
          // A torn last line (disk full, kill -9 mid-write) is skipped, not fatal.
        }
      }
      return entries;
    },
  };
}

/** Start and end lines joined into one row per run, newest first: what the Audit panel shows. */
export interface AuditRun {
  id: string;
  time: string;
  user: string;
  host: string;
  env: string;
  action: string;
  target: string;
  result: AuditEntry['result'] | 'running';
  message?: string;
  durationMs?: number;
}

export function auditRuns(entries: AuditEntry[]): AuditRun[] {
  const runs = new Map<string, AuditRun>();
  for (const e of entries) {
    const run = runs.get(e.id);
    if (!run) {
      const { phase: _phase, ...rest } = e;
      runs.set(e.id, { ...rest, result: e.phase === 'end' ? e.result : 'running' });
    } else if (e.phase === 'end') {
      run.result = e.result;
      if (e.message !== undefined) run.message = e.message;
      if (e.durationMs !== undefined) run.durationMs = e.durationMs;
    }
  }
  return [...runs.values()].reverse();
}
