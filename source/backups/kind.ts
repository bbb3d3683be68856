import type { ResourceKind } from '../app/kind.ts';
import type { Tone } from '../app/status.ts';
import { bytes, fromNow, span } from '../app/format.ts';
import type { BackupSet } from './model.ts';
import { backupActions } from './actions.ts';

export type Freshness = { state: 'ok' } | { state: 'stale'; overMs: number } | { state: 'empty' } | { state: 'incomplete' };

export function freshness(b: BackupSet, now: Date): Freshness {
  if (!b.latest) return { state: 'empty' };
  const over = now.getTime() - b.latest.getTime() - b.maxAgeMs;
  if (over > 0) return { state: 'stale', overMs: over };
  return b.complete ? { state: 'ok' } : { state: 'incomplete' };
}

const HOUR = 3_600_000;
/** Ages of a day or two read best in hours ("24h over 26h"), longer ones as "3d 4h". */
const hours = (ms: number) => (ms >= HOUR && ms < 72 * HOUR ? `${Math.floor(ms / HOUR)}h` : span(ms));

export function freshText(b: BackupSet, now: Date): string {
  const f = freshness(b, now);
  switch (f.state) {
    case 'ok':
      return 'ok';
    case 'stale':
      return `stale: ${hours(f.overMs)} over ${hours(b.maxAgeMs)}`;
    case 'empty':
      return 'no backup';
    case 'incomplete':
      return 'incomplete';
  }
}

export function freshTone(b: BackupSet, now: Date): Tone {
  const f = freshness(b, now).state;
  return f === 'ok' ? 'ok' : f === 'incomplete' ? 'warn' : 'error';
}

export const backupKind: ResourceKind<BackupSet> = {
  id: 'backups',
  title: 'Backups',
  rowId: (b) => `${b.env}/${b.name}`,
  searchText: (b) => [b.name, b.kind, b.location, b.producedBy].filter(Boolean).join(' '),
  columns: [
    { key: 'name', title: 'SET', value: (b) => b.name },
    { key: 'kind', title: 'KIND', value: (b) => b.kind },
    {
      key: 'latest',
      title: 'LATEST',
      value: (b) => b.latest,
      format: (b, now) => fromNow(b.latest, now),
      tone: (b, now) => (freshness(b, now).state === 'stale' || !b.latest ? 'error' : 'normal'),
    },
    { key: 'latestSize', title: 'SIZE', align: 'right', value: (b) => b.latestSize, format: (b) => bytes(b.latestSize) },
    { key: 'count', title: 'COUNT', align: 'right', value: (b) => b.count },
    { key: 'fresh', title: 'FRESH', value: (b) => b.latest, format: freshText, tone: freshTone },
    { key: 'producedBy', title: 'PRODUCED BY', grow: true, value: (b) => b.producedBy ?? '-' },
  ],
  details: (b, now) => [
    { label: 'Set', value: b.name },
    { label: 'Environment', value: b.env },
    { label: 'Kind', value: b.kind },
    { label: 'Location', value: b.location },
    { label: 'Newest', value: b.latest ? `${b.latest.toISOString()} (${fromNow(b.latest, now)})` : 'none', tone: freshTone(b, now) },
    { label: 'Newest size', value: bytes(b.latestSize) },
    { label: 'Backups', value: `${b.count} (${bytes(b.totalSize)} in all)` },
    { label: 'Max age', value: span(b.maxAgeMs) },
    { label: 'Freshness', value: freshText(b, now), tone: freshTone(b, now) },
    { label: 'Produced by', value: b.producedBy ?? '-' },
  ],
  actions: backupActions,
};
