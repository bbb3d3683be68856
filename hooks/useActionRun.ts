import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { Action, ProgressEvent } from '../source/app/action.ts';
import type { ActionRunner, ConfirmRequest, RunHandle } from '../source/app/runner.ts';
import type { ActionResult } from '../source/app/status.ts';

/** One field of the form shown before an action with `ask` params runs. */
export interface AskField {
  name: string;
  /** The param's description. */
  label: string;
  /** Prefilled from the selected row; may be empty. */
  value: string;
  optional: boolean;
}

export interface AskRequest {
  actionId: string;
  title: string;
  /** The arguments not asked for, as `node ims`: what the form is about. */
  about: string;
  fields: AskField[];
}

export interface RunState {
  phase: 'idle' | 'ask' | 'confirm' | 'running' | 'done';
  title?: string;
  /** The params asked for before running (phase 'ask'). */
  ask?: AskRequest;
  confirm?: ConfirmRequest;
  /** Last log lines (at most `maxLog`). */
  log: string[];
  step?: { title: string; index?: number; total?: number };
  percent?: number;
  bytes?: { done: number; total?: number };
  /** The action reported progress, so its pane stays up with the result until dismissed. */
  progressSeen: boolean;
  cancelling: boolean;
  result?: ActionResult;
}

export type RunEvent =
  | { type: 'ask'; request: AskRequest }
  | { type: 'asked' }
  | { type: 'start'; title: string }
  | { type: 'confirm'; request: ConfirmRequest }
  | { type: 'answered' }
  | { type: 'progress'; event: ProgressEvent; maxLog: number }
  | { type: 'cancelling' }
  | { type: 'done'; result: ActionResult }
  | { type: 'dismiss' };

export const idleRun: RunState = { phase: 'idle', log: [], progressSeen: false, cancelling: false };

export function runReducer(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'ask':
      return { ...idleRun, phase: 'ask', title: event.request.title, ask: event.request };
    case 'asked':
      return state.phase === 'ask' ? idleRun : state;
    case 'start':
      return { ...idleRun, phase: 'running', title: event.title };
    case 'confirm':
      return { ...state, phase: 'confirm', confirm: event.request };
    case 'answered': {
      const { confirm: _answered, ...rest } = state;
      return { ...rest, phase: 'running' };
    }
    case 'progress': {
      const ev = event.event;
      const next: RunState = { ...state, progressSeen: true };
      if (ev.type === 'log') next.log = [...state.log, ...ev.line.split('\n')].slice(-event.maxLog);
      else if (ev.type === 'percent') next.percent = ev.value;
      else if (ev.type === 'bytes') next.bytes = { done: ev.done, ...(ev.total !== undefined ? { total: ev.total } : {}) };
      else next.step = { title: ev.title, ...(ev.index !== undefined ? { index: ev.index } : {}), ...(ev.total !== undefined ? { total: ev.total } : {}) };
      return next;
    }
    case 'cancelling':
      return state.phase === 'running' ? { ...state, cancelling: true } : state;
    case 'done': {
      const { confirm: _unused, ...rest } = state;
      // An action that said nothing on the way needs no pane: its result goes to the flash line.
      return { ...rest, phase: state.progressSeen ? 'done' : 'idle', result: event.result };
    }
    case 'dismiss':
      return state.phase === 'done' ? { ...idleRun, ...(state.result ? { result: state.result } : {}) } : state;
  }
}

/** The form of an action's `ask` params, prefilled from its arguments. */
export function askRequest(action: Action<any>, args: unknown): AskRequest | undefined {
  if (!action.ask?.length) return undefined;
  const values = (args ?? {}) as Record<string, unknown>;
  const fields = action.ask.map((name): AskField => {
    const param = action.params?.find((p) => p.name === name);
    const v = values[name];
    return { name, label: param?.description ?? name, value: v === undefined || v === null ? '' : String(v), optional: param?.optional ?? false };
  });
  const about = Object.entries(values)
    .filter(([k, v]) => !action.ask!.includes(k) && v !== undefined && v !== '')
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(' · ');
  return { actionId: action.id, title: action.title, about, fields };
}

/** The arguments with the form's answers in; an optional field left empty is left out. */
export function withAnswers(args: unknown, fields: readonly AskField[], values: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...((args ?? {}) as Record<string, unknown>) };
  fields.forEach((f, i) => {
    const v = (values[i] ?? '').trim();
    if (v === '' && f.optional) delete out[f.name];
    else out[f.name] = v;
  });
  return out;
}

export interface ActionRun {
  state: RunState;
  /**
   * Starts an action: first the form of its `ask` params (unless `ask: false`, e.g. a named
   * tunnel whose params are all known), then the runner. False when another one is under way.
   */
  start(action: Action<any>, args: unknown, options?: { ask?: boolean }): boolean;
  /** The form's answers, in field order: the action runs with them. */
  submit(values: readonly string[]): void;
  /** Esc on the form: nothing runs. */
  cancelAsk(): void;
  /** Answer of the confirm dialog. */
  answer(yes: boolean): void;
  cancel(): void;
  dismiss(): void;
}

/**
 * Runs an Action through the runner (the only caller of `run`) and keeps what the dialogs
 * show: the pending confirmation, progress, log tail and result.
 */
export function useActionRun(
  runner: ActionRunner,
  options: { maxLog?: number; onResult?: (result: ActionResult, title: string) => void } = {},
): ActionRun {
  const [state, dispatch] = useReducer(runReducer, idleRun);
  const handle = useRef<RunHandle | undefined>(undefined);
  const answerRef = useRef<((yes: boolean) => void) | undefined>(undefined);
  const live = useRef(true);
  const onResult = useRef(options.onResult);
  onResult.current = options.onResult;
  const maxLog = options.maxLog ?? 200;

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
      answerRef.current?.(false);
      handle.current?.cancel();
    };
  }, []);

  const pending = useRef<{ action: Action<any>; args: unknown; request: AskRequest } | undefined>(undefined);

  const launch = useCallback(
    (action: Action<any>, args: unknown): boolean => {
      if (handle.current) return false;
      dispatch({ type: 'start', title: action.title });
      const run = runner.run(action, args, {
        confirm: (request) =>
          new Promise<boolean>((resolve) => {
            answerRef.current = resolve;
            if (live.current) dispatch({ type: 'confirm', request });
          }),
        progress: (event) => {
          if (live.current) dispatch({ type: 'progress', event, maxLog });
        },
      });
      handle.current = run;
      run.result
        .catch((err: unknown): ActionResult => ({ ok: false, message: err instanceof Error ? err.message : String(err) }))
        .then((result) => {
          handle.current = undefined;
          if (!live.current) return;
          dispatch({ type: 'done', result });
          onResult.current?.(result, action.title);
        });
      return true;
    },
    [runner, maxLog],
  );

  const start = useCallback(
    (action: Action<any>, args: unknown, options: { ask?: boolean } = {}): boolean => {
      if (handle.current || pending.current) return false;
      const request = options.ask === false ? undefined : askRequest(action, args);
      if (!request) return launch(action, args);
      pending.current = { action, args, request };
      dispatch({ type: 'ask', request });
      return true;
    },
    [launch],
  );

  const submit = useCallback(
    (values: readonly string[]) => {
      const p = pending.current;
      pending.current = undefined;
      dispatch({ type: 'asked' });
      if (p) launch(p.action, withAnswers(p.args, p.request.fields, values));
    },
    [launch],
  );

  const cancelAsk = useCallback(() => {
    pending.current = undefined;
    dispatch({ type: 'asked' });
  }, []);

  const answer = useCallback((yes: boolean) => {
    const resolve = answerRef.current;
    answerRef.current = undefined;
    dispatch({ type: 'answered' });
    resolve?.(yes);
  }, []);

  const cancel = useCallback(() => {
    if (!handle.current) return;
    dispatch({ type: 'cancelling' });
    handle.current.cancel();
  }, []);

  const dismiss = useCallback(() => dispatch({ type: 'dismiss' }), []);

  return { state, start, submit, cancelAsk, answer, cancel, dismiss };
}
