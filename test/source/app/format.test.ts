import { describe, expect, it } from 'vitest';
import { bytes, daysUntil, duration, fromNow, percent, span, timestamp } from '../../../source/app/format.ts';

const now = new Date('2026-12-01T07:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const M = 60_000;
const H = 60 * M;

describe('fromNow', () => {
  it('says how far ahead a date is in two units', () => {
    expect(fromNow(at(3 * H + 12 * M + 30_000), now)).toBe('in 3h 12m');
  });
  it('says how long ago a date was', () => {
    expect(fromNow(at(-12 * M - 5_000), now)).toBe('12m ago');
    expect(fromNow(at(-(2 * 24 + 4) * H), now)).toBe('2d 4h ago');
  });
  it('says now within a second and a dash without a date', () => {
    expect(fromNow(at(400), now)).toBe('now');
    expect(fromNow(undefined, now)).toBe('-');
  });
  it('shows seconds under a minute and whole hours without zero minutes', () => {
    expect(fromNow(at(45_000), now)).toBe('in 45s');
    expect(fromNow(at(-5 * H), now)).toBe('5h ago');
  });
});

describe('span and daysUntil', () => {
  it('keeps minutes alone so the cell does not tick every second', () => {
    expect(span(5 * M + 59_000)).toBe('5m');
    expect(span(26 * H)).toBe('1d 2h');
  });
  it('counts whole days to a date', () => {
    expect(daysUntil(at(9 * 24 * H + 7 * H), now)).toBe(9);
    expect(daysUntil(at(-30 * H), now)).toBe(-1);
  });
});

describe('duration', () => {
  it('formats run times compactly with pretty-ms', () => {
    expect(duration(350)).toBe('350ms');
    expect(duration(1_800)).toBe('1.8s');
    expect(duration(134_300)).toBe('2m 14s');
    expect(duration(3 * H + 12 * M + 5_000)).toBe('3h 12m');
    expect(duration(undefined)).toBe('-');
  });
});

describe('bytes and percent', () => {
  it('uses decimal units as object stores do', () => {
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1_200_000_000)).toBe('1.2 GB');
    expect(bytes(381_000_000)).toBe('381 MB');
    expect(bytes(4_000_000)).toBe('4 MB');
    expect(bytes(undefined)).toBe('-');
  });
  it('formats a 0..100 value as a percentage', () => {
    expect(percent(62.4)).toBe('62%');
    expect(percent(62.45, 1)).toBe('62.5%');
    expect(percent(undefined)).toBe('-');
  });
});

describe('timestamp', () => {
  it('prints UTC to the second from a Date or an ISO string', () => {
    expect(timestamp(now)).toBe('2026-12-01 07:00:00');
    expect(timestamp('2026-12-01T07:18:10.123Z')).toBe('2026-12-01 07:18:10');
  });
});
