// Small process helpers for the lab: argv arrays only, never a shell string.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs a command to completion; never throws for a non-zero exit (code -1 when it could not start). */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => {}); // EPIPE when the command ignores stdin
    child.stdin.end(opts.input ?? '');
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: stderr + String(err) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr: signal ? `${stderr}killed by ${signal}` : stderr });
    });
  });
}

/** Runs a command and throws with its stderr when it fails. */
export async function must(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** Starts a long-lived process that outlives this one, output appended to `log`. Returns its pid. */
export function spawnDetached(cmd: string, args: readonly string[], log: string, env?: NodeJS.ProcessEnv): number {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env: env ?? process.env });
    child.on('error', () => {}); // surfaced by the caller's readiness wait
    child.unref();
    if (child.pid === undefined) throw new Error(`cannot start ${cmd}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** True while the pid runs. A zombie counts as ended: pid 1 here reaps orphans only every ~2 s. */
export function alive(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+[ZX]/m.test(status);
  } catch {
    return false;
  }
}

export function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until none of the pids is alive; false on timeout. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (pids.some(alive)) {
    if (Date.now() > end) return false;
    await sleep(20);
  }
  return true;
}

/** Polls `check` until it returns a value (not undefined) or the time runs out. */
export async function poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
