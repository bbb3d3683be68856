import { describe, expect, it } from 'vitest';
import { auditKind } from '../../../source/audit/kind.ts';
import type { AuditEntry } from '../../../source/audit/model.ts';
import { cell } from '../demo/cells.ts';

const now = new Date('2026-12-01T07:00:00Z');
const end: AuditEntry = {
  time: '2026-12-01T06:58:10.000Z', phase: 'end', id: 'r1', user: 'andrew', host: 'laptop', env: 'production',
  action: 'service.cutover', target: 'nmpi-green', result: 'failed', message: 'nmpi-green is unhealthy', durationMs: 2_400,
};

describe('auditKind', () => {
  it('shows when, who, where, what and how it ended', () => {
    expect(auditKind.columns.map((c) => c.title)).toEqual(['TIME', 'USER', 'ENV', 'ACTION', 'TARGET', 'RESULT', 'DURATION']);
    expect(cell(auditKind, 'TIME', end, now).text).toBe('2026-12-01 06:58:10');
    expect(cell(auditKind, 'RESULT', end, now)).toEqual({ text: 'failed', tone: 'error' });
    expect(cell(auditKind, 'DURATION', end, now).text).toBe('2.4s');
  });

  it('shows a start without an end as started', () => {
    const start: AuditEntry = { ...end, phase: 'start' };
    delete start.result;
    delete start.durationMs;
    expect(cell(auditKind, 'RESULT', start, now)).toEqual({ text: 'started', tone: 'info' });
    expect(auditKind.rowId(start)).not.toBe(auditKind.rowId(end));
  });
});
