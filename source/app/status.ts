// Status and errors are values: pollers record them, screens, `check` and `--json` print them.
export type SourceStatus =
  | { state: 'loading' }
  | { state: 'ok'; at: Date }
  | { state: 'stale'; lastOk: Date; message: string } // rows shown are from lastOk
  | { state: 'error'; lastOk?: Date; message: string; hint?: string };

export type Tone = 'normal' | 'ok' | 'warn' | 'error' | 'muted' | 'accent' | 'info';

export type ActionResult =
  | { ok: true; message: string; data?: unknown }
  | { ok: false; message: string; hint?: string };

/** An error meant for the user: message plus an optional hint, never a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
