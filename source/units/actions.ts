import { defineAction } from '../app/action.ts';
import type { Timer } from './model.ts';

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

export const timerActions = [runTimer];
