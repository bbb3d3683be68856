import type { SourceStatus } from '../source/app/status.ts';

/** "42s", "3m", "5h", "2d": for statuses and "last ok" marks. */
export function ago(then: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

export function clock(now: Date): string {
  return now.toTimeString().slice(0, 8);
}

export interface SourceSummary {
  ok: number;
  stale: number;
  error: number;
  loading: number;
  failing: { id: string; status: Extract<SourceStatus, { state: 'error' | 'stale' }> }[];
}

export function summarise(sources: readonly { id: string; status: SourceStatus }[]): SourceSummary {
  const sum: SourceSummary = { ok: 0, stale: 0, error: 0, loading: 0, failing: [] };
  for (const s of sources) {
    sum[s.status.state]++;
    if (s.status.state === 'error' || s.status.state === 'stale') sum.failing.push({ id: s.id, status: s.status });
  }
  return sum;
}

/** `3 ok · 1 error`: the parts that are not zero. */
export function summaryText(sum: SourceSummary): string {
  const parts: string[] = [];
  if (sum.ok) parts.push(`${sum.ok} ok`);
  if (sum.stale) parts.push(`${sum.stale} stale`);
  if (sum.error) parts.push(`${sum.error} error`);
  if (sum.loading) parts.push(`${sum.loading} loading`);
  return parts.join(' · ');
}

/** `timers@ims: connection refused (last ok 3m ago)`. */
export function failingText(f: SourceSummary['failing'][number], now: Date): string {
  const last = f.status.lastOk ? `last ok ${ago(f.status.lastOk, now)} ago` : 'never answered';
  return `${f.id}: ${f.status.message} (${f.status.state === 'stale' ? 'stale, ' : ''}${last})`;
}
