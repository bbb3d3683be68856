import { describe, expect, it } from 'vitest';
import { backupKind } from '../../../source/backups/kind.ts';
import type { BackupSet } from '../../../source/backups/model.ts';
import { cell } from '../demo/cells.ts';

const now = new Date('2026-12-01T07:00:00Z');
const H = 3_600_000;
const media: BackupSet = {
  env: 'production', name: 'ims-media', kind: 'duplicity', location: 's3://ebisc-backups/ims/media',
  latest: new Date(now.getTime() - 50 * H), latestSize: 212_000_000, count: 61, totalSize: 9e9, maxAgeMs: 26 * H, complete: true,
  producedBy: 'ims/duplicity-backups.timer',
};
const postgres: BackupSet = { ...media, name: 'ims-postgres', kind: 'wal-e', latest: new Date(now.getTime() - 5 * H), producedBy: 'ims/postgres-backups.timer' };

describe('backupKind', () => {
  it('has the columns of the Backups panel', () => {
    expect(backupKind.columns.map((c) => c.title)).toEqual(['SET', 'KIND', 'LATEST', 'SIZE', 'COUNT', 'FRESH', 'PRODUCED BY']);
  });

  it('says a fresh set is ok', () => {
    expect(cell(backupKind, 'FRESH', postgres, now)).toEqual({ text: 'ok', tone: 'ok' });
    expect(cell(backupKind, 'LATEST', postgres, now)).toEqual({ text: '5h ago', tone: 'normal' });
    expect(cell(backupKind, 'SIZE', postgres, now).text).toBe('212 MB');
  });

  it('says by how much a set older than its max age is stale', () => {
    expect(cell(backupKind, 'FRESH', media, now)).toEqual({ text: 'stale: 24h over 26h', tone: 'error' });
    expect(cell(backupKind, 'LATEST', media, now).tone).toBe('error');
  });

  it('restores onto the node that produced the set, naming both in the target', () => {
    const restore = backupKind.actions.find((a) => a.id === 'backup.restore')!;
    const args = restore.fromRow!(postgres);
    expect(args).toEqual({ set: 'ims-postgres', target: 'ims' });
    expect(restore.target(args)).toBe('ims-postgres@ims');
    expect(restore.lock!(args)).toBe('restore:ims-postgres');
    expect(restore.confirm).toBe('typed');
    expect(restore.disabled!({ ...postgres, count: 0, latest: undefined })).toBe('ims-postgres has no backup yet');
  });
});
