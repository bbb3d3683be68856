import type { NodeState } from '../nodes/model.ts';
import type { Colour, ServiceHealth } from '../services/model.ts';
import type { BackupSetKind } from '../backups/model.ts';
import type { Certificate } from '../certs/model.ts';
import type { SecretInfo } from '../secrets/model.ts';
import type { Cadence } from './calendar.ts';
import { createRng, between, hex, intBetween, pick, type Rng } from './random.ts';

// The demo fleet: seed 000/002's Embassy project (bastion, ims, ims-staging, tracker on
// CoreOS) and seed 003's DigitalOcean nodes with nmpi and quotas in blue and green.

export type DemoReach = { kind: 'ok' } | { kind: 'unreachable'; reason: string; sshError: string } | { kind: 'hostkey-unknown'; fingerprint: string };

export interface DemoNode {
  name: string;
  address: string;
  origin: string;
  role?: string;
  size: string;
  region: string;
  createdAt: Date;
  state: NodeState;
  cores: number;
  baseLatencyMs: number;
  load: number;
  memUsedPct: number;
  disk: { path: string; usedPct: number };
  system: string;
  failedUnits: number;
  failedUnitNames?: string[];
  os?: string;
  kernel?: string;
  bootedAt?: number;
  reach: DemoReach;
  /** Set while a reboot runs: the node shows 'building' and its SSH sources fail. */
  rebooting?: boolean;
}

export interface DemoTimer {
  node: string;
  unit: string;
  service: string;
  schedule: string;
  cadence: Cadence;
  durationMs: number;
  enabled: boolean;
  /** Its runs fail with this exit code (seed 002's duplicity backups). */
  failsWith?: number;
  produces?: string;
  journal: string[];
  manual?: { at: number; durationMs: number; ok: boolean };
  runningSince?: number;
}

export interface DemoService {
  service: string;
  colour: Colour;
  node: string;
  image: string;
  version: string;
  ports: string;
  domain?: string;
  live: boolean;
  startedAt: number;
  /** Goes unhealthy for a while every ~45 s (scaled by speed). */
  flaky?: boolean;
  health?: ServiceHealth;
}

export interface DemoSet {
  name: string;
  kind: BackupSetKind;
  location: string;
  maxAgeMs: number;
  producedBy?: string;
  baseCount: number;
  sizeBytes: number;
  /** Newest backup when its producer is failing: the set goes stale from here. */
  stuckAt?: number;
  /** Ends of backups made by `timer.run`. */
  manual: number[];
}

export interface DemoCert {
  domain: string;
  endpoint: string;
  issuer: string;
  notAfter: number;
  renewal: Certificate['renewal'];
  group: string;
}

export interface DemoEnv {
  name: string;
  protect: boolean;
  nodes: DemoNode[];
  /** Extra nodes of `size`: listed on the Nodes panel, their timers polled in chunks. */
  generated: DemoNode[];
  timers: DemoTimer[];
  generatedTimers: { id: string; timers: DemoTimer[] }[];
  services: DemoService[];
  sets: DemoSet[];
  certs: DemoCert[];
  secrets: SecretInfo[];
  /** Sources whose fetch fails now and then, with the message they fail with. */
  flakySources: Record<string, { message: string; hint: string }>;
}

const H = 3_600_000;
const M = 60_000;
const DAY = 24 * H;

const daily = (...times: [number, number][]): Cadence => ({ daily: times });
const at = (h: number, m = 0) => `*-*-* ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;

type NodeSeed = Omit<DemoNode, 'load' | 'memUsedPct' | 'disk' | 'system' | 'failedUnits' | 'reach' | 'state' | 'baseLatencyMs' | 'createdAt'> &
  Partial<Pick<DemoNode, 'reach' | 'state' | 'failedUnits'>> & { created: string };

function node(rng: Rng, seed: NodeSeed): DemoNode {
  const { created, ...rest } = seed;
  const failedUnits = seed.failedUnits ?? 0;
  return {
    state: 'active',
    reach: { kind: 'ok' },
    ...rest,
    createdAt: new Date(created),
    baseLatencyMs: between(rng, 6, 40),
    load: between(rng, 0.05, 0.7) * seed.cores,
    memUsedPct: between(rng, 35, 78),
    disk: { path: seed.origin === 'digitalocean' ? '/' : '/media/data', usedPct: between(rng, 22, 74) },
    system: failedUnits > 0 ? 'degraded' : 'running',
    failedUnits,
    ...(seed.origin === 'digitalocean'
      ? { os: 'Ubuntu 16.04.7 LTS', kernel: 'Linux 4.4.0-210-generic' }
      : { os: 'Container Linux by CoreOS 1576.5.0 (Ladybug)', kernel: 'Linux 4.14.11-coreos' }),
  };
}

function timer(t: Omit<DemoTimer, 'enabled' | 'journal' | 'service'> & Partial<Pick<DemoTimer, 'enabled' | 'journal' | 'service'>>): DemoTimer {
  return { enabled: true, journal: [], service: t.unit.replace(/\.timer$/, '.service'), ...t };
}

function production(rng: Rng, t0: number): DemoEnv {
  const embassy = { origin: 'embassy', region: 'extcloud03' } as const;
  const doAms = { origin: 'digitalocean', region: 'ams2' } as const;
  const nodes: DemoNode[] = [
    node(rng, { ...embassy, name: 'bastion', address: '193.62.54.96', role: 'bastion', size: 'm1.small', cores: 1, created: '2016-03-02T10:14:00Z' }),
    node(rng, { ...embassy, name: 'ims', address: '192.168.0.11', role: 'ims', size: 'm1.medium', cores: 2, created: '2016-03-02T10:31:00Z', failedUnits: 1, failedUnitNames: ['duplicity-backups.service'] }),
    node(rng, { ...embassy, name: 'ims-staging', address: '192.168.0.12', role: 'ims', size: 'm1.medium', cores: 2, created: '2016-06-14T08:02:00Z' }),
    node(rng, { ...embassy, name: 'tracker', address: '192.168.0.13', role: 'tracker', size: 'm1.medium', cores: 2, created: '2016-04-20T13:45:00Z' }),
    node(rng, { ...doAms, name: 'docker-512mb-ams2-02', address: '146.185.156.125', size: '512mb', cores: 1, created: '2016-04-22T15:00:47Z' }),
    node(rng, { ...doAms, name: 'ginormica', address: '146.185.160.61', size: '1gb', cores: 1, created: '2016-05-12T16:17:37Z' }),
    node(rng, { ...doAms, name: 'drcockroach', address: '146.185.172.147', size: '1gb', cores: 1, created: '2016-05-18T20:18:57Z' }),
    node(rng, { ...doAms, name: 'bob', address: '146.185.173.96', size: '512mb', cores: 1, created: '2016-05-19T14:02:42Z' }),
    node(rng, {
      ...doAms,
      name: 'eb644c9c-8a7d-4d3e-8c55-9ab34998a90c.node.dockerapp.io',
      address: '37.139.23.137',
      size: '1gb',
      cores: 1,
      created: '2016-02-28T09:42:36Z',
      reach: {
        kind: 'unreachable',
        reason: 'timed out after 10 s',
        sshError: 'ssh through bastion: connect to 37.139.23.137 port 22 timed out after 10 s',
      },
    }),
  ];

  const timers: DemoTimer[] = [
    timer({ node: 'bastion', unit: 'certbot-renew.timer', schedule: '*-*-* 00,12:00:00', cadence: daily([0, 0], [12, 0]), durationMs: 6_400, journal: ['Saving debug log to /var/log/letsencrypt/letsencrypt.log', 'Certificate not yet due for renewal'] }),
    timer({ node: 'bastion', unit: 'nginx-logrotate.timer', schedule: 'daily', cadence: daily([0, 0]), durationMs: 900, journal: ['rotating pattern: /var/log/nginx/*.log', 'reloading nginx'] }),
    timer({ node: 'ims', unit: 'ims-updates.timer', schedule: at(1), cadence: daily([1, 0]), durationMs: 11 * M + 23_000, journal: ['import_all: hPSCreg 1,204 lines', 'import_all: biosamples 3,411 lines', 'import_all: pseudoLIMS 88 batches'] }),
    timer({ node: 'ims', unit: 'postgres-backups.timer', schedule: at(2), cadence: daily([2, 0]), durationMs: 4 * M + 12_000, produces: 'ims-postgres', journal: ['wal_e.main INFO backup-push: starting', 'wal_e.worker.upload INFO uploading base backup', 'wal_e.main INFO backup-push: complete'] }),
    timer({
      node: 'ims',
      unit: 'duplicity-backups.timer',
      schedule: at(3),
      cadence: daily([3, 0]),
      durationMs: 2 * M + 14_000,
      failsWith: 1,
      produces: 'ims-media',
      journal: ['Local and Remote metadata are synchronized, no sync needed.', 'Last full backup date: Thu Nov 26 03:00:04 2026', 'BackendException: No connection to backend: S3ResponseError: 403 Forbidden'],
    }),
    // The demo's pulse: continuous WAL archiving, so a backup lands in its set every ~20 s.
    timer({ node: 'ims', unit: 'postgres-wal-push.timer', schedule: '*:*:0/20', cadence: { every: 20_000 }, durationMs: 1_800, produces: 'ims-postgres-wal', journal: ['wal_e.worker.upload INFO pushing 000000010000004A000000C3', 'wal_e.worker.upload INFO completed'] }),
    timer({ node: 'ims-staging', unit: 'ims-updates.timer', schedule: at(1, 30), cadence: daily([1, 30]), durationMs: 9 * M + 4_000, journal: ['import_all: hPSCreg 1,204 lines', 'import_all: done'] }),
    timer({ node: 'ims-staging', unit: 'staging-refresh.timer', schedule: 'Sun *-*-* 04:00:00', cadence: { weekly: { day: 0, at: [4, 0] } }, durationMs: 18 * M + 40_000, journal: ['restoring ims-postgres (latest) without schemas: audit, users_private', 'restore complete'] }),
    timer({ node: 'tracker', unit: 'mongodb-backups.timer', service: 'mongodb-backups-s3.service', schedule: at(1, 30), cadence: daily([1, 30]), durationMs: 100_000, produces: 'tracker-mongodb', journal: ['writing tracker.lines to archive', 'done dumping tracker (48211 documents)', 'upload: s3://ebisc-backups/tracker/mongodb/'] }),
    timer({ node: 'tracker', unit: 'tracker.timer', schedule: '*-*-* 06,18:00:00', cadence: daily([6, 0], [18, 0]), durationMs: 7 * M + 2_000, journal: ['tracker: ims 1,204 lines', 'tracker: hpscreg 1,198 lines', 'tracker: ecacc 311 lines'] }),
    timer({ node: 'ginormica', unit: 'db-dump.timer', schedule: at(2, 30), cadence: daily([2, 30]), durationMs: 38_000, produces: 'nmpi-db', journal: ['pg_dump: dumping contents of table "queue_job"', 'upload: s3://hbp-backups/nmpi/db/'] }),
    ...['ginormica', 'drcockroach', 'bob', 'docker-512mb-ams2-02'].map((n) =>
      timer({ node: n, unit: 'docker-prune.timer', schedule: 'Mon *-*-* 05:00:00', cadence: { weekly: { day: 1, at: [5, 0] } }, durationMs: 12_000, journal: ['Total reclaimed space: 1.3GB'] }),
    ),
  ];

  const up = (h: number) => t0 - h * H - Math.floor(rng() * 50) * M;
  const services: DemoService[] = [
    { service: 'nmpi', colour: 'blue', node: 'ginormica', image: 'cnrsunic/nmpi_queue_server:blue', version: '2.3.1 (4a0218e)', ports: '443:443', domain: 'nmpi.hbpneuromorphic.eu', live: true, startedAt: up(20 * 24) },
    { service: 'nmpi', colour: 'green', node: 'drcockroach', image: 'cnrsunic/nmpi_queue_server:green', version: '2.4.0 (32f594f)', ports: '443:443', domain: 'nmpi.hbpneuromorphic.eu', live: false, startedAt: up(3) },
    { service: 'quotas', colour: 'blue', node: 'docker-512mb-ams2-02', image: 'cnrsunic/nmpi_resource_manager:blue', version: '1.6.0 (7eea708)', ports: '443:443', domain: 'quotas.hbpneuromorphic.eu', live: true, startedAt: up(9 * 24) },
    { service: 'quotas', colour: 'green', node: 'bob', image: 'cnrsunic/nmpi_resource_manager:green', version: '1.7.0-rc1 (a3c19e2)', ports: '443:443', domain: 'quotas.hbpneuromorphic.eu', live: false, startedAt: up(1), flaky: true },
    { service: 'docs', colour: 'blue', node: 'bob', image: 'cnrsunic/neuromorphic_docs:latest', version: 'latest (0f11288)', ports: '443:443', live: true, startedAt: up(30 * 24) },
    { service: 'db', colour: 'blue', node: 'ginormica', image: 'tutum/postgresql:latest', version: '9.6 (484fafd)', ports: '5432:32770', live: true, startedAt: up(60 * 24) },
  ];

  const sets: DemoSet[] = [
    { name: 'ims-postgres', kind: 'wal-e', location: 's3://ebisc-backups/ims/postgres/basebackups_005', maxAgeMs: 26 * H, producedBy: 'ims/postgres-backups.timer', baseCount: 30, sizeBytes: 1_420_000_000, manual: [] },
    { name: 'ims-postgres-wal', kind: 'wal-e', location: 's3://ebisc-backups/ims/postgres/wal_005', maxAgeMs: 10 * M, producedBy: 'ims/postgres-wal-push.timer', baseCount: 4_210, sizeBytes: 4_300_000, manual: [] },
    { name: 'ims-media', kind: 'duplicity', location: 's3://ebisc-backups/ims/media', maxAgeMs: 26 * H, producedBy: 'ims/duplicity-backups.timer', baseCount: 61, sizeBytes: 212_000_000, stuckAt: t0 - 50 * H - 17 * M, manual: [] },
    { name: 'tracker-mongodb', kind: 'mongodump', location: 's3://ebisc-backups/tracker/mongodb', maxAgeMs: 26 * H, producedBy: 'tracker/mongodb-backups.timer', baseCount: 30, sizeBytes: 381_000_000, manual: [] },
    { name: 'nmpi-db', kind: 'pg_dump', location: 's3://hbp-backups/nmpi/db', maxAgeMs: 26 * H, producedBy: 'ginormica/db-dump.timer', baseCount: 14, sizeBytes: 96_500_000, manual: [] },
  ];

  const certs: DemoCert[] = [
    { domain: 'ims.ebisc.org', endpoint: '193.62.54.96:443', issuer: "Let's Encrypt R11", notAfter: t0 + 60 * DAY + 5 * H, renewal: 'certbot', group: 'bastion' },
    { domain: 'ims-staging.ebisc.org', endpoint: '193.62.54.96:443', issuer: "Let's Encrypt R10", notAfter: t0 + 71 * DAY + 2 * H, renewal: 'certbot', group: 'bastion' },
    { domain: 'tracker.ebisc.org', endpoint: '193.62.54.96:443', issuer: "Let's Encrypt R11", notAfter: t0 + 9 * DAY + 7 * H, renewal: 'certbot', group: 'bastion' },
    { domain: 'nmpi.hbpneuromorphic.eu', endpoint: '146.185.160.61:443', issuer: "Let's Encrypt R10", notAfter: t0 + 5 * DAY + 11 * H, renewal: 'manual', group: 'external' },
    { domain: 'quotas.hbpneuromorphic.eu', endpoint: '146.185.156.125:443', issuer: "Let's Encrypt R10", notAfter: t0 + 33 * DAY + 4 * H, renewal: 'acme', group: 'external' },
  ];

  const secrets: SecretInfo[] = [
    { env: 'production', name: 'digitalocean-token', store: 'keychain', state: 'set', referencedBy: ['clouds.digitalocean.token'] },
    { env: 'production', name: 'embassy-app-credential', store: 'keychain', state: 'set', referencedBy: ['clouds.embassy.auth.application_credential_secret'] },
    { env: 'production', name: 'AWS_SECRET_ACCESS_KEY', store: 'env', state: 'set', referencedBy: ['backups.store.secret_access_key'] },
    { env: 'production', name: 'nmpi-secrets', store: 'keychain', state: 'set', referencedBy: ['services.nmpi.secrets'] },
    { env: 'production', name: 'quotas-secrets', store: 'keychain', state: 'missing', referencedBy: ['services.quotas.secrets'] },
    { env: 'production', name: 'letsencrypt-account-key', store: 'keychain', state: 'set', referencedBy: ['certs.acme.account_key'] },
    { env: 'production', name: 'NMPI_DATABASE_PASSWORD', store: 'env', state: 'missing', referencedBy: ['services.nmpi.env.NMPI_DATABASE_PASSWORD', 'services.quotas.env.NMPI_DATABASE_PASSWORD'] },
  ];

  return {
    name: 'production',
    protect: true,
    nodes,
    generated: [],
    timers,
    generatedTimers: [],
    services,
    sets,
    certs,
    secrets,
    flakySources: {
      'certs@external': {
        message: 'TLS handshake with nmpi.hbpneuromorphic.eu:443 timed out after 5 s',
        hint: 'the probe runs from outside the fleet: check the DNS record and the proxy on ginormica',
      },
    },
  };
}

function test(rng: Rng, t0: number): DemoEnv {
  const embassy = { origin: 'embassy-test', region: 'extcloud03' } as const;
  const nodes: DemoNode[] = [
    node(rng, { ...embassy, name: 'bastion', address: '193.62.54.97', role: 'bastion', size: 'm1.small', cores: 1, created: '2017-01-10T09:00:00Z' }),
    node(rng, { ...embassy, name: 'ims', address: '192.168.10.11', role: 'ims', size: 'm1.medium', cores: 2, created: '2017-01-10T09:20:00Z' }),
    node(rng, {
      ...embassy,
      name: 'tracker',
      address: '192.168.10.13',
      role: 'tracker',
      size: 'm1.medium',
      cores: 2,
      created: '2026-11-30T16:02:00Z',
      reach: { kind: 'hostkey-unknown', fingerprint: `SHA256:${hex(rng, 43)}` },
    }),
    node(rng, { origin: 'digitalocean', region: 'ams3', name: 'sandbox', address: '188.166.42.7', size: '1gb', cores: 1, created: '2018-02-01T12:00:00Z' }),
  ];
  const timers: DemoTimer[] = [
    timer({ node: 'ims', unit: 'postgres-backups.timer', schedule: at(2), cadence: daily([2, 0]), durationMs: 52_000, produces: 'ims-postgres', journal: ['wal_e.main INFO backup-push: complete'] }),
    timer({ node: 'ims', unit: 'ims-updates.timer', schedule: at(1), cadence: daily([1, 0]), durationMs: 4 * M, enabled: false, journal: ['import_all: done'] }),
    timer({ node: 'tracker', unit: 'tracker.timer', schedule: '*-*-* 06,18:00:00', cadence: daily([6, 0], [18, 0]), durationMs: 3 * M, journal: ['tracker: done'] }),
    timer({ node: 'sandbox', unit: 'docker-prune.timer', schedule: 'Mon *-*-* 05:00:00', cadence: { weekly: { day: 1, at: [5, 0] } }, durationMs: 8_000, journal: ['Total reclaimed space: 420MB'] }),
  ];
  const services: DemoService[] = [
    { service: 'nmpi', colour: 'blue', node: 'sandbox', image: 'cnrsunic/nmpi_queue_server:blue', version: '2.4.0 (32f594f)', ports: '8443:443', domain: 'nmpi-test.hbpneuromorphic.eu', live: true, startedAt: t0 - 2 * DAY },
    { service: 'nmpi', colour: 'green', node: 'sandbox', image: 'cnrsunic/nmpi_queue_server:green', version: '2.5.0-dev (c0ffee1)', ports: '9443:443', domain: 'nmpi-test.hbpneuromorphic.eu', live: false, startedAt: t0 - 40 * M },
  ];
  const sets: DemoSet[] = [
    { name: 'ims-postgres', kind: 'wal-e', location: 's3://ebisc-backups-test/ims/postgres/basebackups_005', maxAgeMs: 26 * H, producedBy: 'ims/postgres-backups.timer', baseCount: 7, sizeBytes: 310_000_000, manual: [] },
  ];
  const certs: DemoCert[] = [
    { domain: 'ims.test.ebisc.org', endpoint: '193.62.54.97:443', issuer: "Let's Encrypt (staging) Fake R3", notAfter: t0 + 45 * DAY, renewal: 'acme', group: 'bastion' },
  ];
  const secrets: SecretInfo[] = [
    { env: 'test', name: 'embassy-test-app-credential', store: 'keychain', state: 'set', referencedBy: ['clouds.embassy-test.auth.application_credential_secret'] },
    { env: 'test', name: 'digitalocean-token', store: 'keychain', state: 'unreadable', referencedBy: ['clouds.digitalocean.token'] },
    { env: 'test', name: 'AWS_SECRET_ACCESS_KEY', store: 'env', state: 'set', referencedBy: ['backups.store.secret_access_key'] },
  ];
  return { name: 'test', protect: false, nodes, generated: [], timers, generatedTimers: [], services, sets, certs, secrets, flakySources: {} };
}

const GENERATED_UNITS = ['postgres-backups.timer', 'duplicity-backups.timer', 'node-exporter-textfile.timer', 'docker-prune.timer', 'logrotate.timer'];
const GENERATED_SERVICES = Object.fromEntries(GENERATED_UNITS.map((u) => [u, u.replace(/\.timer$/, '.service')]));
const GENERATED_JOURNAL = ['started', 'finished'];
const CHUNK = 500;

/**
 * Extra nodes `node-0001`… with five timers each, so the Timers panel holds exactly `size`
 * rows: the load the table and the store are benchmarked with.
 */
function scale(env: DemoEnv, size: number, rng: Rng): void {
  let need = size - env.timers.length;
  let i = 0;
  while (need > 0) {
    i++;
    const name = `node-${String(i).padStart(4, '0')}`;
    env.generated.push({
      name,
      address: `10.${Math.floor(i / 250)}.${i % 250}.${intBetween(rng, 2, 254)}`,
      origin: 'embassy',
      region: 'extcloud03',
      size: pick(rng, ['m1.small', 'm1.medium', 'm1.large']),
      createdAt: new Date(Date.UTC(2020, 0, 1) + Math.floor(rng() * 6 * 365) * DAY),
      state: rng() < 0.01 ? 'stopped' : 'active',
      cores: pick(rng, [1, 2, 4]),
      baseLatencyMs: between(rng, 8, 60),
      load: between(rng, 0.05, 1.4),
      memUsedPct: between(rng, 20, 88),
      disk: { path: '/', usedPct: between(rng, 10, 92) },
      system: 'running',
      failedUnits: 0,
      reach: { kind: 'ok' },
    });
    const chunkIndex = Math.floor((i - 1) / CHUNK);
    let chunk = env.generatedTimers[chunkIndex];
    if (!chunk) {
      const first = chunkIndex * CHUNK + 1;
      chunk = { id: `timers@node-${String(first).padStart(4, '0')}-${String(first + CHUNK - 1).padStart(4, '0')}`, timers: [] };
      env.generatedTimers.push(chunk);
    }
    for (const unit of GENERATED_UNITS.slice(0, Math.min(need, GENERATED_UNITS.length))) {
      const h = intBetween(rng, 0, 23);
      const m = intBetween(rng, 0, 59);
      const fails = rng() < 0.02;
      const t: DemoTimer = { node: name, unit, service: GENERATED_SERVICES[unit]!, schedule: at(h, m), cadence: { daily: [[h, m]] }, durationMs: intBetween(rng, 800, 90_000), enabled: true, journal: GENERATED_JOURNAL };
      if (fails) t.failsWith = 1;
      chunk.timers.push(t);
      need--;
      if (fails) env.generated[env.generated.length - 1]!.failedUnits++;
    }
    const last = env.generated[env.generated.length - 1]!;
    if (last.failedUnits > 0) last.system = 'degraded';
  }
}

export function buildFleet(seed: number, t0: number, size?: number): DemoEnv[] {
  const rng = createRng(seed);
  const envs = [production(rng, t0), test(rng, t0)];
  if (size !== undefined) scale(envs[0]!, size, rng);
  return envs;
}
