import { describe, expect, it } from 'vitest';
import { sinceOf } from '../../../source/units/actions.ts';

describe('the since of a journal', () => {
  const now = Date.parse('2026-12-01T08:00:00Z');
  it('reads a duration as that long ago, a date as that date, and refuses anything else', () => {
    expect(sinceOf('2h', now)?.toISOString()).toBe('2026-12-01T06:00:00.000Z');
    expect(sinceOf('30m', now)?.toISOString()).toBe('2026-12-01T07:30:00.000Z');
    expect(sinceOf('2026-12-01T02:00Z', now)?.toISOString()).toBe('2026-12-01T02:00:00.000Z');
    expect(sinceOf('yesterday-ish', now)).toBeNull();
  });
});
