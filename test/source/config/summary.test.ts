import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../source/config/load.ts';
import { secretRefsOf, summarizeConfig } from '../../../source/config/summary.ts';

const loaded = loadConfig('test/fixtures/config/full.yaml');

describe('secretRefsOf', () => {
  it('lists every reference with where it is used, by name', () => {
    const uses = secretRefsOf(loaded.config).map((u) => `${u.env} ${u.usedAt} ${u.ref.toString()}`);
    expect(uses).toEqual([
      'production bastion.passphrase keychain:ssh-pass',
      'production ssh.passphrase keychain:ssh-pass',
      'production clouds.embassy2.password keychain:os-pass',
      'production clouds.embassy2.applicationCredential.secret keychain:os-appcred',
      'production clouds.do.token keychain:do-token',
      'production services.nmpi.secrets.DB_PASSWORD keychain:nmpi-db',
      'production objectStores.embassy-s3.accessKeyId env:AWS_ACCESS_KEY_ID',
      'production objectStores.embassy-s3.secretAccessKey keychain:s3-secret',
      'production certificates.ims.example.org.acme.accountKey keychain:acme-key',
    ]);
  });

  it('filters by environment', () => {
    expect(secretRefsOf(loaded.config, 'test')).toEqual([]);
    expect(secretRefsOf(loaded.config, 'production')).toHaveLength(9);
  });
});

describe('summarizeConfig', () => {
  it('prints one block per environment, secrets by reference only', () => {
    expect(summarizeConfig(loaded)).toBe(
      [
        'production (protected): bastion core@193.62.54.96:22',
        '  3 nodes, 3 clouds, 1 service, 1 backup set, 1 certificate, 1 tunnel',
        '  secrets: keychain:ssh-pass, keychain:os-pass, keychain:os-appcred, keychain:do-token, keychain:nmpi-db, env:AWS_ACCESS_KEY_ID, keychain:s3-secret, keychain:acme-key',
        'test: no bastion',
        '  1 node, 0 clouds, 0 services, 0 backup sets, 0 certificates, 0 tunnels',
        '  secrets: none',
        '',
      ].join('\n'),
    );
  });
});
