import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../../source/config/load.ts';
import { SecretRef } from '../../../source/config/secret-ref.ts';
import { starterConfig } from '../../../source/config/starter.ts';

const FULL = 'test/fixtures/config/full.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'opsconsole-config-ok-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadConfig on the full example', () => {
  const loaded = loadConfig(FULL);
  const prod = loaded.config.environments['production']!;

  it('turns durations into milliseconds', () => {
    expect(loaded.config.defaults.refresh).toBe(10_000);
    expect(prod.refresh).toBe(15_000);
    expect(prod.ssh.connectTimeout).toBe(10_000);
    expect(prod.ssh.keepaliveInterval).toBe(1_000);
    expect(prod.backups[0]!.maxAge).toBe(26 * 3_600_000);
    expect(prod.services[0]!.health.timeout).toBe(5_000);
  });

  it('turns secret references into SecretRef', () => {
    expect(prod.bastion!.passphrase).toEqual(new SecretRef('keychain', 'ssh-pass'));
    expect(prod.services[0]!.secrets['DB_PASSWORD']).toBeInstanceOf(SecretRef);
    expect(prod.objectStores[0]!.accessKeyId).toEqual(new SecretRef('env', 'AWS_ACCESS_KEY_ID'));
    const cloud = prod.clouds[1]!;
    expect(cloud.kind === 'openstack' && cloud.applicationCredential?.secret.toString()).toBe('keychain:os-appcred');
  });

  it('keeps every section', () => {
    expect(prod.protect).toBe(true);
    expect(prod.nodes.map((n) => n.name)).toEqual(['ims', 'ginormica', 'drcockroach']);
    expect(prod.clouds.map((c) => c.kind)).toEqual(['openstack', 'openstack', 'digitalocean']);
    expect(prod.routers[0]).toMatchObject({ name: 'main', node: 'bastion', test: 'nginx -t' });
    expect(prod.services[0]!.colours.green).toEqual({ node: 'drcockroach', port: 8002 });
    expect(prod.backups[0]!.producedBy).toEqual({ node: 'ims', unit: 'postgres-backups.timer' });
    expect(prod.timers).toEqual([{ node: 'ims', unit: 'postgres-backups.timer', backup: 'ims-postgres' }]);
    expect(prod.certificates[0]).toMatchObject({ domain: 'ims.example.org', renewal: 'acme', warnDays: 14, criticalDays: 7 });
    expect(prod.tunnels[0]).toEqual({ name: 'django-admin', node: 'drcockroach', port: 8000, localPort: 8000 });
    expect(loaded.config.audit.path).toBe('/var/log/opsconsole/audit.jsonl');
  });

  it('fills in defaults: protect false, via from the bastion, thresholds', () => {
    const test = loaded.config.environments['test']!;
    expect(test.protect).toBe(false);
    expect(test.nodes[0]!.via).toBe('direct');
    expect(prod.nodes[1]!.via).toBe('bastion');
    expect(test.thresholds).toEqual({ disk: { warn: 80, critical: 90 }, inodes: { warn: 80, critical: 90 }, memoryAvailable: { warn: 10, critical: 5 }, loadPerCore: { warn: 2, critical: 4 } });
    expect(test.ssh).toMatchObject({ agent: true, maxSessions: 10, connectTimeout: 10_000, keepaliveInterval: 1_000, keepaliveCountMax: 3 });
    expect(prod.clouds[0]!.prefixes).toEqual({ terraform: 'tf-', software: 'os-', personal: [] });
  });

  it('knows where each node came from', () => {
    expect(loaded.positionOf(['environments', 'production', 'nodes', 1])).toEqual({ line: 16, col: 9 });
    expect(loaded.positionOf(['environments', 'production', 'protect'])).toEqual({ line: 6, col: 14 });
    expect(loaded.positionOf(['environments', 'nowhere'])).toBeUndefined();
  });
});

describe('the starter config', () => {
  it('loads without error and has both environments', () => {
    const file = join(tmp, 'config.yaml');
    writeFileSync(file, starterConfig());
    const { config } = loadConfig(file);
    expect(Object.keys(config.environments)).toEqual(['production', 'test']);
    const prod = config.environments['production']!;
    expect(prod.protect).toBe(true);
    expect(prod.bastion?.host).toBe('193.62.54.96');
    expect(prod.nodes.map((n) => n.name)).toEqual(['ims', 'tracker']);
    expect(config.environments['test']!.nodes.map((n) => n.name)).toEqual(['ims-staging']);
    expect(prod.timers[0]!.backup).toBe('ims-postgres');
    expect(prod.backups).toHaveLength(1);
    expect(prod.certificates).toHaveLength(1);
  });

  it('is commented', () => {
    expect(starterConfig().split('\n').filter((l) => l.includes('#')).length).toBeGreaterThan(5);
  });
});

describe('parseConfigText', () => {
  it('accepts anchors under top-level x- keys and aliases within limits', () => {
    const { config } = parseConfigText('x-ssh: &ssh { user: core }\nenvironments:\n  a: { ssh: *ssh }\n  b: { ssh: *ssh }\n', 'inline');
    expect(config.environments['b']!.ssh.user).toBe('core');
    expect(Object.keys(config)).not.toContain('x-ssh');
  });

  it('still rejects unknown keys that do not start with x-', () => {
    expect(() => parseConfigText('y-ssh: 1\nenvironments: { a: {} }\n', 'inline')).toThrow('unknown key "y-ssh"');
  });

  it('accepts compound durations', () => {
    const { config } = parseConfigText('defaults: { refresh: 1m30s }\nenvironments: { a: {} }\n', 'inline');
    expect(config.defaults.refresh).toBe(90_000);
  });
});
