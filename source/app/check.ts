import type { KindId } from './kind.ts';
import type { KindSnapshot } from './store.ts';
import type { FleetNode } from '../nodes/model.ts';
import type { ServiceInstance } from '../services/model.ts';
import type { Timer } from '../units/model.ts';
import type { BackupSet } from '../backups/model.ts';
import type { Certificate } from '../certs/model.ts';

export type Severity = 'ok' | 'warning' | 'critical';

export interface Finding {
  severity: Exclude<Severity, 'ok'>;
  kind: KindId;
  subject: string;
  message: string;
}

const DAY = 86_400_000;

function nodeFindings(n: FleetNode): Finding[] {
  const f: Finding[] = [];
  const at = (severity: Finding['severity'], message: string) => f.push({ severity, kind: 'nodes', subject: n.name, message });
  if (n.reach.state === 'unreachable') at('critical', `unreachable: ${n.reach.reason}`);
  if (n.reach.state === 'hostkey-unknown') at('warning', `host key unknown (${n.reach.fingerprint}): run \`opsconsole ssh trust ${n.name}\``);
  if (n.reach.state === 'hostkey-changed') at('critical', `HOST KEY CHANGED: expected ${n.reach.expected}, got ${n.reach.actual}`);
  if (n.state === 'stopped' || n.state === 'error') at(n.state === 'error' ? 'critical' : 'warning', `state ${n.state}`);
  if (n.vitals?.system === 'degraded') {
    const names = n.vitals.failedUnitNames?.length ? `: ${n.vitals.failedUnitNames.join(', ')}` : '';
    at('warning', `system degraded, ${n.vitals.failedUnits} failed unit(s)${names}`);
  }
  for (const v of n.health?.findings ?? []) at(v.severity, `${v.what} at ${v.value} (limit ${v.limit})${n.vitalsStale ? ', stale' : ''}`);
  return f;
}

function serviceFindings(s: ServiceInstance): Finding[] {
  if (s.health !== 'unhealthy' && s.health !== 'stopped') return [];
  const severity = s.live ? 'critical' : 'warning';
  return [{ severity, kind: 'services', subject: `${s.service}-${s.colour}`, message: `${s.health}${s.live ? ' (live colour)' : ''} on ${s.node}` }];
}

function timerFindings(t: Timer): Finding[] {
  if (!t.failed) return [];
  const how = t.result.kind === 'exit-code' ? `exit code ${t.result.code}` : t.result.kind === 'signal' ? `signal ${t.result.signal}` : 'failed';
  return [{ severity: 'critical', kind: 'timers', subject: `${t.node}/${t.service}`, message: `last run failed (${how})` }];
}

function backupFindings(b: BackupSet, now: Date): Finding[] {
  if (!b.latest) return [{ severity: 'critical', kind: 'backups', subject: b.name, message: 'no backup found' }];
  const age = now.getTime() - b.latest.getTime();
  if (age > b.maxAgeMs) {
    const producer = b.producedBy ? `; produced by ${b.producedBy}` : '';
    return [{ severity: 'critical', kind: 'backups', subject: b.name, message: `stale: newest is ${Math.round(age / 3_600_000)}h old (max ${Math.round(b.maxAgeMs / 3_600_000)}h)${producer}` }];
  }
  if (!b.complete) return [{ severity: 'warning', kind: 'backups', subject: b.name, message: 'newest backup is incomplete' }];
  return [];
}

function certFindings(c: Certificate, now: Date): Finding[] {
  if (!c.valid || !c.notAfter) return [{ severity: 'critical', kind: 'certs', subject: c.domain, message: c.problem ?? 'invalid certificate' }];
  const days = (c.notAfter.getTime() - now.getTime()) / DAY;
  if (days < 7) return [{ severity: 'critical', kind: 'certs', subject: c.domain, message: `expires in ${Math.max(0, Math.floor(days))} days` }];
  if (days < 14) return [{ severity: 'warning', kind: 'certs', subject: c.domain, message: `expires in ${Math.floor(days)} days` }];
  return [];
}

/** The morning check: what `opsconsole check` prints and the exit code it returns. */
export function checkSnapshots(snapshots: KindSnapshot[], now: Date): Finding[] {
  const findings: Finding[] = [];
  for (const snap of snapshots) {
    for (const src of snap.sources) {
      if (src.status.state === 'error') {
        findings.push({ severity: 'warning', kind: snap.kind, subject: src.id, message: `could not check: ${src.status.message}` });
      } else if (src.status.state === 'stale') {
        findings.push({ severity: 'warning', kind: snap.kind, subject: src.id, message: `stale since ${src.status.lastOk.toISOString()}: ${src.status.message}` });
      }
    }
    for (const { row } of snap.rows) {
      switch (snap.kind) {
        case 'nodes': findings.push(...nodeFindings(row as FleetNode)); break;
        case 'services': findings.push(...serviceFindings(row as ServiceInstance)); break;
        case 'timers': findings.push(...timerFindings(row as Timer)); break;
        case 'backups': findings.push(...backupFindings(row as BackupSet, now)); break;
        case 'certs': findings.push(...certFindings(row as Certificate, now)); break;
        default: break;
      }
    }
  }
  const rank = { critical: 0, warning: 1 };
  return findings.sort((a, b) => rank[a.severity] - rank[b.severity]);
}

export function overall(findings: Finding[]): Severity {
  if (findings.some((f) => f.severity === 'critical')) return 'critical';
  if (findings.length > 0) return 'warning';
  return 'ok';
}

export const exitCodeOf: Record<Severity, number> = { ok: 0, warning: 1, critical: 2 };
