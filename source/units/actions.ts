import { defineAction } from '../app/action.ts';
import type { Timer } from './model.ts';
import { parseDuration } from '../config/schema.ts';

/** `2h` means two hours ago; anything else is read as a date; null when it is neither. */
export function sinceOf(text: string, now = Date.now()): Date | null {
  const ago = parseDuration(text.trim());
  if (ago !== undefined) return new Date(now - ago);
  const d = new Date(text.trim());
  return Number.isNaN(d.getTime()) ? null : d;
}

export const runTimer = defineAction<{ node: string; unit: string }>({
  id: 'timer.run',
  title: 'Run now',
  kind: 'timers',
  key: 't',
  cli: ['run'],
  params: [
    { name: 'node', description: 'node the timer is on' },
    { name: 'unit', description: 'timer, e.g. postgres-backups.timer (or its service)' },
  ],
  destructive: false,
  confirm: 'none',
  lock: (a) => `unit:${a.node}/${a.unit}`,
  target: (a) => `${a.node}/${a.unit}`,
  // The timer, not its service: the driver reads which service the timer starts (seed 002's
  // duplicity-backups.timer starts duplicity.service).
  fromRow: (t: Timer) => ({ node: t.node, unit: t.unit }),
  disabled: (t: Timer) => (t.result.kind === 'running' ? `${t.service} is running` : undefined),
  run: (ctx, a) => ctx.backend.timers.runNow(ctx, a.node, a.unit),
});

const unitParams = [
  { name: 'node' as const, description: 'node the unit is on' },
  { name: 'unit' as const, description: 'unit, e.g. postgres-backups.timer or ims-deploy.service' },
];

/** Follows the journal of the timer's service in the log pane until cancelled. */
export const followJournal = defineAction<{ node: string; unit: string; since?: string }>({
  id: 'timer.journal',
  title: 'Follow the journal',
  kind: 'timers',
  key: 'l',
  params: [...unitParams, { name: 'since', description: 'since (2h, 30m, 2026-12-01T02:00Z; empty: the last 50 lines)', optional: true }],
  ask: ['since'],
  destructive: false,
  confirm: 'none',
  readonly: true,
  untilCancelled: true,
  target: (a) => `${a.node}/${a.unit}`,
  fromRow: (t: Timer) => ({ node: t.node, unit: t.service }),
  run: (ctx, a) => {
    const since = a.since ? sinceOf(a.since) : undefined;
    if (since === null) return Promise.resolve({ ok: false, message: `since wants a duration (2h) or a time (2026-12-01T02:00Z), not "${a.since}"` });
    return ctx.backend.timers.journal(ctx, a.node, a.unit, { lines: 50, ...(since ? { since } : {}) });
  },
});

export const enableTimer = defineAction<{ node: string; unit: string }>({
  id: 'timer.enable',
  title: 'Enable the timer',
  kind: 'timers',
  key: 'n',
  cli: ['timer', 'enable'],
  params: unitParams,
  destructive: false,
  confirm: 'yes',
  lock: (a) => `unit:${a.node}/${a.unit}`,
  target: (a) => `${a.node}/${a.unit}`,
  fromRow: (t: Timer) => ({ node: t.node, unit: t.unit }),
  disabled: (t: Timer) => (t.enabled ? `${t.unit} is enabled` : t.unit.endsWith('.timer') ? undefined : `${t.unit} is not a timer`),
  run: (ctx, a) => ctx.backend.timers.enable(ctx, a.node, a.unit, true),
});

/** Stopping a nightly backup is how backups silently go stale: it asks first. */
export const disableTimer = defineAction<{ node: string; unit: string }>({
  id: 'timer.disable',
  title: 'Disable the timer',
  kind: 'timers',
  key: 'D',
  cli: ['timer', 'disable'],
  params: unitParams,
  destructive: true,
  confirm: 'yes',
  lock: (a) => `unit:${a.node}/${a.unit}`,
  target: (a) => `${a.node}/${a.unit}`,
  fromRow: (t: Timer) => ({ node: t.node, unit: t.unit }),
  disabled: (t: Timer) => (!t.enabled ? `${t.unit} is disabled` : t.unit.endsWith('.timer') ? undefined : `${t.unit} is not a timer`),
  run: (ctx, a) => ctx.backend.timers.enable(ctx, a.node, a.unit, false),
});

export const resetFailed = defineAction<{ node: string; unit: string }>({
  id: 'timer.reset-failed',
  title: 'Reset the failed state',
  kind: 'timers',
  key: 'f',
  cli: ['reset-failed'],
  params: unitParams,
  destructive: false,
  confirm: 'none',
  target: (a) => `${a.node}/${a.unit}`,
  fromRow: (t: Timer) => ({ node: t.node, unit: t.service }),
  disabled: (t: Timer) => (t.failed ? undefined : `${t.service} has not failed`),
  run: (ctx, a) => ctx.backend.timers.resetFailed(ctx, a.node, a.unit),
});

export const timerActions = [runTimer, followJournal, enableTimer, disableTimer, resetFailed];
