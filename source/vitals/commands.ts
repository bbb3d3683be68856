/**
 * The one remote command a vitals refresh runs (a value; nothing here touches a host).
 *
 * It prints labelled sections, each starting with a marker line `::opsconsole:NAME::`, so one
 * round trip gives everything and `parse.ts` can read it with no host. Every probe's stderr is
 * dropped and the script always exits 0: a missing tool leaves its section empty instead of
 * failing the refresh. `df` and `systemctl` run under `timeout` where it exists (a hung NFS
 * mount or D-Bus must not hang the refresh).
 */
import type { Argv } from './types.ts';

export const SECTION_MARKER = /^::opsconsole:([a-z0-9]+)::$/;

export const VITALS_SECTIONS = ['nproc', 'loadavg', 'meminfo', 'uptime', 'uname', 'os', 'system', 'failed', 'df', 'dfi', 'end'] as const;
export type VitalsSection = (typeof VITALS_SECTIONS)[number];

export const VITALS_SCRIPT = [
  'export LC_ALL=C',
  `s() { printf '\\n::opsconsole:%s::\\n' "$1"; }`,
  't() { if command -v timeout >/dev/null 2>&1; then timeout 10 "$@"; else "$@"; fi; }',
  's nproc; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null',
  's loadavg; cat /proc/loadavg 2>/dev/null',
  `s meminfo; grep -E '^(MemTotal|MemFree|MemAvailable|Buffers|Cached|SwapTotal|SwapFree):' /proc/meminfo 2>/dev/null`,
  's uptime; cat /proc/uptime 2>/dev/null',
  's uname; uname -sr 2>/dev/null',
  's os; grep -h "^PRETTY_NAME=" /etc/os-release /usr/lib/os-release 2>/dev/null | head -n 1',
  's system; t systemctl is-system-running 2>/dev/null',
  's failed; t systemctl list-units --failed --no-legend --plain 2>/dev/null',
  's df; t df -PT 2>/dev/null',
  's dfi; t df -PTi 2>/dev/null',
  's end',
  'exit 0',
].join('\n');

/** argv for one vitals refresh. */
export const vitalsCommand = (): Argv => ['sh', '-c', VITALS_SCRIPT];
