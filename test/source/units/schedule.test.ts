import { describe, expect, it } from 'vitest';
import { humanCalendar, humanSchedule, humanSpan } from '../../../source/units/schedule.ts';

describe('humanCalendar', () => {
  it.each([
    ['*-*-* 02:00:00', 'daily 02:00'],
    ['*-*-* 03:30:00', 'daily 03:30'],
    ['*-*-* 00:00:00', 'daily 00:00'],
    ['*-*-* 00/12:00:00', 'twice a day 00:00, 12:00'],
    ['*-*-* 06,18:00:00', 'twice a day 06:00, 18:00'],
    ['*-*-* 06/6:00:00', 'three times a day 06:00, 12:00, 18:00'],
    ['*-*-* 02:00:30', 'daily 02:00:30'],
    ['Mon *-*-* 00:00:00', 'weekly'],
    ['weekly', 'weekly'],
    ['daily', 'daily'],
    ['Sun *-*-* 03:10:00', 'weekly Sun 03:10'],
    ['Mon..Fri *-*-* 09:00:00', 'Mon..Fri 09:00'],
    ['*-*-01 00:00:00', 'monthly'],
    ['*-*-15 04:00:00', 'monthly on day 15 04:00'],
    ['*-*-* *:00:00', 'hourly'],
    ['*-*-* *:15:00', 'hourly at :15'],
    ['*-*-* *:*:00', 'every minute'],
    ['2027-01-01 00:00:00', '2027-01-01 00:00:00'],
    ['*-*-* 02:00:00 Europe/Berlin', '*-*-* 02:00:00 Europe/Berlin'],
    ['*-02-29 00:00:00', '*-02-29 00:00:00'],
  ])('%s -> %s', (expr, human) => expect(humanCalendar(expr)).toBe(human));
});

describe('humanSchedule', () => {
  it('monotonic timers', () => {
    expect(humanSpan('1min 30.5s')).toBe('1 min 30.5 s');
    expect(humanSchedule([], [{ base: 'OnUnitActiveUSec', span: '5s' }])).toBe('every 5 s');
    expect(humanSchedule([], [{ base: 'OnUnitActiveSec', span: '5s' }])).toBe('every 5 s');
    // opsconsole-tick.timer and systemd-tmpfiles-clean.timer as systemd 252 shows them
    expect(humanSchedule([], [{ base: 'OnUnitActiveUSec', span: '5s' }, { base: 'OnActiveUSec', span: '1s' }])).toBe('every 5 s (first 1 s after the timer started)');
    expect(humanSchedule([], [{ base: 'OnUnitActiveUSec', span: '1d' }, { base: 'OnBootUSec', span: '15min' }])).toBe('every 1 d (first 15 min after boot)');
    expect(humanSchedule([], [{ base: 'OnBootUSec', span: '15min' }])).toBe('15 min after boot');
    expect(humanSchedule([])).toBe('-');
    expect(humanSchedule(['*-*-* 02:00:00', 'Sun *-*-* 03:10:00'])).toBe('daily 02:00; weekly Sun 03:10');
  });
});
