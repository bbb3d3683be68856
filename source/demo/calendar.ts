/**
 * The few OnCalendar shapes the demo fleet uses, evaluated in UTC so a seeded demo shows the
 * same schedule on every machine.
 */
export type Cadence =
  | { every: number } // ms, e.g. `*:*:0/20`
  | { daily: [hour: number, minute: number][] }
  | { weekly: { day: number; at: [hour: number, minute: number] } }; // day: 0 = Sunday

const DAY = 86_400_000;

function candidates(c: Exclude<Cadence, { every: number }>, now: number): number[] {
  const midnight = Math.floor(now / DAY) * DAY;
  const out: number[] = [];
  for (let d = -7; d <= 7; d++) {
    const base = midnight + d * DAY;
    if ('daily' in c) {
      for (const [h, m] of c.daily) out.push(base + (h * 60 + m) * 60_000);
    } else if (new Date(base).getUTCDay() === c.weekly.day) {
      out.push(base + (c.weekly.at[0] * 60 + c.weekly.at[1]) * 60_000);
    }
  }
  return out.sort((a, b) => a - b);
}

// Daily times are the hot path: 10,000 generated timers are evaluated per poll.
function dailyRun(times: [number, number][], now: number, dir: 'prev' | 'next'): number {
  const midnight = Math.floor(now / DAY) * DAY;
  let best = dir === 'prev' ? -Infinity : Infinity;
  for (const [h, m] of times) {
    const today = midnight + (h * 60 + m) * 60_000;
    if (dir === 'prev') best = Math.max(best, today <= now ? today : today - DAY);
    else best = Math.min(best, today > now ? today : today + DAY);
  }
  return best;
}

/** The latest scheduled time at or before now. */
export function previousRun(c: Cadence, now: number): number {
  if ('every' in c) return Math.floor(now / c.every) * c.every;
  if ('daily' in c) return dailyRun(c.daily, now, 'prev');
  const all = candidates(c, now);
  let prev = all[0]!;
  for (const t of all) if (t <= now) prev = t;
  return prev;
}

/** The first scheduled time after now. */
export function nextRun(c: Cadence, now: number): number {
  if ('every' in c) return (Math.floor(now / c.every) + 1) * c.every;
  if ('daily' in c) return dailyRun(c.daily, now, 'next');
  return candidates(c, now).find((t) => t > now)!;
}
