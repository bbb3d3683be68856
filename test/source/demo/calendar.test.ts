import { describe, expect, it } from 'vitest';
import { nextRun, previousRun } from '../../../source/demo/calendar.ts';

const at = (iso: string) => Date.parse(iso);

describe('demo calendar', () => {
  it('finds the previous and next run of a nightly timer', () => {
    const now = at('2026-12-01T07:00:00Z');
    expect(previousRun({ daily: [[2, 0]] }, now)).toBe(at('2026-12-01T02:00:00Z'));
    expect(nextRun({ daily: [[2, 0]] }, now)).toBe(at('2026-12-02T02:00:00Z'));
  });

  it('handles twice a day and a weekly timer', () => {
    const now = at('2026-12-01T19:00:00Z'); // a Tuesday
    expect(previousRun({ daily: [[6, 0], [18, 0]] }, now)).toBe(at('2026-12-01T18:00:00Z'));
    expect(nextRun({ daily: [[6, 0], [18, 0]] }, now)).toBe(at('2026-12-02T06:00:00Z'));
    expect(previousRun({ weekly: { day: 0, at: [4, 0] } }, now)).toBe(at('2026-11-29T04:00:00Z'));
    expect(nextRun({ weekly: { day: 0, at: [4, 0] } }, now)).toBe(at('2026-12-06T04:00:00Z'));
  });

  it('counts a run at exactly now as the previous one', () => {
    const now = at('2026-12-01T02:00:00Z');
    expect(previousRun({ daily: [[2, 0]] }, now)).toBe(now);
    expect(previousRun({ every: 20_000 }, now)).toBe(now);
    expect(nextRun({ every: 20_000 }, now)).toBe(now + 20_000);
  });
});
