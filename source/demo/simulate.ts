import type { ActionContext } from '../app/action.ts';

/** One step of a simulated action; `ms` is at speed 1. */
export interface Step {
  title: string;
  ms: number;
  logs?: string[];
  /** Transfer size: the step reports bytes progress. */
  bytes?: number;
}

/** Resolves true after ms, or false as soon as the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Like pause, but rejects with the abort reason: what a cancelled fetch does. */
export async function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (!(await pause(ms, signal))) throw signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * Plays steps as progress events: each step's title, its log lines spread over its time,
 * bytes for transfers and the overall percent. False when cancelled part way.
 */
export async function play(ctx: ActionContext, speed: number, steps: Step[]): Promise<boolean> {
  const totalMs = steps.reduce((s, x) => s + x.ms, 0) || 1;
  let doneMs = 0;
  for (const [i, step] of steps.entries()) {
    if (ctx.signal.aborted) return false;
    ctx.progress({ type: 'step', title: step.title, index: i + 1, total: steps.length });
    const logs = step.logs ?? [];
    const ticks = Math.max(1, logs.length, step.bytes ? 10 : 0);
    for (let k = 0; k < ticks; k++) {
      if (!(await pause(step.ms / ticks / speed, ctx.signal))) return false;
      const line = logs[Math.floor((k * logs.length) / ticks)];
      if (line !== undefined && Math.floor((k * logs.length) / ticks) !== Math.floor(((k - 1) * logs.length) / ticks)) {
        ctx.progress({ type: 'log', line });
      }
      if (step.bytes) ctx.progress({ type: 'bytes', done: Math.round((step.bytes * (k + 1)) / ticks), total: step.bytes });
      ctx.progress({ type: 'percent', value: Math.round((100 * (doneMs + (step.ms * (k + 1)) / ticks)) / totalMs) });
    }
    doneMs += step.ms;
  }
  return true;
}
