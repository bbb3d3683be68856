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
  state: NodeState;
  size?: string;
  region?: string;
  createdAt?: Date;
  reach: Reachability;
  vitals?: NodeVitals;
}

export interface NodeVitals {
  load1: number;
  cores: number;
  memUsedPct: number;
  fullestMount?: { path: string; usedPct: number };
  system: string; // systemctl is-system-running
  failedUnits: number;
}
