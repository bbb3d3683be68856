/**
 * Turns a config's secret reference into its value at the moment a driver needs it. Values
 * live in memory only (never written anywhere) and each one is registered in the redactor
 * before it is handed out.
 */
import type { SecretRef } from '../config/secret-ref.ts';
import { createKeychain, type Keychain } from './keychain.ts';
import type { Redactor } from './redact.ts';

/** A referenced secret that has no value; the message says how to set it. */
export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
  constructor(
    message: string,
    readonly ref: string,
    readonly env: string,
  ) {
    super(message);
  }
}

/** A keychain reference while the keychain is switched off (--no-keychain). */
export class KeychainDisabledError extends Error {
  override readonly name = 'KeychainDisabledError';
  constructor(readonly ref: string) {
    const name = ref.replace(/^keychain:/, '');
    super(`${ref} is a keychain reference but --no-keychain is set: run without --no-keychain, or use env:${name} in the config and export ${name}`);
  }
}

export function setCommand(name: string, env: string): string {
  return `opsconsole secrets set ${name} -e ${env}`;
}

export interface SecretResolverOptions {
  /** Default: a keychain created on first use (unless noKeychain). */
  keychain?: Keychain;
  env: NodeJS.ProcessEnv;
  noKeychain: boolean;
  redactor: Redactor;
}

export interface SecretResolver {
  resolve(envName: string, ref: SecretRef): Promise<string>;
  /** Drops cached values (e.g. after `secrets set`). */
  forget(): void;
}

export function createSecretResolver(options: SecretResolverOptions): SecretResolver {
  const { env, noKeychain, redactor } = options;
  let keychain = options.keychain;
  const cache = new Map<string, Promise<string>>();

  const lookup = async (envName: string, ref: SecretRef): Promise<string> => {
    if (ref.store === 'env') {
      const value = env[ref.name];
      if (value === undefined || value === '') {
        throw new MissingSecretError(
          `secret ${ref.toString()} (environment ${envName}) is missing: the variable ${ref.name} is not set; export it before starting opsconsole, or store it with \`${setCommand(ref.name, envName)}\` and refer to it as keychain:${ref.name}`,
          ref.toString(),
          envName,
        );
      }
      return value;
    }
    if (noKeychain) throw new KeychainDisabledError(ref.toString());
    keychain ??= createKeychain({ env });
    const value = await keychain.get(envName, ref.name);
    if (value === undefined || value === '') {
      throw new MissingSecretError(
        `secret ${ref.toString()} (environment ${envName}) is not in the keychain: set it with \`${setCommand(ref.name, envName)}\``,
        ref.toString(),
        envName,
      );
    }
    return value;
  };

  return {
    resolve(envName, ref) {
      // env: references are per process, keychain: references per environment.
      const key = ref.store === 'env' ? ref.toString() : `${envName}\u0000${ref.toString()}`;
      let p = cache.get(key);
      if (!p) {
        p = lookup(envName, ref).then((value) => {
          redactor.add(value);
          return value;
        });
        cache.set(key, p);
        // Failures are not cached: the user may set the secret and retry.
        p.catch(() => cache.delete(key));
      }
      return p;
    },
    forget: () => cache.clear(),
  };
}
