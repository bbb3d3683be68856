import { randomUUID } from 'node:crypto';
import type { Action, ActionContext, ProgressEvent } from './action.ts';
import type { Backend } from './backend.ts';
import type { ActionResult } from './status.ts';
import { errorMessage, UserError } from './status.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Locks } from './lock.ts';

export interface ConfirmRequest {
  actionId: string;
  title: string;
  target: string;
  env: string;
  protect: boolean;
  /** 'typed': the user must type `target` exactly. */
  mode: 'yes' | 'typed';
  detail?: string;
}

export interface RunHooks {
  confirm(req: ConfirmRequest): Promise<boolean>;
  progress(ev: ProgressEvent): void;
}

export interface RunHandle {
  runId: string;
  result: Promise<ActionResult>;
  cancel(): void;
}

export interface RunnerOptions {
  env: string;
  protect: boolean;
  readonly: boolean;
  backend: Backend;
  audit: AuditLog;
  locks: Locks;
  user: string;
  host: string;
  redact?: (text: string) => string;
  now?: () => number;
}

/** How an action is confirmed here: protected environments always want the name typed. */
export function confirmMode(action: Action<any>, protect: boolean): ConfirmRequest['mode'] | undefined {
  if (action.confirm === 'typed') return 'typed';
  if (action.confirm === 'yes' || action.destructive) return protect && action.destructive ? 'typed' : 'yes';
  return undefined;
}

/**
 * The only caller of `Action.run`: keystrokes, the `:` palette and CLI subcommands all come
 * through here, so refusal, confirmation, locking, audit and cancellation are the same
 * everywhere.
 */
export class ActionRunner {
  readonly env: string;
  readonly protect: boolean;
  readonly readonly: boolean;

  constructor(private readonly options: RunnerOptions) {
    this.env = options.env;
    this.protect = options.protect;
    this.readonly = options.readonly;
  }

  refusal(action: Action<any>, row?: unknown): string | undefined {
    if (this.readonly && !action.readonly) return 'read-only mode';
    if (row !== undefined && action.disabled) return action.disabled(row);
    return undefined;
  }

  run(action: Action<any>, args: any, hooks: RunHooks): RunHandle {
    const runId = randomUUID();
    const abort = new AbortController();
    const result = this.execute(runId, action, args, hooks, abort.signal);
    return { runId, result, cancel: () => abort.abort() };
  }

  private async execute(
    runId: string,
    action: Action<any>,
    args: any,
    hooks: RunHooks,
    signal: AbortSignal,
  ): Promise<ActionResult> {
    const redact = this.options.redact ?? ((t: string) => t);
    const refused = this.refusal(action);
    if (refused) return { ok: false, message: `${action.title}: refused (${refused})` };
    let target: string;
    try {
      target = action.target(args);
    } catch (err) {
      return { ok: false, message: redact(errorMessage(err)) };
    }
    const mode = confirmMode(action, this.protect);
    if (mode) {
      const yes = await hooks.confirm({
        actionId: action.id,
        title: action.title,
        target,
        env: this.env,
        protect: this.protect,
        mode,
        ...(action.detail ? { detail: action.detail(args) } : {}),
      });
      if (!yes) return { ok: false, message: `${action.title} ${target}: not confirmed, nothing done` };
    }

    let release: (() => Promise<void>) | undefined;
    if (action.lock) {
      try {
        release = await this.options.locks.acquire(`${this.env}.${action.lock(args)}`, `${this.options.user}@${this.options.host} ${runId}`);
      } catch (err) {
        return { ok: false, message: redact(errorMessage(err)), ...hintOf(err) };
      }
    }

    const now = this.options.now ?? Date.now;
    const started = now();
    const base = {
      id: runId,
      user: this.options.user,
      host: this.options.host,
      env: this.env,
      action: action.id,
      target,
    };
    this.options.audit.append({ ...base, time: new Date(started).toISOString(), phase: 'start' });
    const ctx: ActionContext = {
      env: this.env,
      backend: this.options.backend,
      signal,
      progress: (ev) => hooks.progress(ev.type === 'log' ? { ...ev, line: redact(ev.line) } : ev),
    };
    let result: ActionResult;
    try {
      result = await action.run(ctx, args);
      if (signal.aborted && result.ok && !action.untilCancelled) result = { ok: false, message: 'cancelled' };
    } catch (err) {
      result = { ok: false, message: errorMessage(err), ...hintOf(err) };
    } finally {
      await release?.().catch(() => undefined);
    }
    result = { ...result, message: redact(result.message) };
    const ended = now();
    this.options.audit.append({
      ...base,
      time: new Date(ended).toISOString(),
      phase: 'end',
      result: result.ok ? 'ok' : signal.aborted ? 'cancelled' : 'failed',
      message: result.message,
      durationMs: ended - started,
    });
    return result;
  }
}

function hintOf(err: unknown): { hint?: string } {
  return err instanceof UserError && err.hint ? { hint: err.hint } : {};
}
