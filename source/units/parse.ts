// Pure parsers for systemd output (tested on output captured from real systemd 252 in
// test/fixtures/units/). Nothing here runs a command.
import { constants } from 'node:os';
import { MARK } from './commands.ts';
import type { Timer, UnitResult } from './model.ts';
import { humanSchedule, type MonotonicSpec } from './schedule.ts';

// ---------------------------------------------------------------- sections of a batched script

/** Splits `@@opsconsole:NAME` sections; text before the first marker is under ''. */
export function splitSections(out: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name = '';
  let lines: string[] = [];
  const flush = () => sections.set(name, (sections.has(name) ? `${sections.get(name)}\n` : '') + lines.join('\n').trim());
  for (const line of out.split('\n')) {
    if (line.startsWith(MARK)) {
      flush();
      name = line.slice(MARK.length).trim();
      lines = [];
    } else lines.push(line.replace(/\r$/, ''));
  }
  flush();
  return sections;
}

export interface NodeClock {
  /** Node's clock when the script ran. */
  now?: Date;
  /** Node's UTC offset in minutes (for timestamps printed in local time by older systemd). */
  offsetMin: number;
}

export function parseClock(text: string | undefined): NodeClock {
  const [secs, zone] = (text ?? '').split('\n').map((s) => s.trim());
  const m = zone?.match(/^([+-])(\d\d):?(\d\d)$/);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const now = secs && /^\d+$/.test(secs) ? new Date(Number(secs) * 1000) : undefined;
  return now ? { now, offsetMin } : { offsetMin };
}

/** `systemd 252 (252.39-1~deb12u2)` -> 252. */
export function parseVersion(text: string | undefined): number | undefined {
  const m = text?.match(/^systemd (\d+)/m);
  return m ? Number(m[1]) : undefined;
}

// ---------------------------------------------------------------- values

/** A microsecond count since the epoch (list-timers JSON, `...USec` values), 0/null = none. */
export function fromUsec(v: unknown): Date | undefined {
  if (typeof v === 'number') return v > 0 && Number.isFinite(v) ? new Date(Math.floor(v / 1000)) : undefined;
  if (typeof v === 'string' && /^\d+$/.test(v)) return fromUsec(Number(v));
  return undefined;
}

const TS = /^(?:[A-Za-z]{3} )?(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?: (\S+))?$/;

/** Microseconds since the epoch of a systemd timestamp, or undefined for `n/a`, `0`, empty. */
export function timestampUs(value: string | undefined, offsetMin = 0): number | undefined {
  const v = value?.trim();
  if (!v || v === 'n/a' || v === '0' || v === '-') return undefined;
  if (/^\d{13,}$/.test(v)) return Number(v);
  const at = v.match(/^@(\d+)(?:\.(\d+))?$/);
  if (at) return Number(at[1]) * 1e6 + Number(((at[2] ?? '') + '000000').slice(0, 6));
  const m = v.match(TS);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let off = offsetMin;
  if (zone) {
    const z = zone.match(/^([+-])(\d\d):?(\d\d)?$/);
    if (z) off = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0));
    else if (/^(UTC|GMT|Z|UCT)$/i.test(zone)) off = 0;
  }
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - off * 60_000;
  return ms * 1000 + Number(((frac ?? '') + '000000').slice(0, 6));
}

/** `Tue 2026-12-01 02:00:00 UTC` (or with `.123456`, a numeric zone, `@unix`, µs) as a Date. */
export function parseTimestamp(value: string | undefined, offsetMin = 0): Date | undefined {
  const us = timestampUs(value, offsetMin);
  return us === undefined ? undefined : new Date(Math.floor(us / 1000));
}

// ---------------------------------------------------------------- systemctl show

/** One unit's `Key=value` lines; repeated keys (TimersCalendar) keep every value. */
export class ShowBlock {
  constructor(readonly props: Map<string, string[]>) {}
  get(key: string): string | undefined {
    const v = this.props.get(key);
    return v ? v[v.length - 1] : undefined;
  }
  all(key: string): string[] {
    return this.props.get(key) ?? [];
  }
  get id(): string {
    return this.get('Id') ?? '';
  }
}

/** `systemctl show` output: Key=value lines, one block per unit, blocks separated by a blank line. */
export function parseShow(text: string | undefined): ShowBlock[] {
  const blocks: ShowBlock[] = [];
  let cur = new Map<string, string[]>();
  const flush = () => {
    if (cur.size) blocks.push(new ShowBlock(cur));
    cur = new Map();
  };
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      flush();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    if (!/^[A-Za-z]+$/.test(key)) continue;
    const list = cur.get(key) ?? [];
    list.push(line.slice(eq + 1));
    cur.set(key, list);
  }
  flush();
  return blocks;
}

/** `{ OnCalendar=*-*-* 02:00:00 ; next_elapse=... }` -> [`OnCalendar`, `*-*-* 02:00:00`]. */
function timerSpec(v: string): [string, string] | undefined {
  const m = v.match(/^\{\s*([A-Za-z]+)=(.*?)\s*;\s*next_elapse=.*\}\s*$/) ?? v.match(/^\{\s*([A-Za-z]+)=(.*?)\s*\}\s*$/);
  return m ? [m[1]!, m[2]!] : undefined;
}

export function calendarsOf(b: ShowBlock): string[] {
  return b.all('TimersCalendar').flatMap((v) => {
    const s = timerSpec(v);
    return s ? [s[1]] : [];
  });
}

export function monotonicOf(b: ShowBlock): MonotonicSpec[] {
  return b.all('TimersMonotonic').flatMap((v) => {
    const s = timerSpec(v);
    return s ? [{ base: s[0], span: s[1] }] : [];
  });
}

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));

export function signalName(n: number): string {
  return SIGNAL_NAMES.get(n) ?? `SIG${n}`;
}

const RUNNING_STATES = new Set(['activating', 'deactivating', 'reloading', 'refreshing']);

/** True while the service's job runs (a oneshot is `activating` until it exits). */
export function isRunning(s: ShowBlock): boolean {
  const active = s.get('ActiveState') ?? '';
  return RUNNING_STATES.has(active) || (active === 'active' && s.get('SubState') === 'running');
}

/** The last (or current) run of a service. */
export function unitResult(s: ShowBlock | undefined, lastTrigger?: Date): UnitResult {
  if (!s) return lastTrigger ? { kind: 'other', text: 'unknown' } : { kind: 'never' };
  if (isRunning(s)) return { kind: 'running' };
  const result = s.get('Result') ?? '';
  const started = s.get('ExecMainStartTimestamp');
  const status = Number(s.get('ExecMainStatus') ?? '0');
  const code = s.get('ExecMainCode') ?? '0';
  if (result === 'success') {
    if (!started && !lastTrigger && s.get('ActiveState') !== 'failed') return { kind: 'never' };
    return { kind: 'success' };
  }
  if (result === 'exit-code') return { kind: 'exit-code', code: status };
  if (result === 'signal' || result === 'core-dump' || code === '2' || code === '3') return { kind: 'signal', signal: signalName(status) };
  if (!result) return started ? { kind: 'other', text: 'unknown' } : { kind: 'never' };
  return { kind: 'other', text: result };
}

/** `success`, `exit-code 3`, `signal SIGKILL`, ... (as the Timers panel's RESULT column). */
export function describeResult(r: UnitResult): string {
  switch (r.kind) {
    case 'exit-code':
      return `exit-code ${r.code}`;
    case 'signal':
      return `signal ${r.signal}`;
    case 'never':
      return 'never run';
    case 'other':
      return r.text;
    default:
      return r.kind;
  }
}

export function failedOf(s: ShowBlock | undefined): boolean {
  if (!s) return false;
  const r = s.get('Result');
  return s.get('ActiveState') === 'failed' || (r !== undefined && r !== '' && r !== 'success');
}

const ENABLED = new Set(['enabled', 'enabled-runtime']);
const ACTIVE_WHEN_STARTED = new Set(['static', 'generated', 'transient', 'indirect', 'linked', 'linked-runtime', 'alias']);

export function enabledOf(t: ShowBlock): boolean {
  const f = t.get('UnitFileState') ?? '';
  return ENABLED.has(f) || (ACTIVE_WHEN_STARTED.has(f) && t.get('ActiveState') === 'active');
}

export function durationMs(s: ShowBlock | undefined, offsetMin = 0): number | undefined {
  const a = timestampUs(s?.get('ExecMainStartTimestamp'), offsetMin);
  const b = timestampUs(s?.get('ExecMainExitTimestamp'), offsetMin);
  if (a === undefined || b === undefined || b < a) return undefined;
  return Math.round((b - a) / 1000);
}

// ---------------------------------------------------------------- list-timers

export interface ListedTimer {
  unit: string;
  activates?: string;
  next?: Date;
  last?: Date;
}

/**
 * `systemctl list-timers --all --output=json` (systemd 252: `left`/`passed` are absolute µs
 * timestamps like `next`/`last`, and `next` is null while inactive or while the unit runs).
 * Returns undefined when the text is not JSON (older systemctl ignores `--output`).
 */
export function parseListTimersJson(text: string): ListedTimer[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[')) return undefined;
  let rows: unknown;
  try {
    rows = JSON.parse(t);
  } catch {
    return undefined;
  }
  if (!Array.isArray(rows)) return undefined;
  return rows.flatMap((r: Record<string, unknown>) => {
    if (!r || typeof r.unit !== 'string') return [];
    const row: ListedTimer = { unit: r.unit };
    if (typeof r.activates === 'string' && r.activates) row.activates = r.activates;
    const next = fromUsec(r.next);
    const last = fromUsec(r.last);
    if (next) row.next = next;
    if (last) row.last = last;
    return [row];
  });
}

const TABLE_TS = /(?:[A-Z][a-z]{2} )?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: (?:[A-Z][A-Za-z0-9]*|[+-]\d\d(?::?\d\d)?))?/g;

/** The `systemctl list-timers --all` table (systemd without JSON output). */
export function parseListTimersText(text: string, offsetMin = 0): ListedTimer[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const out: ListedTimer[] = [];
  for (const line of lines) {
    if (/^NEXT\s/.test(line) || /timers? listed/.test(line) || !line.trim()) continue;
    const words = line.trim().split(/\s+/);
    const activates = words[words.length - 1];
    const unit = words[words.length - 2];
    if (!unit || !activates || !/\.timer$/.test(unit)) continue;
    const row: ListedTimer = { unit };
    if (activates !== '-' && activates !== 'n/a') row.activates = activates;
    const stamps = [...line.matchAll(TABLE_TS)];
    for (const s of stamps) {
      const d = parseTimestamp(s[0], offsetMin);
      if (!d) continue;
      if (s.index === 0 && !row.next) row.next = d;
      else if (!row.last) row.last = d;
    }
    out.push(row);
  }
  return out;
}

// ---------------------------------------------------------------- the Timers panel

/** Output of `listAll()` (commands.ts) as Timer rows. Throws when the output is cut short. */
export function parseTimers(out: string, env: string, node: string): Timer[] {
  const sec = splitSections(out);
  if (!sec.has('end')) throw new Error(`${node}: unexpected output from the timers script: ${out.trim().split('\n').slice(-3).join(' / ').slice(0, 300) || 'nothing'}`);
  const clock = parseClock(sec.get('clock'));
  const listedText = sec.get('timers-json') ?? '';
  const listed = parseListTimersJson(listedText) ?? parseListTimersText(sec.get('timers-text') ?? listedText, clock.offsetMin);
  const byUnit = new Map(listed.map((l) => [l.unit, l]));
  const services = new Map(parseShow(sec.get('show-services')).map((b) => [b.id, b]));
  const timers: Timer[] = [];
  const seen = new Set<string>();
  for (const t of parseShow(sec.get('show-timers'))) {
    const unit = t.id;
    if (!unit || seen.has(unit) || t.get('LoadState') === 'not-found') continue;
    seen.add(unit);
    const l = byUnit.get(unit);
    const service = t.get('Unit') || l?.activates || unit.replace(/\.timer$/, '.service');
    const s = services.get(service);
    const calendars = calendarsOf(t);
    const next = l?.next ?? (t.get('ActiveState') === 'active' ? parseTimestamp(t.get('NextElapseUSecRealtime'), clock.offsetMin) : undefined);
    const last = l?.last ?? parseTimestamp(t.get('LastTriggerUSec'), clock.offsetMin);
    const row: Timer = {
      env,
      node,
      unit,
      service,
      schedule: humanSchedule(calendars, monotonicOf(t)),
      result: unitResult(s, last),
      enabled: enabledOf(t),
      failed: failedOf(s) || t.get('ActiveState') === 'failed',
    };
    const spec = [...calendars.map((c) => `OnCalendar=${c}`), ...monotonicOf(t).map((m) => `${m.base.replace(/USec$/, 'Sec')}=${m.span}`)].join('; ');
    if (spec) row.calendar = spec;
    if (next) row.next = next;
    if (last) row.last = last;
    const d = durationMs(s, clock.offsetMin);
    if (d !== undefined && row.result.kind !== 'running') row.lastDurationMs = d;
    if (s?.get('ActiveState')) row.serviceState = `${s.get('ActiveState')}/${s.get('SubState') ?? ''}`;
    timers.push(row);
  }
  // A listed timer systemd did not `show` (should not happen): still a row.
  for (const l of listed) {
    if (seen.has(l.unit)) continue;
    const row: Timer = { env, node, unit: l.unit, service: l.activates ?? l.unit.replace(/\.timer$/, '.service'), schedule: '-', result: { kind: 'other', text: 'unknown' }, enabled: true, failed: false };
    if (l.next) row.next = l.next;
    if (l.last) row.last = l.last;
    timers.push(row);
  }
  return timers.sort((a, b) => a.unit.localeCompare(b.unit));
}

// ---------------------------------------------------------------- failed units

export interface FailedUnit {
  node: string;
  unit: string;
  /** service, timer, mount, ... */
  type: string;
  load: string;
  active: string;
  sub: string;
  description: string;
  result: UnitResult;
  /** When it entered its current state. */
  since?: Date;
}

interface ListedUnit {
  unit: string;
  load: string;
  active: string;
  sub: string;
  description: string;
}

/** `systemctl --failed --output=json` or, from older systemctl, the `--plain --no-legend` table. */
export function parseListUnits(text: string): ListedUnit[] {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const rows = JSON.parse(t) as Record<string, unknown>[];
      if (Array.isArray(rows)) {
        return rows.flatMap((r) =>
          r && typeof r.unit === 'string' ? [{ unit: r.unit, load: String(r.load ?? ''), active: String(r.active ?? ''), sub: String(r.sub ?? ''), description: String(r.description ?? '') }] : [],
        );
      }
    } catch {
      // fall through to the table
    }
  }
  const out: ListedUnit[] = [];
  for (const line of t.split('\n')) {
    const words = line.replace(/^[●*x]\s+/, '').trim().split(/\s+/);
    const [unit, load, active, sub, ...desc] = words;
    if (!unit || !sub || !/\.[a-z]+$/.test(unit) || /^UNIT$/.test(unit)) continue;
    out.push({ unit, load: load ?? '', active: active ?? '', sub, description: desc.join(' ') });
  }
  return out;
}

/** Output of `listFailed()` (commands.ts). */
export function parseFailed(out: string, node: string): FailedUnit[] {
  const sec = splitSections(out);
  if (!sec.has('end')) throw new Error(`${node}: unexpected output from the failed-units script: ${out.trim().split('\n').slice(-3).join(' / ').slice(0, 300) || 'nothing'}`);
  const clock = parseClock(sec.get('clock'));
  const shown = new Map(parseShow(sec.get('show-failed')).map((b) => [b.id, b]));
  return parseListUnits(sec.get('failed-json') ?? '').map((u) => {
    const s = shown.get(u.unit);
    const f: FailedUnit = {
      node,
      unit: u.unit,
      type: u.unit.slice(u.unit.lastIndexOf('.') + 1),
      load: u.load,
      active: u.active,
      sub: u.sub,
      description: u.description,
      result: s ? unitResult(s, new Date(0)) : { kind: 'other', text: u.sub || 'failed' },
    };
    const since = parseTimestamp(s?.get('StateChangeTimestamp'), clock.offsetMin);
    if (since) f.since = since;
    return f;
  });
}

// ---------------------------------------------------------------- journal

export interface JournalEntry {
  time: Date;
  /** Microseconds since the epoch (`__REALTIME_TIMESTAMP`), for exact ordering/filtering. */
  us: number;
  /** syslog priority 0 (emerg) .. 7 (debug); 6 (info) when absent. */
  priority: number;
  message: string;
  identifier?: string;
  pid?: number;
  cursor?: string;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  // journalctl -o json prints non-UTF-8 or control-character fields as an array of bytes.
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Buffer.from(v as number[]).toString('utf8');
  // A field repeated in one entry is an array of values.
  if (Array.isArray(v)) return v.map(text).filter((x) => x !== undefined).join('\n');
  return undefined;
}

/** One `journalctl -o json` line, or undefined when it is not a journal entry. */
export function parseJournalLine(line: string): JournalEntry | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(t) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const rt = o.__REALTIME_TIMESTAMP;
  const us = typeof rt === 'string' && /^\d+$/.test(rt) ? Number(rt) : typeof rt === 'number' ? rt : undefined;
  if (us === undefined) return undefined;
  const prio = Number(text(o.PRIORITY) ?? '6');
  const e: JournalEntry = { time: new Date(Math.floor(us / 1000)), us, priority: Number.isInteger(prio) ? prio : 6, message: (text(o.MESSAGE) ?? '').replace(/\n$/, '') };
  const ident = text(o.SYSLOG_IDENTIFIER);
  if (ident) e.identifier = ident;
  const pid = Number(text(o._PID));
  if (Number.isInteger(pid) && pid > 0) e.pid = pid;
  if (typeof o.__CURSOR === 'string') e.cursor = o.__CURSOR;
  return e;
}

export function parseJournal(out: string): JournalEntry[] {
  return out.split('\n').flatMap((l) => {
    const e = parseJournalLine(l);
    return e ? [e] : [];
  });
}
