import { describe, expect, it } from 'vitest';
import { configSchema, parseDuration, refreshOf, thresholdsFor, UNIT_RE } from '../../../source/config/schema.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['5m', 300_000],
    ['26h', 93_600_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['26 hours', '10', 's', '1.5h', '-1s', '10S', ''])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('unit names', () => {
  it.each(['postgres-backups.timer', 'getty@tty1.service', 'dev-disk-by\\x2duuid.mount'.replace('\\x2d', '-'), 'a:b_c.socket'])('accepts %s', (u) => expect(UNIT_RE.test(u)).toBe(true));
  it.each(['foo;rm -rf /.timer', 'x.conf', '.timer', 'a b.service', 'x.timer\n'])('rejects %j', (u) => expect(UNIT_RE.test(u)).toBe(false));
});

describe('thresholdsFor and refreshOf', () => {
  const config = configSchema.parse({
    defaults: { refresh: '20s' },
    environments: { p: { refresh: '5s', nodes: [{ name: 'a', address: '10.0.0.1', thresholds: { disk: { critical: 95 } } }] }, q: {} },
  });

  it('applies a node override over the environment thresholds', () => {
    const env = config.environments['p']!;
    expect(thresholdsFor(env, env.nodes[0]!).disk).toEqual({ warn: 80, critical: 95 });
    expect(thresholdsFor(env, env.nodes[0]!).loadPerCore).toEqual({ warn: 2, critical: 4 });
  });

  it('uses the environment refresh, else the default', () => {
    expect(refreshOf(config, 'p')).toBe(5_000);
    expect(refreshOf(config, 'q')).toBe(20_000);
  });
});

describe('cross-references', () => {
  const base = { nodes: [{ name: 'ims', address: '10.0.0.1' }] };
  const issues = (env: object) => configSchema.safeParse({ environments: { p: { ...base, ...env } } }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

  it('accept the bastion name as a node', () => {
    expect(issues({ bastion: { host: 'b' }, tunnels: [{ name: 't', node: 'bastion', port: 22 }] })).toBeUndefined();
  });

  it('reject a node named like the bastion', () => {
    expect(issues({ bastion: { name: 'ims', host: 'b' } })).toEqual(['environments.p.nodes.0.name: node "ims" has the name of the bastion']);
  });

  it('reject an unknown producedBy node and restore node', () => {
    expect(
      issues({
        objectStores: [{ name: 's' }],
        backups: [{ name: 'b', kind: 'pg_dump', store: 's', bucket: 'x', maxAge: '1d', producedBy: { node: 'db', unit: 'dump.service' }, restore: { node: 'db2', database: 'd' } }],
      }),
    ).toEqual(['environments.p.backups.0.producedBy.node: unknown node "db"', 'environments.p.backups.0.restore.node: unknown node "db2"']);
  });

  it('reject duplicate services and acme renewal without an acme section', () => {
    const svc = { name: 's', image: 'i', colours: { blue: { node: 'ims', port: 1 }, green: { node: 'ims', port: 2 } } };
    expect(issues({ services: [svc, svc], certificates: [{ domain: 'a.org', renewal: 'acme' }] })).toEqual([
      'environments.p.services.1.name: duplicate service "s" (first at services[0])',
      'environments.p.certificates.0.renewal: renewal: acme needs an acme section',
    ]);
  });
});
