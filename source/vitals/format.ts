/** Short texts for vitals (pure), for the Nodes panel and `opsconsole status`. */
import type { MountVitals, NodeVitals } from '../nodes/model.ts';

/** 93784 → "1d 2h", 4000 → "1h 6m", 59 → "59s". */
export function formatUptime(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '-';
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m`;
  return `${Math.floor(sec)}s`;
}

/** kB (1024 bytes) → "512K", "54.7M", "252G", "1.2T" (binary units, like `df -h`). */
export function formatKb(kb: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  let v = kb;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)}${units[i]}`;
}

/** "/srv/data 93% of 54.7M (inodes 1%)". */
export function describeMount(m: MountVitals): string {
  const inodes = m.inodesUsedPct === undefined ? '' : ` (inodes ${m.inodesUsedPct}%)`;
  return `${m.path} ${m.usedPct}% of ${formatKb(m.sizeKb)}${inodes}`;
}

/** "load 0.52 0.40 0.31 / 2 cores". */
export function describeLoad(v: Pick<NodeVitals, 'load1' | 'load5' | 'load15' | 'cores'>): string {
  const l = [v.load1, v.load5, v.load15].filter((x): x is number => x !== undefined).map((x) => x.toFixed(2));
  return `load ${l.join(' ')} / ${v.cores} core${v.cores === 1 ? '' : 's'}`;
}
