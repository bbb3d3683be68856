export type NodeState = 'active' | 'stopped' | 'building' | 'error' | 'unknown';
export type Reachability =
  | { state: 'connected'; latencyMs: number }
  | { state: 'unreachable'; reason: string }
  | { state: 'hostkey-unknown'; fingerprint: string }
  | { state: 'hostkey-changed'; expected: string; actual: string }
  | { state: 'unknown' };

export interface FleetNode {
  env: string;
  name: string;
  address: string;
  /** Where it came from: `config` or a cloud name. */
  origin: string;
  role?: string;
  /** Service ports on the node (config): the default of a tunnel. */
  ports?: number[];
  state: NodeState;
  size?: string;
  region?: string;
  createdAt?: Date;
  reach: Reachability;
  vitals?: NodeVitals;
  /** Vitals against the configured thresholds (live nodes; the demo leaves it out). */
  health?: { severity: 'ok' | 'warning' | 'critical'; findings: { what: string; value: number; limit: number; severity: 'warning' | 'critical' }[] };
  /** Load samples since the console started, oldest first: the trend, not only the number. */
  loadHistory?: number[];
  /** The vitals shown are from an earlier sample: the node did not answer this time. */
  vitalsStale?: boolean;
}

export interface NodeVitals {
  load1: number;
  cores: number;
  memUsedPct: number;
  fullestMount?: { path: string; usedPct: number };
  system: string; // systemctl is-system-running
  failedUnits: number;
  // Added by source/vitals (all optional so older producers still type-check):
  load5?: number;
  load15?: number;
  /** MemAvailable / MemTotal, percent. */
  memAvailablePct?: number;
  memTotalKb?: number;
  swapTotalKb?: number;
  /** (SwapTotal - SwapFree) / SwapTotal, percent; 0 without swap. */
  swapUsedPct?: number;
  uptimeSec?: number;
  /** `uname -sr`, e.g. "Linux 6.1.0-18-amd64". */
  kernel?: string;
  /** PRETTY_NAME from /etc/os-release. */
  os?: string;
  /** Names of the failed units (`systemctl list-units --failed`). */
  failedUnitNames?: string[];
  /** Real filesystems only (tmpfs, overlay, proc, ... left out). */
  mounts?: MountVitals[];
  /** When the sample was taken (local clock). */
  sampledAt?: Date;
}

export interface MountVitals {
  /** Mount point. */
  path: string;
  /** Device or source, e.g. /dev/vda1. */
  filesystem: string;
  /** ext4, xfs, ... */
  type: string;
  sizeKb: number;
  usedKb: number;
  availKb: number;
  /** df's Capacity: used / (used + avail), rounded up. */
  usedPct: number;
  /** df -i IUse%; undefined when the filesystem has no inode counts (btrfs, vfat). */
  inodesUsedPct?: number;
  inodesTotal?: number;
  inodesUsed?: number;
}
