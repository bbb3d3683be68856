/**
 * Rows of the Secrets panel and of `opsconsole secrets list`: every reference of the config
 * with its state, plus keychain entries nobody refers to. Values are never read out: one
 * keychain `list` call (names only) answers for all keychain references.
 */
import type { SecretRef } from '../config/secret-ref.ts';
import type { SecretInfo } from './model.ts';
import type { Keychain } from './keychain.ts';

/** Same shape as `SecretUse` of source/config/summary.ts (secretRefsOf). */
export interface SecretRefUse {
  ref: SecretRef;
  env: string;
  usedAt: string;
}

export interface SecretInfoList {
  infos: SecretInfo[];
  /** Why keychain rows are `unreadable`, when they are. */
  keychainError?: Error;
}

const keyOf = (env: string, store: string, name: string) => `${env}\u0000${store}:${name}`;

export async function collectSecretInfos(
  refs: readonly SecretRefUse[],
  keychain: Keychain | undefined,
  processEnv: NodeJS.ProcessEnv = process.env,
  options: { includeUnreferenced?: boolean } = {},
): Promise<SecretInfoList> {
  const rows = new Map<string, SecretInfo>();
  for (const use of refs) {
    const key = keyOf(use.env, use.ref.store, use.ref.name);
    let row = rows.get(key);
    if (!row) {
      row = { env: use.env, name: use.ref.name, store: use.ref.store, state: 'missing', referencedBy: [] };
      rows.set(key, row);
    }
    if (!row.referencedBy.includes(use.usedAt)) row.referencedBy.push(use.usedAt);
  }

  let keychainError: Error | undefined;
  let stored: Set<string> | undefined;
  const needsKeychain = options.includeUnreferenced !== false || [...rows.values()].some((r) => r.store === 'keychain');
  if (keychain && needsKeychain) {
    try {
      const ids = await keychain.list();
      stored = new Set(ids.map((id) => keyOf(id.env, 'keychain', id.name)));
      if (options.includeUnreferenced !== false) {
        for (const id of ids) {
          const key = keyOf(id.env, 'keychain', id.name);
          if (!rows.has(key)) rows.set(key, { env: id.env, name: id.name, store: 'keychain', state: 'set', referencedBy: [] });
        }
      }
    } catch (e) {
      keychainError = e instanceof Error ? e : new Error(String(e));
    }
  } else if (!keychain) {
    keychainError = new Error('the keychain is off (--no-keychain)');
  }

  for (const [key, row] of rows) {
    if (row.store === 'env') {
      const v = processEnv[row.name];
      row.state = v !== undefined && v !== '' ? 'set' : 'missing';
    } else {
      row.state = stored === undefined ? 'unreadable' : stored.has(key) ? 'set' : 'missing';
    }
  }

  const infos = [...rows.values()].sort((a, b) => a.env.localeCompare(b.env) || a.name.localeCompare(b.name) || a.store.localeCompare(b.store));
  const hasKeychainRows = infos.some((r) => r.store === 'keychain');
  return hasKeychainRows && keychainError ? { infos, keychainError } : { infos };
}

/** Data for the Secrets panel (source/secrets/kind.ts). */
export async function listSecretInfos(
  refs: readonly SecretRefUse[],
  keychain: Keychain | undefined,
  processEnv: NodeJS.ProcessEnv = process.env,
): Promise<SecretInfo[]> {
  return (await collectSecretInfos(refs, keychain, processEnv)).infos;
}
