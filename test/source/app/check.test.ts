import { describe, expect, it } from 'vitest';
import { checkSnapshots, exitCodeOf, overall } from '../../../source/app/check.ts';
import type { KindSnapshot } from '../../../source/app/store.ts';

const now = new Date('2026-12-01T08:00:00Z');
const DAY = 86_400_000;

function snap(kind: KindSnapshot['kind'], rows: unknown[], sources: KindSnapshot['sources'] = [{ id: `${kind}@x`, status: { state: 'ok', at: now } }]): KindSnapshot {
  return { kind, version: 1, rows: rows.map((row) => ({ source: `${kind}@x`, row })), sources };
}

describe('the morning check', () => {
  it('is ok when everything is green', () => {
    const f = checkSnapshots([snap('certs', [{ domain: 'a', valid: true, notAfter: new Date(now.getTime() + 60 * DAY) }])], now);
    expect(f).toEqual([]);
    expect(exitCodeOf[overall(f)]).toBe(0);
  });

  it('warns under 14 days and is critical under 7 days or for an invalid certificate', () => {
    const f = checkSnapshots([snap('certs', [
      { domain: 'warn.example', valid: true, notAfter: new Date(now.getTime() + 10 * DAY) },
      { domain: 'crit.example', valid: true, notAfter: new Date(now.getTime() + 3 * DAY) },
      { domain: 'bad.example', valid: false, problem: 'unable to verify the first certificate' },
    ])], now);
    expect(f.map((x) => [x.severity, x.subject, x.message])).toEqual([
      ['critical', 'crit.example', 'expires in 3 days'],
      ['critical', 'bad.example', 'unable to verify the first certificate'],
      ['warning', 'warn.example', 'expires in 10 days'],
    ]);
    expect(exitCodeOf[overall(f)]).toBe(2);
  });

  it('names the producing timer of a stale backup set', () => {
    const f = checkSnapshots([snap('backups', [{ name: 'ims-postgres', latest: new Date(now.getTime() - 30 * 3_600_000), maxAgeMs: 26 * 3_600_000, complete: true, producedBy: 'ims/postgres-backups.timer' }])], now);
    expect(f[0]).toMatchObject({ severity: 'critical', message: 'stale: newest is 30h old (max 26h); produced by ims/postgres-backups.timer' });
  });

  it('reports vitals past their thresholds, and a source that could not be read as a warning', () => {
    const node = { name: 'tracker', state: 'active', reach: { state: 'connected', latencyMs: 5 }, health: { severity: 'critical', findings: [{ what: 'disk /srv/data', value: 93, limit: 90, severity: 'critical' }] } };
    const f = checkSnapshots([
      snap('nodes', [node]),
      snap('timers', [], [{ id: 'timers@ims', status: { state: 'error', message: 'node ims unreachable: keepalive timeout' } }]),
    ], now);
    expect(f.map((x) => [x.severity, x.subject, x.message])).toEqual([
      ['critical', 'tracker', 'disk /srv/data at 93 (limit 90)'],
      ['warning', 'timers@ims', 'could not check: node ims unreachable: keepalive timeout'],
    ]);
    expect(exitCodeOf[overall(f.filter((x) => x.severity === 'warning'))]).toBe(1);
  });
});
