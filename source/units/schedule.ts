// Human form of a timer's schedule, from what `systemctl show` reports: `TimersCalendar`
// (OnCalendar=, normalised by systemd: `daily` -> `*-*-* 00:00:00`) and `TimersMonotonic`
// (OnUnitActiveUSec=5s, OnBootUSec=15min, ...). Anything unrecognised is shown as written.

export interface MonotonicSpec {
  /** OnActiveUSec, OnBootUSec, OnStartupUSec, OnUnitActiveUSec, OnUnitInactiveUSec (or the `...Sec` spelling). */
  base: string;
  /** systemd timespan as printed, e.g. `5s`, `1min 30s`, `1d`. */
  span: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `1min 30s` -> `1 min 30 s`. */
export function humanSpan(span: string): string {
  return span.trim().replace(/(\d+(?:\.\d+)?)\s*([a-zµ]+)/g, '$1 $2');
}

/** Expands one calendar component (`06,18`, `00/12`, `8..10`, `5`) to numbers, or undefined. */
function values(field: string, max: number): number[] | undefined {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^(\d+)$/))) out.add(Number(m[1]));
    else if ((m = part.match(/^(\d+)\.\.(\d+)$/))) for (let i = Number(m[1]); i <= Number(m[2]); i++) out.add(i);
    else if ((m = part.match(/^(\d+|\*)\/(\d+)$/))) {
      const step = Number(m[2]);
      if (step <= 0) return undefined;
      for (let i = m[1] === '*' ? 0 : Number(m[1]); i <= max; i += step) out.add(i);
    } else return undefined;
  }
  const list = [...out].sort((a, b) => a - b);
  return list.length && list.every((v) => v <= max) ? list : undefined;
}

const TIMES = ['', 'once', 'twice', 'three times', 'four times'];

const SHORTHAND: Record<string, string> = {
  minutely: 'every minute',
  hourly: 'hourly',
  daily: 'daily',
  weekly: 'weekly',
  monthly: 'monthly',
  yearly: 'yearly',
  annually: 'yearly',
  quarterly: 'quarterly',
  semiannually: 'twice a year',
};

/** One OnCalendar expression in human form, or the expression itself. */
export function humanCalendar(expr: string): string {
  const e = expr.trim().replace(/\s+/g, ' ');
  const short = SHORTHAND[e.toLowerCase()];
  if (short) return short;
  const m = e.match(/^(?:([A-Za-z.,]+) )?(\*|\d{4})-(\*|\d{1,2})-(\*|\d{1,2}) (\S+)$/);
  if (!m) return e;
  const [, dow, year, month, day, time] = m as unknown as [string, string | undefined, string, string, string, string];
  const t = time.split(':');
  if (t.length < 2 || t.length > 3) return e;
  const [hh, mm, ss = '00'] = t as [string, string, string?];
  if (year !== '*') return e;
  const sec = ss === '00' ? 0 : values(ss, 59)?.length === 1 ? Number(ss) : undefined;
  if (sec === undefined) return e;
  const clock = (h: number, mi: number) => `${pad(h)}:${pad(mi)}${sec ? `:${pad(sec)}` : ''}`;

  // Which days.
  let days: string;
  if (dow === undefined && month === '*' && day === '*') days = 'daily';
  else if (dow !== undefined && month === '*' && day === '*') days = /^[A-Z][a-z]{2}$/.test(dow) ? 'weekly' : dow;
  else if (dow === undefined && month === '*' && /^\d+$/.test(day)) days = 'monthly';
  else return e;

  // Every hour / every minute.
  if (hh === '*') {
    const mins = mm === '*' ? undefined : values(mm, 59);
    if (mm === '*' && !sec && days === 'daily') return 'every minute';
    if (!mins) return e;
    if (days !== 'daily') return e;
    if (mins.length === 1) return mins[0] === 0 && !sec ? 'hourly' : `hourly at :${pad(mins[0]!)}`;
    return `${TIMES[mins.length] ?? `${mins.length} times`} an hour at ${mins.map((x) => `:${pad(x)}`).join(', ')}`;
  }
  const hours = values(hh, 23);
  const mins = values(mm, 59);
  if (!hours || !mins || mins.length !== 1) return e;
  const at = hours.map((h) => clock(h, mins[0]!)).join(', ');
  const midnight = hours.length === 1 && hours[0] === 0 && mins[0] === 0 && !sec;
  if (days === 'daily') {
    if (hours.length === 1) return `daily ${at}`;
    return `${TIMES[hours.length] ?? `${hours.length} times`} a day ${at}`;
  }
  if (days === 'weekly') return dow === 'Mon' && midnight ? 'weekly' : `weekly ${dow} ${at}`;
  if (days === 'monthly') return Number(day) === 1 && midnight ? 'monthly' : `monthly on day ${Number(day)} ${at}`;
  return `${days} ${at}`;
}

const MONO: Record<string, (span: string) => string> = {
  OnUnitActive: (s) => `every ${s}`,
  OnUnitInactive: (s) => `every ${s} after the last run`,
  OnBoot: (s) => `${s} after boot`,
  OnStartup: (s) => `${s} after startup`,
  OnActive: (s) => `${s} after the timer started`,
};

/** `OnUnitActiveUSec=5s` or `OnUnitActiveSec=5s` in human form. */
export function humanMonotonic(m: MonotonicSpec): string {
  const base = m.base.replace(/U?Sec$/, '');
  const f = MONO[base];
  return f ? f(humanSpan(m.span)) : `${m.base}=${m.span}`;
}

/** The schedule column: recurring parts first (`every 5 s`, `daily 02:00`), then one-offs. */
export function humanSchedule(calendars: readonly string[], monotonic: readonly MonotonicSpec[] = []): string {
  const recurring = monotonic.filter((m) => /^OnUnit(In)?Active/.test(m.base)).map(humanMonotonic);
  const once = monotonic.filter((m) => !/^OnUnit(In)?Active/.test(m.base)).map(humanMonotonic);
  const parts = [...calendars.map(humanCalendar), ...recurring];
  if (parts.length === 0) return once.join(', ') || '-';
  return once.length ? `${parts.join('; ')} (first ${once.join(', ')})` : parts.join('; ');
}
