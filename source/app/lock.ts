import { mkdirSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { UserError } from './status.ts';

export interface Locks {
  /** Takes the advisory lock or throws a UserError naming who holds it. */
  acquire(name: string, holder: string): Promise<() => Promise<void>>;
}

/**
 * Advisory locks as files in a local directory (proper-lockfile: mkdir-atomic, stale after
 * 30 s without refresh, so a crashed console frees its locks). Later a lock can live on a
 * remote host (the bastion, ROADMAP): same interface.
 */
export function localLocks(dir: string): Locks {
  return {
    async acquire(name, holder) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_'));
      writeFileSync(file, holder + '\n', { flag: 'w' });
      try {
        const release = await lockfile.lock(file, { stale: 30_000, update: 10_000, realpath: false });
        return release;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
          throw new UserError(`${name} is locked by another run`, 'wait for it to finish, or check the Audit panel');
        }
        throw err;
      }
    },
  };
}
