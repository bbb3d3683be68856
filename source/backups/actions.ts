import { defineAction } from '../app/action.ts';
import type { BackupSet } from './model.ts';

/** The node a set's backups come from (`ims/postgres-backups.timer` → `ims`), the usual restore target. */
export function producerNode(set: BackupSet): string | undefined {
  return set.producedBy?.split('/')[0] || undefined;
}

export const restoreBackup = defineAction<{ set: string; target: string }>({
  id: 'backup.restore',
  title: 'Restore newest backup',
  kind: 'backups',
  key: 'R',
  cli: ['restore'],
  params: [
    { name: 'set', description: 'backup set, e.g. ims-postgres' },
    { name: 'target', description: 'node to restore onto, e.g. ims-staging' },
  ],
  destructive: true,
  confirm: 'typed',
  lock: (a) => `restore:${a.set}`,
  // Both names: what is read and what is overwritten, in the audit log and the typed confirmation.
  target: (a) => `${a.set}@${a.target}`,
  fromRow: (b: BackupSet) => ({ set: b.name, target: producerNode(b) ?? b.name }),
  disabled: (b: BackupSet) => (b.count === 0 || !b.latest ? `${b.name} has no backup yet` : undefined),
  run: (ctx, a) => ctx.backend.backups.restore(ctx, a.set, a.target),
});

export const backupActions = [restoreBackup];
