// systemd commands as values (STYLE.md §3): argv arrays, built from validated unit names, run
// nothing. source/ssh quotes every argv element exactly once; scripts passed to `sh -c` are
// fixed constants and read unit names only through "$@", never by interpolation.

export type Argv = string[];

/** Unit names we accept: systemd's character set, a known suffix, no leading `-` or `.`. */
const UNIT_NAME = /^[A-Za-z0-9:_.@\-]+\.(service|timer|target|socket|path|mount)$/;
const UNIT_NAME_MAX = 255;

export class UnitNameError extends Error {
  override readonly name = 'UnitNameError';
  constructor(readonly unit: string) {
    super(`invalid unit name ${JSON.stringify(unit)}: expected e.g. postgres-backups.service or postgres-backups.timer (letters, digits, ":_.@-", ending in .service/.timer/.target/.socket/.path/.mount)`);
  }
}

export function isUnitName(name: string): boolean {
  return name.length <= UNIT_NAME_MAX && UNIT_NAME.test(name) && !name.startsWith('-') && !name.startsWith('.');
}

/** Returns the name when valid; throws UnitNameError otherwise (before any command is built). */
export function unitName(name: string): string {
  if (typeof name !== 'string' || !isUnitName(name)) throw new UnitNameError(String(name));
  return name;
}

const units = (names: readonly string[]): string[] => names.map(unitName);

/** Marker lines that separate the sections of a batched script's output. */
export const MARK = '@@opsconsole:';

/** Properties read from timers and from the services they start. */
export const TIMER_PROPS = ['Id', 'Unit', 'TimersCalendar', 'TimersMonotonic', 'LastTriggerUSec', 'NextElapseUSecRealtime', 'Result', 'ActiveState', 'SubState', 'UnitFileState', 'LoadState', 'Persistent'] as const;
export const SERVICE_PROPS = [
  'Id',
  'Type',
  'LoadState',
  'ActiveState',
  'SubState',
  'Result',
  'ExecMainStatus',
  'ExecMainCode',
  'ExecMainStartTimestamp',
  'ExecMainExitTimestamp',
  'ActiveEnterTimestamp',
  'StateChangeTimestamp',
  'UnitFileState',
  'InvocationID',
  'ConditionResult',
  'ConditionTimestamp',
] as const;
/** What run-now polls while a unit runs. */
export const POLL_PROPS = ['Id', 'LoadState', 'ActiveState', 'SubState', 'Result', 'ExecMainStatus', 'ExecMainCode', 'ExecMainStartTimestamp', 'ExecMainExitTimestamp', 'InvocationID', 'ConditionResult', 'ConditionTimestamp'] as const;

// `--timestamp=us+utc` (systemd >= 248) makes every timestamp UTC with microseconds; older
// systemctl rejects the option, and we fall back to local-time output (the script prints the
// node's UTC offset for that case).
const TS_PROBE = 'ts=--timestamp=us+utc; systemctl $ts show -p Version >/dev/null 2>&1 || ts=';

/** Failed units (any type) and `systemctl show` of each: sections `failed-json`, `show-failed`. */
const FAILED_LINES = [
  'm failed-json; systemctl --failed --output=json --no-pager 2>&1',
  `failed=$(systemctl --failed --plain --no-legend --no-pager 2>/dev/null | while read -r u rest; do case "$u" in *.*) printf '%s\\n' "$u" ;; esac; done)`,
  `m show-failed; [ -z "$failed" ] || systemctl $ts show -p ${SERVICE_PROPS.join(',')} -- $failed`,
];

/**
 * Everything the Timers panel needs from one node, in ONE remote command: clock, systemd
 * version, `list-timers` (JSON, or the table on systemd without JSON output), then
 * `systemctl show` of every timer (loaded or installed) and of every service they start, then
 * the failed units of any type (parseTimers and parseFailed both read this output). Takes no arguments; unit names come from systemd itself and are never interpolated.
 */
export const LIST_SCRIPT = [
  'set -f',
  `m() { printf '\\n${MARK}%s\\n' "$1"; }`,
  TS_PROBE,
  'm clock; date -u +%s; date +%z',
  'm version; systemctl --version 2>&1',
  'm timers-json; systemctl list-timers --all --output=json --no-pager 2>&1 || { m timers-text; systemctl list-timers --all --no-pager --full 2>&1; }',
  // Loaded timers, plus installed ones nothing loaded (a disabled timer). The unit folders are
  // globbed: `systemctl list-unit-files` takes over a second on a small node.
  'names() { systemctl list-units --all --type=timer --plain --no-legend --no-pager 2>/dev/null; set +f; for f in /etc/systemd/system/*.timer /run/systemd/system/*.timer /usr/local/lib/systemd/system/*.timer /usr/lib/systemd/system/*.timer /lib/systemd/system/*.timer; do [ -e "$f" ] && printf \'%s\\n\' "${f##*/}"; done; set -f; }',
  `timers=$(names | while read -r u rest; do case "$u" in *@.timer) ;; *.timer) printf '%s\\n' "$u" ;; esac; done | sort -u)`,
  `m show-timers; [ -z "$timers" ] || systemctl $ts show -p ${TIMER_PROPS.join(',')} -- $timers`,
  'services=$([ -z "$timers" ] || systemctl show -p Unit --value -- $timers | sort -u)',
  `m show-services; [ -z "$services" ] || systemctl $ts show -p ${SERVICE_PROPS.join(',')} -- $services`,
  ...FAILED_LINES,
  'm end',
].join('\n');

export const listAll = (): Argv => ['sh', '-c', LIST_SCRIPT, 'sh'];

/** Failed units (any type) and, for each, its result and since when: one remote command. */
export const FAILED_SCRIPT = ['set -f', `m() { printf '\\n${MARK}%s\\n' "$1"; }`, TS_PROBE, 'm clock; date -u +%s; date +%z', ...FAILED_LINES, 'm end'].join('\n');

export const listFailed = (): Argv => ['sh', '-c', FAILED_SCRIPT, 'sh'];

/**
 * `systemctl show -p PROPS -- UNITS` with UTC microsecond timestamps where systemctl supports
 * them. Fixed script; props and names arrive as "$@".
 */
export const SHOW_SCRIPT = 'systemctl --timestamp=us+utc show "$@" 2>/dev/null || systemctl show "$@"';

export function showUnits(names: readonly string[], props: readonly string[] = SERVICE_PROPS): Argv {
  const checked = units(names);
  if (checked.length === 0) throw new TypeError('showUnits: no units');
  for (const p of props) if (!/^[A-Za-z]+$/.test(p)) throw new TypeError(`bad property name ${p}`);
  return ['sh', '-c', SHOW_SCRIPT, 'sh', '-p', props.join(','), '--', ...checked];
}

/** Plain `systemctl show -p` (no timestamp option), as systemd documents it. */
export const showPlain = (names: readonly string[], props: readonly string[]): Argv => ['systemctl', 'show', '-p', props.join(','), '--', ...units(names)];

export const listTimersJson = (): Argv => ['systemctl', 'list-timers', '--all', '--output=json', '--no-pager'];
export const listTimersText = (): Argv => ['systemctl', 'list-timers', '--all', '--no-pager', '--full'];
export const failedUnitsJson = (): Argv => ['systemctl', '--failed', '--output=json', '--no-pager'];

export const startUnit = (u: string): Argv => ['systemctl', 'start', '--no-block', '--', unitName(u)];

/** Prints the node's clock (`SECONDS.NANOS`, UTC) and then queues the start: one round trip. */
export const START_SCRIPT = 'date -u +%s.%N; exec systemctl start --no-block -- "$1"';
export const startUnitAt = (u: string): Argv => ['sh', '-c', START_SCRIPT, 'sh', unitName(u)];

export const enableTimer = (t: string, on: boolean): Argv => ['systemctl', on ? 'enable' : 'disable', '--now', '--', unitName(t)];
export const resetFailed = (u: string): Argv => ['systemctl', 'reset-failed', '--', unitName(u)];

/** Last `lines` journal entries of a unit, one JSON object per line. */
export const readJournalCmd = (u: string, lines = 50): Argv => {
  if (!Number.isInteger(lines) || lines < 1 || lines > 100_000) throw new TypeError(`bad line count ${lines}`);
  return ['journalctl', '-u', unitName(u), '-o', 'json', '--no-pager', '-n', String(lines)];
};

const sinceArg = (sinceSec: number): string => {
  if (!Number.isFinite(sinceSec) || sinceSec < 0) throw new TypeError(`bad since ${sinceSec}`);
  return `@${sinceSec.toFixed(6).replace(/\.?0+$/, '')}`;
};

/** A unit's journal entries from `sinceSec` (node clock, Unix seconds) on. */
export const readJournalSinceCmd = (u: string, sinceSec: number): Argv => ['journalctl', '-u', unitName(u), '-o', 'json', '--no-pager', '--since', sinceArg(sinceSec), '-n', 'all'];

/**
 * Follows a unit's journal. `sinceSec` (node clock, Unix seconds, may be fractional) shows
 * everything from then on; without it, the last `lines` entries first.
 */
export function followJournalCmd(u: string, opts: { sinceSec?: number; lines?: number } = {}): Argv {
  const argv = ['journalctl', '-u', unitName(u), '-o', 'json', '--no-pager', '-f'];
  if (opts.sinceSec !== undefined) {
    argv.push('--since', sinceArg(opts.sinceSec), '-n', 'all');
  } else {
    argv.push('-n', String(opts.lines ?? 10));
  }
  return argv;
}
