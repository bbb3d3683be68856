/**
 * Vitals against thresholds (pure). Defaults match the config schema's: disk and inodes used
 * warn 80 / critical 90 %, memory available below 10 % warn / 5 % critical, load (1 min) per
 * core above 2 warn / 4 critical. "Used" levels trigger at >= the level, "available" below it,
 * load per core above it.
 */
import type { NodeThresholds, ThresholdLevel, Thresholds } from '../config/schema.ts';
import type { NodeVitals } from '../nodes/model.ts';

export type Severity = 'ok' | 'warning' | 'critical';

export interface VitalsFinding {
  /** e.g. `disk /srv`, `inodes /srv`, `memory available`, `load per core`. */
  what: string;
  value: number;
  /** The level that was crossed. */
  limit: number;
  severity: Exclude<Severity, 'ok'>;
}

export interface VitalsEvaluation {
  severity: Severity;
  findings: VitalsFinding[];
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  disk: { warn: 80, critical: 90 },
  inodes: { warn: 80, critical: 90 },
  memoryAvailable: { warn: 10, critical: 5 },
  loadPerCore: { warn: 2, critical: 4 },
};

type Partial2 = NodeThresholds | Partial<Thresholds> | undefined;
const KEYS = ['disk', 'inodes', 'memoryAvailable', 'loadPerCore'] as const;

/** defaults ← environment thresholds ← node overrides (each level merged key by key). */
export function mergeThresholds(env?: Partial2, node?: Partial2): Thresholds {
  const out = structuredClone(DEFAULT_THRESHOLDS);
  for (const layer of [env, node]) {
    if (!layer) continue;
    for (const k of KEYS) {
      const l = layer[k] as Partial<ThresholdLevel> | undefined;
      if (l?.warn !== undefined) out[k].warn = l.warn;
      if (l?.critical !== undefined) out[k].critical = l.critical;
    }
  }
  return out;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function high(what: string, value: number, l: ThresholdLevel, strict = false): VitalsFinding | undefined {
  const over = (limit: number) => (strict ? value > limit : value >= limit);
  if (over(l.critical)) return { what, value, limit: l.critical, severity: 'critical' };
  if (over(l.warn)) return { what, value, limit: l.warn, severity: 'warning' };
  return undefined;
}

function low(what: string, value: number, l: ThresholdLevel): VitalsFinding | undefined {
  if (value < l.critical) return { what, value, limit: l.critical, severity: 'critical' };
  if (value < l.warn) return { what, value, limit: l.warn, severity: 'warning' };
  return undefined;
}

export function evaluateVitals(v: NodeVitals, t: Thresholds = DEFAULT_THRESHOLDS): VitalsEvaluation {
  const found: Array<VitalsFinding | undefined> = [];
  const mounts = v.mounts ?? (v.fullestMount ? [{ path: v.fullestMount.path, usedPct: v.fullestMount.usedPct }] : []);
  for (const m of mounts) {
    found.push(high(`disk ${m.path}`, m.usedPct, t.disk));
    if ('inodesUsedPct' in m && m.inodesUsedPct !== undefined) found.push(high(`inodes ${m.path}`, m.inodesUsedPct, t.inodes));
  }
  if (v.memAvailablePct !== undefined) found.push(low('memory available', v.memAvailablePct, t.memoryAvailable));
  if (v.cores > 0) found.push(high('load per core', round2(v.load1 / v.cores), t.loadPerCore, true));
  const findings = found.filter((f): f is VitalsFinding => f !== undefined);
  const severity: Severity = findings.some((f) => f.severity === 'critical') ? 'critical' : findings.length ? 'warning' : 'ok';
  return { severity, findings };
}

/** One line per finding, e.g. `disk /srv 91% >= 90% (critical)`. */
export function describeFinding(f: VitalsFinding): string {
  if (f.what === 'load per core') return `${f.what} ${f.value} > ${f.limit} (${f.severity})`;
  if (f.what === 'memory available') return `${f.what} ${f.value}% < ${f.limit}% (${f.severity})`;
  return `${f.what} ${f.value}% >= ${f.limit}% (${f.severity})`;
}
