/**
 * Pure parsing of the vitals script's output (see commands.ts). No I/O: tested on output
 * captured from real nodes (test/fixtures/vitals).
 */
import type { MountVitals, NodeVitals } from '../nodes/model.ts';
import { SECTION_MARKER } from './commands.ts';

export class VitalsParseError extends Error {
  override readonly name = 'VitalsParseError';
}

/** Filesystem types that are not disks: left out of `mounts` (a container's overlay root too). */
export const PSEUDO_FS: ReadonlySet<string> = new Set([
  'tmpfs', 'devtmpfs', 'overlay', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'squashfs', 'ramfs', 'nsfs', 'autofs',
  'devpts', 'mqueue', 'debugfs', 'tracefs', 'securityfs', 'pstore', 'bpf', 'hugetlbfs', 'configfs', 'efivarfs',
  'binfmt_misc', 'fusectl', 'rpc_pipefs', 'selinuxfs', 'none', 'udev', 'shm', 'aufs', 'iso9660', 'fuse',
]);

export function isPseudoFs(type: string): boolean {
  return PSEUDO_FS.has(type) || type.startsWith('fuse.') || type.startsWith('cgroup');
}

/**
 * Mount points under /run, /proc, /sys and /dev are the runtime's, not disks a person fills:
 * e.g. systemd-nspawn bind-mounts the host's os-release onto /run/host/os-release.
 */
export function isRuntimePath(path: string): boolean {
  return /^\/(run|proc|sys|dev)(\/|$)/.test(path);
}

/** Splits the output at `::opsconsole:NAME::` lines; text before the first marker is dropped. */
export function splitSections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (name !== undefined) out.set(name, lines.join('\n').trim());
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = SECTION_MARKER.exec(line);
    if (m) {
      flush();
      name = m[1];
      lines = [];
    } else lines.push(line);
  }
  flush();
  return out;
}

/** /proc/meminfo → values in kB by key. */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line.trim());
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

export interface DfRow {
  filesystem: string;
  type: string;
  /** 1024-blocks for `df -PT`, inodes for `df -PTi`. */
  total: number;
  used: number;
  avail: number;
  /** undefined when df prints `-`. */
  pct?: number;
  path: string;
}

const DF_ROW = /^(\S+)\s+(\S+)\s+(\d+|-)\s+(\d+|-)\s+(\d+|-)\s+(\d+%|-)\s+(\/.*)$/;

/** `df -PT` or `df -PTi` output (header optional). Mount points with spaces are kept whole. */
export function parseDf(text: string): DfRow[] {
  const rows: DfRow[] = [];
  for (const line of text.split('\n')) {
    const m = DF_ROW.exec(line.trimEnd());
    if (!m) continue;
    const num = (s: string) => (s === '-' ? 0 : Number(s));
    const row: DfRow = { filesystem: m[1]!, type: m[2]!, total: num(m[3]!), used: num(m[4]!), avail: num(m[5]!), path: m[7]! };
    if (m[6] !== '-') row.pct = Number(m[6]!.slice(0, -1));
    rows.push(row);
  }
  return rows;
}

/** Real filesystems from `df -PT` joined with their inode figures from `df -PTi`. */
export function parseMounts(df: string, dfi: string): MountVitals[] {
  const inodes = new Map(parseDf(dfi).map((r) => [r.path, r]));
  const seen = new Set<string>();
  const mounts: MountVitals[] = [];
  for (const r of parseDf(df)) {
    if (isPseudoFs(r.type) || isRuntimePath(r.path) || seen.has(r.path)) continue;
    seen.add(r.path);
    const m: MountVitals = {
      path: r.path,
      filesystem: r.filesystem,
      type: r.type,
      sizeKb: r.total,
      usedKb: r.used,
      availKb: r.avail,
      usedPct: r.pct ?? pct(r.used, r.used + r.avail),
    };
    const i = inodes.get(r.path);
    if (i && i.total > 0) {
      m.inodesTotal = i.total;
      m.inodesUsed = i.used;
      m.inodesUsedPct = i.pct ?? pct(i.used, i.total);
    }
    mounts.push(m);
  }
  return mounts;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const pct = (part: number, whole: number) => (whole > 0 ? round1((part / whole) * 100) : 0);

function num(text: string | undefined, what: string): number {
  const n = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(n)) throw new VitalsParseError(`vitals: cannot read ${what} from ${JSON.stringify(text ?? '')}`);
  return n;
}

/**
 * The vitals script's whole output → NodeVitals (every optional field filled where the node
 * told us). Throws VitalsParseError when the output is cut short (no `end` section) or the
 * essentials (cores, load, MemTotal) are missing.
 */
export function parseVitals(text: string, now: Date = new Date()): NodeVitals {
  const s = splitSections(text);
  if (!s.has('end')) throw new VitalsParseError('vitals: output is incomplete (no end marker); is `sh` the remote shell?');
  const cores = num(s.get('nproc')?.split('\n')[0]?.trim(), 'nproc');
  const loads = (s.get('loadavg') ?? '').split(/\s+/);
  const load1 = num(loads[0], 'load average');
  const load5 = num(loads[1], 'load average');
  const load15 = num(loads[2], 'load average');

  const mem = parseMeminfo(s.get('meminfo') ?? '');
  const total = mem.MemTotal;
  if (!total) throw new VitalsParseError('vitals: no MemTotal in /proc/meminfo');
  // MemAvailable exists since Linux 3.14; older kernels: free + buffers + page cache.
  const avail = mem.MemAvailable ?? (mem.MemFree ?? 0) + (mem.Buffers ?? 0) + (mem.Cached ?? 0);
  const swapTotal = mem.SwapTotal ?? 0;
  const swapFree = mem.SwapFree ?? 0;

  const system = s.get('system')?.split('\n')[0]?.trim() || 'unknown';
  const failedUnitNames = (s.get('failed') ?? '')
    .split('\n')
    .map((l) => l.trim().replace(/^[●*x]\s+/, '').split(/\s+/)[0] ?? '')
    .filter(Boolean);
  const osLine = s.get('os') ?? '';
  const os = /^PRETTY_NAME=(.*)$/.exec(osLine)?.[1]?.trim().replace(/^(["'])(.*)\1$/, '$2');
  const uptime = Number((s.get('uptime') ?? '').split(/\s+/)[0]);
  const mounts = parseMounts(s.get('df') ?? '', s.get('dfi') ?? '');

  const v: NodeVitals = {
    load1,
    load5,
    load15,
    cores,
    memUsedPct: pct(total - avail, total),
    memAvailablePct: pct(avail, total),
    memTotalKb: total,
    swapTotalKb: swapTotal,
    swapUsedPct: pct(swapTotal - swapFree, swapTotal),
    system,
    failedUnits: failedUnitNames.length,
    failedUnitNames,
    mounts,
    sampledAt: now,
  };
  if (Number.isFinite(uptime) && s.get('uptime')) v.uptimeSec = Math.floor(uptime);
  const kernel = s.get('uname')?.split('\n')[0]?.trim();
  if (kernel) v.kernel = kernel;
  if (os) v.os = os;
  const fullest = fullestMount(mounts);
  if (fullest) v.fullestMount = { path: fullest.path, usedPct: fullest.usedPct };
  return v;
}

/** The mount with the highest used %, first one on a tie. */
export function fullestMount(mounts: readonly MountVitals[]): MountVitals | undefined {
  let best: MountVitals | undefined;
  for (const m of mounts) if (!best || m.usedPct > best.usedPct) best = m;
  return best;
}
