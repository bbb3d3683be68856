import { mkdtempSync, readFileSync, statSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditRuns, defaultAuditPath, openAuditLog } from '../../../source/audit/log.ts';

describe('audit log', () => {
  it('appends one JSON line per phase, 0600, and joins start and end into runs', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'sub', 'audit.jsonl');
    const log = openAuditLog(path);
    const base = { id: 'r1', user: 'ana', host: 'laptop', env: 'production', action: 'timer.run', target: 'ims/postgres-backups.service' };
    log.append({ ...base, time: '2026-12-01T02:00:00.000Z', phase: 'start' });
    log.append({ ...base, time: '2026-12-01T02:00:03.000Z', phase: 'end', result: 'ok', message: 'done', durationMs: 3000 });
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const runs = auditRuns(log.read());
    expect(runs).toEqual([{ ...base, time: '2026-12-01T02:00:00.000Z', result: 'ok', message: 'done', durationMs: 3000 }]);
  });

  it('skips a torn last line instead of failing', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
    const log = openAuditLog(path);
    log.append({ id: 'r1', user: 'u', host: 'h', env: 'e', action: 'a.b', target: 't', time: 'x', phase: 'start' });
    appendFileSync(path, '{"id":"r2","us');
    expect(log.read()).toHaveLength(1);
  });

  it('passes every line through the redactor', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
    const log = openAuditLog(path, (t) => t.replaceAll('hunter22', '•••'));
    log.append({ id: 'r1', user: 'u', host: 'h', env: 'e', action: 'a.b', target: 't', time: 'x', phase: 'end', message: 'auth failed for hunter22' });
    expect(readFileSync(path, 'utf8')).not.toContain('hunter22');
  });

  it('lives under XDG_STATE_HOME by default', () => {
    expect(defaultAuditPath({ XDG_STATE_HOME: '/s', HOME: '/h' })).toBe('/s/opsconsole/audit.jsonl');
    expect(defaultAuditPath({ HOME: '/h' })).toBe('/h/.local/state/opsconsole/audit.jsonl');
  });
});
