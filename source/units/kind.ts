import type { ResourceKind } from '../app/kind.ts';
import type { Tone } from '../app/status.ts';
import { duration, fromNow } from '../app/format.ts';
import type { Timer, UnitResult } from './model.ts';
import { timerActions } from './actions.ts';

export function resultText(r: UnitResult): string {
  switch (r.kind) {
    case 'success':
      return 'success';
    case 'exit-code':
      return `exit-code ${r.code}`;
    case 'signal':
      return `signal ${r.signal}`;
    case 'running':
      return 'running';
    case 'never':
      return 'never run';
    case 'other':
      return r.text;
  }
}

export function resultTone(t: Timer): Tone {
  if (t.failed) return 'error';
  switch (t.result.kind) {
    case 'success':
      return 'ok';
    case 'running':
      return 'info';
    case 'never':
      return 'muted';
    default:
      return 'warn';
  }
}

/** Sort rank of the RESULT column: failed timers first, then running ones, then the rest. */
const resultRank = (t: Timer): number => (t.failed ? 0 : t.result.kind === 'running' ? 1 : 2);

function lastText(t: Timer, now: Date): string {
  if (!t.last) return '-';
  const ago = fromNow(t.last, now);
  return t.lastDurationMs === undefined ? ago : `${ago} (${duration(t.lastDurationMs)})`;
}

export const timerKind: ResourceKind<Timer> = {
  id: 'timers',
  title: 'Timers',
  rowId: (t) => `${t.env}/${t.node}/${t.unit}`,
  searchText: (t) => [t.node, t.unit, t.service, t.schedule, resultText(t.result), t.failed ? 'failed' : '', t.enabled ? '' : 'disabled'].join(' '),
  columns: [
    { key: 'node', title: 'NODE', maxWidth: 16, value: (t) => t.node },
    { key: 'unit', title: 'TIMER', grow: true, value: (t) => t.unit },
    { key: 'schedule', title: 'SCHEDULE', maxWidth: 24, value: (t) => t.schedule },
    { key: 'next', title: 'NEXT', value: (t) => t.next, format: (t, now) => fromNow(t.next, now), tone: (t) => (t.next ? 'normal' : 'muted') },
    { key: 'last', title: 'LAST', value: (t) => t.last, format: lastText, tone: (t) => (t.last ? 'normal' : 'muted') },
    { key: 'result', title: 'RESULT', value: resultRank, format: (t) => resultText(t.result), tone: resultTone },
    { key: 'enabled', title: 'ENABLED', value: (t) => (t.enabled ? 'yes' : 'no'), tone: (t) => (t.enabled ? 'normal' : 'warn') },
  ],
  // A failed job is the first thing the morning check looks for.
  defaultSort: 'result',
  details: (t, now) => [
    { label: 'Timer', value: t.unit },
    { label: 'Starts', value: t.service },
    { label: 'Node', value: t.node },
    { label: 'Environment', value: t.env },
    { label: 'Schedule', value: t.schedule },
    { label: 'Next run', value: t.next ? `${t.next.toISOString()} (${fromNow(t.next, now)})` : '-' },
    { label: 'Last run', value: t.last ? `${t.last.toISOString()} (${fromNow(t.last, now)})` : 'never' },
    { label: 'Last duration', value: duration(t.lastDurationMs) },
    { label: 'Result', value: resultText(t.result), tone: resultTone(t) },
    { label: 'Enabled', value: t.enabled ? 'yes' : 'no', tone: t.enabled ? 'normal' : 'warn' },
    ...(t.calendar ? [{ label: 'Calendar', value: t.calendar }] : []),
    ...(t.serviceState ? [{ label: 'Service state', value: t.serviceState }] : []),
  ],
  actions: timerActions,
};
