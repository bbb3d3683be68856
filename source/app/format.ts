import prettyMs from 'pretty-ms';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: [number, string][] = [
  [DAY, 'd'],
  [HOUR, 'h'],
  [MINUTE, 'm'],
  [SECOND, 's'],
];

/**
 * A length of time as a table shows it: "3h 12m", "2d 4h", "12m", "45s". Days and hours carry
 * their next unit, minutes and seconds stand alone, so a column does not flicker every second.
 */
export function span(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < SECOND) return '0s';
  for (let i = 0; i < UNITS.length; i++) {
    const [size, unit] = UNITS[i]!;
    if (abs < size) continue;
    const whole = Math.floor(abs / size);
    const text = `${whole}${unit}`;
    if (size < HOUR) return text;
    const [nextSize, nextUnit] = UNITS[i + 1]!;
    const rest = Math.floor((abs - whole * size) / nextSize);
    return rest > 0 ? `${text} ${rest}${nextUnit}` : text;
  }
  return '0s';
}

/** "in 3h 12m", "12m ago" or "now" (within a second); "-" when there is no date. */
export function fromNow(date: Date | undefined, now: Date): string {
  if (!date) return '-';
  const diff = date.getTime() - now.getTime();
  if (Math.abs(diff) < SECOND) return 'now';
  return diff > 0 ? `in ${span(diff)}` : `${span(diff)} ago`;
}

/** Whole days from now to date, rounded towards zero (a certificate's "in 9 days"). */
export function daysUntil(date: Date, now: Date): number {
  return Math.trunc((date.getTime() - now.getTime()) / DAY);
}

/** How long something ran: "350ms", "1.8s", "2m 14s", "1h 3m" (pretty-ms, two units). */
export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 0) ms = 0;
  return ms < 10 * SECOND ? prettyMs(ms, { unitCount: 2 }) : prettyMs(ms, { unitCount: 2, secondsDecimalDigits: 0 });
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal units as object stores bill them: "512 B", "1.2 GB", "340 MB". */
export function bytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  const sign = n < 0 ? '-' : '';
  let value = Math.abs(n);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const text = unit === 0 || value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${sign}${text} ${BYTE_UNITS[unit]}`;
}

/** A percentage given as 0..100: "62%". */
export function percent(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return `${value.toFixed(digits)}%`;
}

/** An absolute time, UTC, as the audit log and servers' journals show it: "2026-12-01 07:18:10". */
export function timestamp(date: Date | string | undefined): string {
  if (date === undefined) return '-';
  const d = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return String(date);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
