import type { ActionResult } from './status.ts';
import type { KindId } from './kind.ts';
import type { Backend } from './backend.ts';

export type ProgressEvent =
  | { type: 'step'; title: string; /** 1-based */ index?: number; total?: number }
  | { type: 'bytes'; done: number; total?: number }
  | { type: 'percent'; value: number }
  | { type: 'log'; line: string; stream?: 'stdout' | 'stderr' };

export interface ActionContext {
  env: string;
  backend: Backend;
  signal: AbortSignal;
  progress: (event: ProgressEvent) => void;
}

/**
 * Confirmation before running:
 *  - 'none': runs at once;
 *  - 'yes': y/N (and, on a `protect`ed environment, the target's name typed);
 *  - 'typed': the target's name typed, always.
 */
export type ConfirmRule = 'none' | 'yes' | 'typed';

/** One definition serves a keystroke, the `:` palette and a CLI subcommand. */
export interface Action<A = Record<string, string>> {
  id: string; // kind.verb, also in the audit log and --json
  title: string;
  kind: KindId | 'global';
  /** Single key on the kind's panel; destructive actions use capitals. */
  key?: string;
  /** CLI subcommand words, e.g. ['run'] or ['node', 'reboot']. */
  cli?: string[];
  /** Positional CLI arguments, in order, named as in A. */
  params?: { name: keyof A & string; description: string; optional?: boolean; /** typed without echo (a secret's value) */ hidden?: boolean }[];
  destructive: boolean;
  confirm: ConfirmRule;
  /** Advisory lock name, e.g. `service:nmpi`: two runs of one name never overlap. */
  lock?: (args: A) => string;
  /** Runs until cancelled (following a journal): cancelling is its normal end, not a failure. */
  untilCancelled?: boolean;
  /** Changes nothing: allowed in --readonly. */
  readonly?: boolean;
  /** Shown in the confirmation: exactly what will happen (a fingerprint, a version). */
  detail?: (args: A) => string;
  /** What the action acts on, for the audit log and the typed confirmation. */
  target: (args: A) => string;
  /**
   * Params the app asks for in a small form before running, prefilled from `fromRow` (a
   * tunnel's port): the CLI takes them as positionals.
   */
  ask?: (keyof A & string)[];
  /** Arguments from the selected row of the kind's panel. */
  fromRow?: (row: any) => A;
  /** Why the action cannot run on this row now, or undefined when it can. */
  disabled?: (row: any) => string | undefined;
  run: (ctx: ActionContext, args: A) => Promise<ActionResult>;
}

export function defineAction<A>(action: Action<A>): Action<A> {
  return action;
}
