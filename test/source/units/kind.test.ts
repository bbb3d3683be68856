import { describe, expect, it } from 'vitest';
import { timerKind } from '../../../source/units/kind.ts';
import type { Timer } from '../../../source/units/model.ts';
import { sortRows } from '../../../source/app/print.ts';
import { cell } from '../demo/cells.ts';

const now = new Date('2026-12-01T07:00:00Z');
const H = 3_600_000;
const backups: Timer = {
  env: 'production', node: 'ims', unit: 'postgres-backups.timer', service: 'postgres-backups.service', schedule: '*-*-* 02:00:00',
  next: new Date(now.getTime() + 19 * H), last: new Date(now.getTime() - 5 * H), lastDurationMs: 252_000,
  result: { kind: 'success' }, enabled: true, failed: false,
};
const duplicity: Timer = {
  ...backups, unit: 'duplicity-backups.timer', service: 'duplicity-backups.service', result: { kind: 'exit-code', code: 1 }, failed: true,
};

describe('timerKind', () => {
  it('has the columns of the Timers panel', () => {
    expect(timerKind.columns.map((c) => c.title)).toEqual(['NODE', 'TIMER', 'SCHEDULE', 'NEXT', 'LAST', 'RESULT', 'ENABLED']);
  });

  it('shows next and last runs relative to now, with the run time', () => {
    expect(cell(timerKind, 'NEXT', backups, now).text).toBe('in 19h');
    expect(cell(timerKind, 'LAST', backups, now).text).toBe('5h ago (4m 12s)');
    expect(cell(timerKind, 'RESULT', backups, now)).toEqual({ text: 'success', tone: 'ok' });
  });

  it('marks a failed run as an error and sorts failed timers first', () => {
    expect(cell(timerKind, 'RESULT', duplicity, now)).toEqual({ text: 'exit-code 1', tone: 'error' });
    expect(sortRows(timerKind, [backups, duplicity]).map((t) => t.unit)).toEqual(['duplicity-backups.timer', 'postgres-backups.timer']);
  });

  it('runs the timer of the row under a per-unit lock', () => {
    const run = timerKind.actions.find((a) => a.id === 'timer.run')!;
    const args = run.fromRow!(backups);
    expect(args).toEqual({ node: 'ims', unit: 'postgres-backups.timer' });
    expect(run.lock!(args)).toBe('unit:ims/postgres-backups.timer');
    expect(run.confirm).toBe('none');
    expect(run.disabled!({ ...backups, result: { kind: 'running' } })).toBe('postgres-backups.service is running');
  });
});
