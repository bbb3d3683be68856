/** Reconnect backoff: 0.5 s doubling to 10 s by default; reset on success. Pure (clock passed in). */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
}

export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  private failures = 0;
  private until = 0;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 500;
    this.maxMs = opts.maxMs ?? 10_000;
    this.factor = opts.factor ?? 2;
  }

  /** Delay that the next failure would impose. */
  nextDelayMs(): number {
    return Math.min(this.maxMs, this.initialMs * this.factor ** this.failures);
  }

  /** Records a failed attempt at `now`; returns the delay before the next attempt. */
  fail(now: number): number {
    const d = this.nextDelayMs();
    this.failures++;
    this.until = now + d;
    return d;
  }

  succeed(): void {
    this.failures = 0;
    this.until = 0;
  }

  /** Milliseconds to wait before another attempt is allowed (0 = go). */
  waitMs(now: number): number {
    return Math.max(0, this.until - now);
  }

  get failureCount(): number {
    return this.failures;
  }
}
