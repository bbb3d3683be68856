import { describe, expect, it } from 'vitest';
import { SecretRef } from '../../../source/config/secret-ref.ts';
import type { Keychain } from '../../../source/secrets/keychain.ts';
import { createRedactor } from '../../../source/secrets/redact.ts';
import { createSecretResolver, KeychainDisabledError, MissingSecretError } from '../../../source/secrets/resolve.ts';

function fakeKeychain(values: Record<string, string>): Keychain & { gets: number } {
  const k = {
    gets: 0,
    async get(env: string, name: string) {
      k.gets++;
      return values[`${env}/${name}`];
    },
    async set(env: string, name: string, value: string) {
      values[`${env}/${name}`] = value;
    },
    async delete(env: string, name: string) {
      return delete values[`${env}/${name}`];
    },
    async list() {
      return Object.keys(values).map((a) => ({ env: a.split('/')[0]!, name: a.split('/')[1]! }));
    },
  };
  return k;
}

const ref = (s: string) => SecretRef.parse(s)!;

describe('secret resolver', () => {
  it('resolves keychain refs per environment and env refs from the process env, caching in memory and registering each value', async () => {
    const keychain = fakeKeychain({ 'production/db': 'prod-db-pass', 'test/db': 'test-db-pass' });
    const redactor = createRedactor();
    const r = createSecretResolver({ keychain, env: { DO_TOKEN: 'dop_v1_token' }, noKeychain: false, redactor });
    expect(await r.resolve('production', ref('keychain:db'))).toBe('prod-db-pass');
    expect(await r.resolve('test', ref('keychain:db'))).toBe('test-db-pass');
    expect(await r.resolve('production', ref('keychain:db'))).toBe('prod-db-pass');
    expect(await r.resolve('production', ref('env:DO_TOKEN'))).toBe('dop_v1_token');
    expect(keychain.gets).toBe(2);
    expect(redactor.redact('prod-db-pass test-db-pass dop_v1_token')).toBe('••• ••• •••');
    r.forget();
    await r.resolve('production', ref('keychain:db'));
    expect(keychain.gets).toBe(3);
  });

  it('a missing keychain secret names the reference and the command that sets it; the miss is not cached', async () => {
    const keychain = fakeKeychain({});
    const r = createSecretResolver({ keychain, env: {}, noKeychain: false, redactor: createRedactor() });
    const err = await r.resolve('production', ref('keychain:digitalocean-token')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingSecretError);
    expect((err as Error).message).toBe(
      'secret keychain:digitalocean-token (environment production) is not in the keychain: set it with `opsconsole secrets set digitalocean-token -e production`',
    );
    await keychain.set('production', 'digitalocean-token', 'now-it-is-set');
    expect(await r.resolve('production', ref('keychain:digitalocean-token'))).toBe('now-it-is-set');
  });

  it('a missing env: secret says which variable to export', async () => {
    const r = createSecretResolver({ env: { EMPTY: '' }, noKeychain: true, redactor: createRedactor() });
    await expect(r.resolve('test', ref('env:S3_SECRET'))).rejects.toThrow(MissingSecretError);
    await expect(r.resolve('test', ref('env:S3_SECRET'))).rejects.toThrow(/env:S3_SECRET .*the variable S3_SECRET is not set; export it/);
    await expect(r.resolve('test', ref('env:EMPTY'))).rejects.toThrow(MissingSecretError);
  });

  it('--no-keychain refuses keychain refs without touching the keychain, and still resolves env refs', async () => {
    const keychain = fakeKeychain({ 'production/db': 'prod-db-pass' });
    const r = createSecretResolver({ keychain, env: { PGPASSWORD: 'from-env-1' }, noKeychain: true, redactor: createRedactor() });
    const err = await r.resolve('production', ref('keychain:db')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeychainDisabledError);
    expect((err as Error).message).toBe(
      'keychain:db is a keychain reference but --no-keychain is set: run without --no-keychain, or use env:db in the config and export db',
    );
    expect(keychain.gets).toBe(0);
    expect(await r.resolve('production', ref('env:PGPASSWORD'))).toBe('from-env-1');
  });

  it('concurrent resolves of one ref share one keychain call', async () => {
    const keychain = fakeKeychain({ 'production/db': 'prod-db-pass' });
    const r = createSecretResolver({ keychain, env: {}, noKeychain: false, redactor: createRedactor() });
    const values = await Promise.all([1, 2, 3].map(() => r.resolve('production', ref('keychain:db'))));
    expect(values).toEqual(['prod-db-pass', 'prod-db-pass', 'prod-db-pass']);
    expect(keychain.gets).toBe(1);
  });
});
