import type { ResourceKind, Detail } from '../app/kind.ts';
import type { Tone } from '../app/status.ts';
import { fromNow, percent, span } from '../app/format.ts';
import type { FleetNode, NodeState, Reachability } from './model.ts';
import { nodeActions } from './actions.ts';

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

function loadTone(n: FleetNode): Tone {
  if (!n.vitals) return 'muted';
  const { load1, cores } = n.vitals;
  return load1 >= cores * 2 ? 'error' : load1 >= cores ? 'warn' : 'normal';
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
    d.push(
      { label: 'Load', value: `${v.load1.toFixed(2)} on ${v.cores} cores`, tone: loadTone(n) },
      { label: 'Memory', value: `${percent(v.memUsedPct)} used`, tone: usageTone(v.memUsedPct) },
    );
    if (v.fullestMount) d.push({ label: 'Fullest disk', value: `${v.fullestMount.path} ${percent(v.fullestMount.usedPct)} used`, tone: usageTone(v.fullestMount.usedPct) });
    d.push({ label: 'System', value: systemText(n), tone: systemTone(n) });
    if (v.failedUnitNames?.length) d.push({ label: 'Failed units', value: v.failedUnitNames.join(', '), tone: 'error' });
    if (v.load5 !== undefined && v.load15 !== undefined) d.push({ label: 'Load 1/5/15', value: [v.load1, v.load5, v.load15].map((x) => x.toFixed(2)).join(' ') });
    if (v.swapUsedPct !== undefined && v.swapTotalKb) d.push({ label: 'Swap', value: `${percent(v.swapUsedPct)} used`, tone: usageTone(v.swapUsedPct) });
    for (const m of v.mounts ?? []) d.push({ label: `Disk ${m.path}`, value: `${percent(m.usedPct)} used (${m.filesystem}, ${m.type})`, tone: usageTone(m.usedPct) });
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
    { key: 'mem', title: 'MEM', align: 'right', value: (n) => n.vitals?.memUsedPct, format: (n) => percent(n.vitals?.memUsedPct), tone: (n) => usageTone(n.vitals?.memUsedPct) },
    {
      key: 'disk',
      title: 'DISK',
      value: (n) => n.vitals?.fullestMount?.usedPct,
      format: (n) => (n.vitals?.fullestMount ? `${percent(n.vitals.fullestMount.usedPct)} ${n.vitals.fullestMount.path}` : '-'),
      tone: (n) => usageTone(n.vitals?.fullestMount?.usedPct),
    },
    { key: 'system', title: 'SYSTEM', value: systemText, tone: systemTone },
  ],
  details,
  actions: nodeActions,
};
