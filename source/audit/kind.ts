import type { ResourceKind } from '../app/kind.ts';
import type { Tone } from '../app/status.ts';
import { duration, timestamp } from '../app/format.ts';
import type { AuditEntry } from './model.ts';

const resultTones: Record<NonNullable<AuditEntry['result']>, Tone> = { ok: 'ok', failed: 'error', cancelled: 'warn', refused: 'warn' };

const resultText = (e: AuditEntry) => e.result ?? (e.phase === 'start' ? 'started' : '-');
const resultTone = (e: AuditEntry): Tone => (e.result ? resultTones[e.result] : 'info');

export const auditKind: ResourceKind<AuditEntry> = {
  id: 'audit',
  title: 'Audit',
  rowId: (e) => `${e.id}/${e.phase}`,
  searchText: (e) => [e.user, e.host, e.env, e.action, e.target, e.result, e.message].filter(Boolean).join(' '),
  columns: [
    { key: 'time', title: 'TIME', value: (e) => e.time, format: (e) => timestamp(e.time) },
    { key: 'user', title: 'USER', value: (e) => e.user },
    { key: 'env', title: 'ENV', value: (e) => e.env },
    { key: 'action', title: 'ACTION', value: (e) => e.action },
    { key: 'target', title: 'TARGET', grow: true, value: (e) => e.target },
    { key: 'result', title: 'RESULT', value: resultText, tone: resultTone },
    { key: 'durationMs', title: 'DURATION', align: 'right', value: (e) => e.durationMs, format: (e) => (e.durationMs === undefined ? '' : duration(e.durationMs)) },
  ],
  details: (e) => [
    { label: 'Time', value: `${timestamp(e.time)} UTC` },
    { label: 'Run', value: e.id },
    { label: 'User', value: `${e.user}@${e.host}` },
    { label: 'Environment', value: e.env },
    { label: 'Action', value: e.action },
    { label: 'Target', value: e.target },
    { label: 'Result', value: resultText(e), tone: resultTone(e) },
    ...(e.message ? [{ label: 'Message', value: e.message }] : []),
    ...(e.durationMs !== undefined ? [{ label: 'Duration', value: duration(e.durationMs) }] : []),
  ],
  actions: [],
};
