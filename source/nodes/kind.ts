import type { ResourceKind, Detail } from '../app/kind.ts';
import type { Tone } from '../app/status.ts';
import { bytes, fromNow, percent, span } from '../app/format.ts';
import type { FleetNode, NodeState, Reachability } from './model.ts';
import { nodeActions } from './actions.ts';
import { sparkline } from '../vitals/history.ts';

export function reachText(reach: Reachability): string {
  switch (reach.state) {
    case 'connected':
      return `connected ${Math.round(reach.latencyMs)}ms`;
    case 'unreachable':
      return `unreachable: ${reach.reason}`;
    case 'hostkey-unknown':
      return 'host key unknown';
    case 'hostkey-changed':
      return 'host key changed';
    case 'unknown':
      return '-';
  }
}

export function reachTone(reach: Reachability): Tone {
  switch (reach.state) {
    case 'connected':
      return reach.latencyMs > 500 ? 'warn' : 'normal';
    case 'unreachable':
    case 'hostkey-changed':
      return 'error';
    case 'hostkey-unknown':
      return 'warn';
    case 'unknown':
      return 'muted';
  }
}

const stateTones: Record<NodeState, Tone> = { active: 'ok', stopped: 'muted', building: 'info', error: 'error', unknown: 'muted' };

const usageTone = (pct: number | undefined): Tone => (pct === undefined ? 'muted' : pct >= 90 ? 'error' : pct >= 80 ? 'warn' : 'normal');

/** The worst configured-threshold finding whose subject starts with `what`, as a tone. */
function findingTone(n: FleetNode, what: string): Tone | undefined {
  if (!n.health) return undefined;
  const hits = n.health.findings.filter((f) => f.what.startsWith(what));
  if (hits.some((f) => f.severity === 'critical')) return 'error';
  return hits.length > 0 ? 'warn' : 'normal';
}

/** A text bar: people see how full a disk is, not only read it. */
export function bar(pct: number, width = 20): string {
  const filled = Math.max(0, Math.min(width, Math.round((pct / 100) * width)));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

function loadTone(n: FleetNode): Tone {
  if (n.vitalsStale) return 'muted';
  const t = findingTone(n, 'load');
  if (t) return t;
  if (!n.vitals) return 'muted';
  const { load1, cores } = n.vitals;
  return load1 >= cores * 2 ? 'error' : load1 >= cores ? 'warn' : 'normal';
}

function memTone(n: FleetNode): Tone {
  if (n.vitalsStale) return 'muted';
  return findingTone(n, 'memory') ?? usageTone(n.vitals?.memUsedPct);
}

function systemText(n: FleetNode): string {
  if (!n.vitals) return '-';
  const { system, failedUnits } = n.vitals;
  return failedUnits > 0 ? `${system} (${failedUnits} failed)` : system;
}

function systemTone(n: FleetNode): Tone {
  if (!n.vitals) return 'muted';
  if (n.vitals.system === 'running' && n.vitals.failedUnits === 0) return 'ok';
  return n.vitals.system === 'starting' || n.vitals.system === 'initializing' ? 'info' : 'warn';
}

function details(n: FleetNode, now: Date): Detail[] {
  const d: Detail[] = [
    { label: 'Name', value: n.name },
    { label: 'Environment', value: n.env },
    { label: 'State', value: n.state, tone: stateTones[n.state] },
    { label: 'Reach', value: reachText(n.reach), tone: reachTone(n.reach) },
    { label: 'Address', value: n.address },
    { label: 'Origin', value: n.origin },
  ];
  if (n.role) d.push({ label: 'Role', value: n.role });
  if (n.size) d.push({ label: 'Size', value: n.size });
  if (n.region) d.push({ label: 'Region', value: n.region });
  if (n.createdAt) d.push({ label: 'Created', value: `${n.createdAt.toISOString()} (${fromNow(n.createdAt, now)})` });
  if (n.reach.state === 'hostkey-unknown') d.push({ label: 'Fingerprint', value: n.reach.fingerprint, tone: 'warn' });
  if (n.reach.state === 'hostkey-changed') {
    d.push({ label: 'Expected key', value: n.reach.expected }, { label: 'Offered key', value: n.reach.actual, tone: 'error' });
  }
  if (n.vitals) {
    const v = n.vitals;
    if (n.vitalsStale) d.push({ label: 'Vitals', value: `stale: from ${v.sampledAt ? fromNow(v.sampledAt, now) : 'an earlier sample'}`, tone: 'warn' });
    d.push({ label: 'Load', value: `${v.load1.toFixed(2)} on ${v.cores} cores`, tone: loadTone(n) });
    if (n.loadHistory && n.loadHistory.length > 1) d.push({ label: 'Load trend', value: `${sparkline(n.loadHistory, Math.min(30, n.loadHistory.length))} (max ${Math.max(...n.loadHistory).toFixed(2)})` });
    d.push({ label: 'Memory', value: `${bar(v.memUsedPct)} ${percent(v.memUsedPct)} used`, tone: memTone(n) });
    if (v.fullestMount) d.push({ label: 'Fullest disk', value: `${v.fullestMount.path} ${percent(v.fullestMount.usedPct)} used`, tone: usageTone(v.fullestMount.usedPct) });
    d.push({ label: 'System', value: systemText(n), tone: systemTone(n) });
    if (v.failedUnitNames?.length) d.push({ label: 'Failed units', value: v.failedUnitNames.join(', '), tone: 'error' });
    if (v.load5 !== undefined && v.load15 !== undefined) d.push({ label: 'Load 1/5/15', value: [v.load1, v.load5, v.load15].map((x) => x.toFixed(2)).join(' ') });
    if (v.swapUsedPct !== undefined && v.swapTotalKb) d.push({ label: 'Swap', value: `${percent(v.swapUsedPct)} used`, tone: usageTone(v.swapUsedPct) });
    for (const m of v.mounts ?? []) {
      const inodes = m.inodesUsedPct !== undefined ? `, inodes ${percent(m.inodesUsedPct)}` : '';
      d.push({ label: `Disk ${m.path}`, value: `${bar(m.usedPct)} ${percent(m.usedPct)} of ${bytes(m.sizeKb * 1024)} (${m.type}${inodes})`, tone: findingTone(n, `disk ${m.path}`) ?? usageTone(m.usedPct) });
    }
    for (const f of n.health?.findings ?? []) d.push({ label: 'Threshold', value: `${f.what} ${f.value} past ${f.limit}`, tone: f.severity === 'critical' ? 'error' : 'warn' });
    if (v.os) d.push({ label: 'OS', value: v.os });
    if (v.kernel) d.push({ label: 'Kernel', value: v.kernel });
    if (v.uptimeSec !== undefined) d.push({ label: 'Up', value: span(v.uptimeSec * 1000) });
  }
  return d;
}

export const nodeKind: ResourceKind<FleetNode> = {
  id: 'nodes',
  title: 'Nodes',
  rowId: (n) => `${n.env}/${n.name}`,
  searchText: (n) => [n.name, n.state, reachText(n.reach), n.address, n.origin, n.role, n.region, n.size].filter(Boolean).join(' '),
  columns: [
    { key: 'name', title: 'NAME', grow: true, value: (n) => n.name },
    { key: 'state', title: 'STATE', value: (n) => n.state, tone: (n) => stateTones[n.state] },
    { key: 'reach', title: 'REACH', maxWidth: 36, value: (n) => reachText(n.reach), tone: (n) => reachTone(n.reach) },
    { key: 'address', title: 'ADDRESS', value: (n) => n.address },
    { key: 'origin', title: 'ORIGIN', value: (n) => n.origin },
    {
      key: 'load',
      title: 'LOAD',
      align: 'right',
      value: (n) => n.vitals?.load1,
      format: (n) => (n.vitals ? `${n.vitals.load1.toFixed(2)}/${n.vitals.cores}` : '-'),
      tone: loadTone,
    },
    { key: 'mem', title: 'MEM', align: 'right', value: (n) => n.vitals?.memUsedPct, format: (n) => percent(n.vitals?.memUsedPct), tone: memTone },
    {
      key: 'disk',
      title: 'DISK',
      value: (n) => n.vitals?.fullestMount?.usedPct,
      format: (n) => (n.vitals?.fullestMount ? `${percent(n.vitals.fullestMount.usedPct)} ${n.vitals.fullestMount.path}` : '-'),
      tone: (n) => (n.vitalsStale ? 'muted' : (findingTone(n, 'disk') ?? findingTone(n, 'inodes') ?? usageTone(n.vitals?.fullestMount?.usedPct))),
    },
    { key: 'system', title: 'SYSTEM', value: systemText, tone: systemTone },
  ],
  details,
  actions: nodeActions,
};
