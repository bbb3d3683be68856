/**
 * The configuration schema: one zod schema gives the parsed, typed config (durations in
 * milliseconds, secrets as SecretRef), the JSON Schema for editors and the README reference.
 * Cross-reference checks (unknown node, duplicate name, …) run here too, so every issue
 * carries a path that load.ts maps back to a line and column.
 */
import { z } from 'zod';
import { SecretRef } from './secret-ref.ts';

// ---------------------------------------------------------------------------------------------
// Scalars

const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_RE = /^(?:\d+(?:ms|s|m|h|d))+$/;

/** `500ms`, `10s`, `5m`, `26h`, `2d`, or a sequence such as `1h30m`, to milliseconds. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_RE.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(m[1]) * DURATION_UNITS[m[2] as keyof typeof DURATION_UNITS];
  }
  return total;
}

export const duration = () =>
  z
    .string({ error: 'a duration such as 10s, 500ms, 26h or 2d' })
    .refine((s) => DURATION_RE.test(s), {
      error: (iss) => `invalid duration ${JSON.stringify(iss.input)}`,
      params: { hint: 'write a number and a unit with no space: 500ms, 10s, 5m, 26h, 2d (or 1h30m)' },
    })
    .meta({ pattern: DURATION_RE.source })
    .transform((s) => parseDuration(s)!);

export const SECRET_HINT = 'write keychain:NAME or env:NAME; set it with `opsconsole secrets set NAME`';
export const SECRET_TYPE_MESSAGE = 'a secret reference (keychain:NAME or env:NAME)';
export const SECRET_REF_RE = /^(keychain|env):([A-Za-z0-9][A-Za-z0-9._-]*)$/;

export const secretRef = () =>
  z
    .string({ error: SECRET_TYPE_MESSAGE })
    .refine((s) => SecretRef.parse(s) !== undefined, {
      // Never echo the input: it may be the secret itself.
      error: (iss) => {
        const store = /^([a-z]{2,12}):/.exec(String(iss.input))?.[1];
        if (store === 'keychain' || store === 'env') return `invalid secret name after "${store}:"`;
        if (store) return `unknown secret store "${store}"`;
        return 'a secret must be a reference, not the value itself';
      },
      params: { hint: SECRET_HINT },
    })
    .meta({ pattern: SECRET_REF_RE.source })
    .transform((s) => SecretRef.parse(s)!);

/** A string matching `re`: a refinement (so the issue can carry a hint) plus the pattern for JSON Schema. */
function matches(re: RegExp, opts: { error: (iss: { input: unknown }) => string; params?: { hint: string } }) {
  return z.string().refine((s) => re.test(s), { error: opts.error, params: opts.params }).meta({ pattern: re.source });
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const ENV_NAME_RE = /^[a-z0-9][a-z0-9-]*$/;
export const UNIT_RE = /^[A-Za-z0-9:_.@-]+\.(service|timer|target|socket|path|mount)$/;

const name = (what: string) =>
  matches(NAME_RE, { error: (iss) => `invalid ${what} name ${JSON.stringify(iss.input)}`, params: { hint: 'use letters, digits, ".", "_" and "-", starting with a letter or digit' } });

/** A name that must match another entry (a node, a store, …); checked after parsing. */
const refName = (what: string) => z.string().min(1, { error: `${what} must not be empty` });

const unit = () =>
  matches(UNIT_RE, {
    error: (iss) => `invalid systemd unit name ${JSON.stringify(iss.input)}`,
    params: { hint: 'a unit is NAME.service, NAME.timer, NAME.target, NAME.socket, NAME.path or NAME.mount with letters, digits and :_.@-' },
  });

const port = () => z.number().int().min(1).max(65535);
const host = () =>
  matches(/^[A-Za-z0-9.:_\[\]-]+$/, { error: (iss) => `invalid host ${JSON.stringify(iss.input)}`, params: { hint: 'a host name or an IP address' } });
const path = () => z.string().min(1);
const via = () => z.enum(['bastion', 'direct']);

// ---------------------------------------------------------------------------------------------
// Objects

const level = (warn: number, critical: number) =>
  z
    .object({
      warn: z.number().default(warn).describe('warning level'),
      critical: z.number().default(critical).describe('critical level'),
    })
    .strict()
    .prefault({});

export const thresholdsSchema = z
  .object({
    disk: level(80, 90).describe('used disk space, percent'),
    inodes: level(80, 90).describe('used inodes, percent'),
    memoryAvailable: level(10, 5).describe('available memory, percent (lower is worse)'),
    loadPerCore: level(2, 4).describe('load average per core'),
  })
  .strict();

const partialLevel = z.object({ warn: z.number().optional().describe('warning level'), critical: z.number().optional().describe('critical level') }).strict();
export const nodeThresholdsSchema = z
  .object({
    disk: partialLevel.optional().describe('used disk space, percent'),
    inodes: partialLevel.optional().describe('used inodes, percent'),
    memoryAvailable: partialLevel.optional().describe('available memory, percent'),
    loadPerCore: partialLevel.optional().describe('load average per core'),
  })
  .strict();

const sshCommon = {
  user: z.string().min(1).optional().describe('login user'),
  port: port().optional().describe('SSH port (default 22)'),
  identityFile: path().optional().describe('private key file; `~` is expanded'),
  passphrase: secretRef().optional().describe('passphrase of the identity file (secret reference)'),
  knownHosts: z.array(path()).optional().describe('known_hosts files (hashed entries are read too)'),
};

export const bastionSchema = z
  .object({
    name: name('bastion').default('bastion').describe('name of the bastion; usable as a node name'),
    host: host().describe('address of the bastion'),
    ...sshCommon,
  })
  .strict();

export const sshSchema = z
  .object({
    ...sshCommon,
    agent: z.boolean().default(true).describe('use ssh-agent (SSH_AUTH_SOCK) when present'),
    maxSessions: z.number().int().min(1).default(10).describe('channels per connection (sshd MaxSessions)'),
    connectTimeout: duration().prefault('10s').describe('timeout to connect and log in'),
    keepaliveInterval: duration().prefault('1s').describe('keepalive interval'),
    keepaliveCountMax: z.number().int().min(1).default(3).describe('missed keepalives before a connection counts as dead'),
  })
  .strict();

const prefixesSchema = z
  .object({
    terraform: z.string().default('tf-').describe('prefix of nodes made by Terraform (destroy refused unless forced)'),
    software: z.string().default('os-').describe('prefix of nodes made by software'),
    personal: z.array(z.string().min(1)).default([]).describe('personal prefixes'),
  })
  .strict();

const cloudCommon = {
  name: name('cloud').describe('name of this cloud entry'),
  region: z.string().min(1).optional().describe('region'),
  prefixes: prefixesSchema.prefault({}).describe('node naming classes by name prefix'),
  network: z.string().min(1).optional().describe('preferred network for node addresses'),
};

export const openstackCloudSchema = z
  .object({
    kind: z.literal('openstack').describe('OpenStack (Keystone v3, Nova)'),
    ...cloudCommon,
    cloud: z.string().min(1).optional().describe('entry in clouds.yaml (else OS_* variables or the fields below)'),
    authUrl: z.url().optional().describe('Keystone v3 URL'),
    username: z.string().min(1).optional().describe('Keystone user'),
    password: secretRef().optional().describe('secret reference'),
    project: z.string().min(1).optional().describe('project (tenant) name'),
    userDomain: z.string().min(1).optional().describe('user domain'),
    projectDomain: z.string().min(1).optional().describe('project domain'),
    interface: z.enum(['public', 'internal', 'admin']).optional().describe('catalog interface'),
    applicationCredential: z
      .object({ id: z.string().min(1).describe('application credential id'), secret: secretRef().describe('its secret (secret reference)') })
      .strict()
      .optional()
      .describe('application credential id and secret reference'),
  })
  .strict();

export const digitaloceanCloudSchema = z
  .object({
    kind: z.literal('digitalocean').describe('DigitalOcean API v2'),
    ...cloudCommon,
    token: secretRef().optional().describe('API token (default DIGITALOCEAN_ACCESS_TOKEN)'),
  })
  .strict();

export const cloudSchema = z.discriminatedUnion('kind', [openstackCloudSchema, digitaloceanCloudSchema], {
  error: (iss) =>
    iss.code === 'invalid_union' && iss.input && typeof iss.input === 'object' && !('kind' in iss.input)
      ? 'a cloud needs a kind: openstack or digitalocean'
      : 'kind must be openstack or digitalocean',
});

export const nodeSchema = z
  .object({
    name: name('node').describe('name of the node, unique in its environment'),
    address: host().describe('address as seen from the bastion (or directly)'),
    user: z.string().min(1).optional().describe('login user (default ssh.user)'),
    port: port().optional().describe('SSH port (default ssh.port or 22)'),
    role: z.string().min(1).optional().describe('free text role, e.g. app, db'),
    ports: z.array(port()).default([]).describe('service ports on this node'),
    via: via().optional().describe('bastion (default when there is one) or direct'),
    thresholds: nodeThresholdsSchema.optional().describe('overrides of the environment thresholds'),
  })
  .strict();

export const routerSchema = z
  .object({
    name: name('router').describe('name services refer to'),
    kind: z.literal('nginx').describe('only nginx for now'),
    node: refName('router node').describe('node running the proxy (usually the bastion)'),
    upstreamDir: path().describe('directory of the upstream include files'),
    reload: z.string().min(1).default('nginx -s reload').describe('command reloading the proxy'),
    test: z.string().min(1).default('nginx -t').describe('command testing the proxy configuration'),
  })
  .strict();

const colourSchema = z
  .object({ node: refName('colour node').describe('node running this colour'), port: port().describe('host port of this colour') })
  .strict();

const ENV_VAR_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envVarKey = z.string().regex(ENV_VAR_RE, { error: (iss) => `invalid environment variable name ${JSON.stringify(iss.input)}` });

export const serviceSchema = z
  .object({
    name: name('service').describe('name of the service, unique in its environment'),
    image: z.string().min(1).describe('Docker image without tag'),
    router: refName('router').optional().describe('router that switches the colours'),
    colours: z
      .object({ blue: colourSchema.describe('the blue colour'), green: colourSchema.describe('the green colour') })
      .strict()
      .describe('node and port of each colour'),
    health: z
      .object({
        path: z.string().startsWith('/').default('/').describe('HTTP path'),
        expect: z.number().int().min(100).max(599).default(200).describe('expected status'),
        timeout: duration().prefault('5s').describe('time allowed for one check'),
        interval: duration().prefault('1s').describe('time between checks'),
      })
      .strict()
      .prefault({})
      .describe('health check of a colour'),
    env: z.record(envVarKey, z.string()).default({}).describe('environment variables (plain values)'),
    secrets: z.record(envVarKey, secretRef()).default({}).describe('environment variables from secret references'),
    domain: z.string().min(1).optional().describe('public domain served by the router'),
  })
  .strict();

export const objectStoreSchema = z
  .object({
    name: name('object store').describe('name backup sets refer to'),
    endpoint: z.url().describe('S3 endpoint URL (else AWS_ENDPOINT_URL_S3)').optional(),
    region: z.string().min(1).default('us-east-1').describe('S3 region'),
    accessKeyId: secretRef().optional().describe('secret reference (else the AWS credential chain)'),
    secretAccessKey: secretRef().optional().describe('secret reference (else the AWS credential chain)'),
    via: via().optional().describe('bastion (default when there is one) or direct'),
    forcePathStyle: z.boolean().default(true).describe('path-style bucket addressing'),
  })
  .strict();

export const BACKUP_KINDS = ['wal-g', 'wal-e', 'pg_dump', 'mongodump', 'duplicity', 'files'] as const;

export const backupSetSchema = z
  .object({
    name: name('backup set').describe('name of the backup set, unique in its environment'),
    kind: z.enum(BACKUP_KINDS).describe('tool that writes the backups (sets the key layout)'),
    store: refName('object store').describe('name of an objectStores entry'),
    bucket: z.string().min(1).describe('bucket name'),
    prefix: z.string().default('').describe('key prefix inside the bucket'),
    maxAge: duration().describe('the newest backup must be younger than this'),
    producedBy: z
      .object({ node: refName('node').describe('node running the unit'), unit: unit().describe('systemd unit, e.g. postgres-backups.timer') })
      .strict()
      .optional()
      .describe('unit that makes the backups (node and unit)'),
    restore: z
      .object({
        node: refName('node').describe('node with the database'),
        database: z.string().min(1).describe('database name'),
        excludeSchemas: z.array(z.string().min(1)).default([]).describe('schemas left out of a restore'),
      })
      .strict()
      .optional()
      .describe('default restore target'),
  })
  .strict();

export const timerLinkSchema = z
  .object({
    node: refName('node').describe('node running the timer'),
    unit: unit().describe('timer unit, e.g. postgres-backups.timer'),
    backup: refName('backup set').optional().describe('backup set this timer produces'),
  })
  .strict();

export const certificateSchema = z
  .object({
    domain: z
      .string()
      .regex(/^(\*\.)?[A-Za-z0-9.-]+$/, { error: (iss) => `invalid domain ${JSON.stringify(iss.input)}` })
      .describe('domain the certificate is for'),
    endpoint: matches(/^[A-Za-z0-9.:_\[\]-]+:\d+$/, { error: (iss) => `invalid endpoint ${JSON.stringify(iss.input)}`, params: { hint: 'write HOST:PORT, e.g. 193.62.54.96:443' } })
      .optional()
      .describe('HOST:PORT to probe (default DOMAIN:443)'),
    via: via().default('direct').describe('probe directly or through the bastion'),
    renewal: z.enum(['acme', 'certbot', 'manual']).default('manual').describe('how the certificate is renewed'),
    acme: z
      .object({
        directory: z.url().describe('ACME directory URL'),
        email: z.email().optional().describe('account contact'),
        webroot: path().describe('challenge directory on the router node'),
        accountKey: secretRef().optional().describe('account key (secret reference)'),
      })
      .strict()
      .optional()
      .describe('ACME account and http-01 webroot (renewal: acme)'),
    node: refName('node').optional().describe('node holding the certificate files (default the bastion)'),
    certPath: path().optional().describe('certificate file on that node'),
    keyPath: path().optional().describe('key file on that node'),
    warnDays: z.number().int().min(0).default(14).describe('warning when fewer days are left'),
    criticalDays: z.number().int().min(0).default(7).describe('critical when fewer days are left'),
  })
  .strict();

export const tunnelSchema = z
  .object({
    name: name('tunnel').describe('name of the tunnel'),
    node: refName('node').describe('node to forward to'),
    port: port().describe('remote port on the node'),
    localPort: port().optional().describe('local port (default: the same as port, else any free)'),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Environment and cross-references

const environmentShape = z
  .object({
    protect: z.boolean().default(false).describe('destructive actions need the name typed; red frame'),
    refresh: duration().optional().describe('poll interval (default defaults.refresh)'),
    bastion: bastionSchema.optional().describe('SSH jump host'),
    ssh: sshSchema.prefault({}).describe('SSH settings for the nodes'),
    clouds: z.array(cloudSchema).default([]).describe('OpenStack and DigitalOcean accounts'),
    nodes: z.array(nodeSchema).default([]).describe('nodes by name and address'),
    thresholds: thresholdsSchema.prefault({}).describe('vitals thresholds'),
    routers: z.array(routerSchema).default([]).describe('blue/green proxies'),
    services: z.array(serviceSchema).default([]).describe('blue/green Docker services'),
    objectStores: z.array(objectStoreSchema).default([]).describe('S3-compatible stores'),
    backups: z.array(backupSetSchema).default([]).describe('backup sets'),
    timers: z.array(timerLinkSchema).default([]).describe('links from systemd timers to backup sets'),
    certificates: z.array(certificateSchema).default([]).describe('TLS certificates to watch and renew'),
    tunnels: z.array(tunnelSchema).default([]).describe('port forwards through the bastion'),
  })
  .strict();

type EnvShape = z.output<typeof environmentShape>;
type Ctx = z.RefinementCtx<EnvShape>;

function checkUnique(ctx: Ctx, list: readonly unknown[], key: string, field: string, what: string): void {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const value = (item as Record<string, unknown>)[field] as string;
    const first = seen.get(value);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: [key, i, field], message: `duplicate ${what} "${value}" (first at ${key}[${first}])`, params: { hint: `${what} names must be unique within an environment` } });
    } else seen.set(value, i);
  });
}

function checkRef(ctx: Ctx, known: Set<string>, value: string | undefined, path: (string | number)[], what: string): void {
  if (value === undefined || known.has(value)) return;
  const list = [...known];
  ctx.addIssue({
    code: 'custom',
    path,
    message: `unknown ${what} "${value}"`,
    params: { hint: list.length ? `known ${what}s: ${list.join(', ')}` : `this environment has no ${what}s`, suggest: list },
  });
}

function crossCheck(env: EnvShape, ctx: Ctx): void {
  checkUnique(ctx, env.nodes, 'nodes', 'name', 'node');
  checkUnique(ctx, env.clouds, 'clouds', 'name', 'cloud');
  checkUnique(ctx, env.routers, 'routers', 'name', 'router');
  checkUnique(ctx, env.services, 'services', 'name', 'service');
  checkUnique(ctx, env.objectStores, 'objectStores', 'name', 'object store');
  checkUnique(ctx, env.backups, 'backups', 'name', 'backup set');
  checkUnique(ctx, env.certificates, 'certificates', 'domain', 'certificate');
  checkUnique(ctx, env.tunnels, 'tunnels', 'name', 'tunnel');

  const nodes = new Set(env.nodes.map((n) => n.name));
  if (env.bastion) {
    const i = env.nodes.findIndex((n) => n.name === env.bastion!.name);
    if (i >= 0) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'name'], message: `node "${env.bastion.name}" has the name of the bastion`, params: { hint: 'rename the node or the bastion' } });
    nodes.add(env.bastion.name);
  }
  const routers = new Set(env.routers.map((r) => r.name));
  const stores = new Set(env.objectStores.map((s) => s.name));
  const backups = new Set(env.backups.map((b) => b.name));

  env.nodes.forEach((n, i) => {
    if (n.via === 'bastion' && !env.bastion) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'via'], message: 'via: bastion but this environment has no bastion', params: { hint: 'add a bastion or write via: direct' } });
  });
  env.routers.forEach((r, i) => checkRef(ctx, nodes, r.node, ['routers', i, 'node'], 'node'));
  env.services.forEach((s, i) => {
    checkRef(ctx, routers, s.router, ['services', i, 'router'], 'router');
    checkRef(ctx, nodes, s.colours.blue.node, ['services', i, 'colours', 'blue', 'node'], 'node');
    checkRef(ctx, nodes, s.colours.green.node, ['services', i, 'colours', 'green', 'node'], 'node');
  });
  env.objectStores.forEach((s, i) => {
    if (s.via === 'bastion' && !env.bastion) ctx.addIssue({ code: 'custom', path: ['objectStores', i, 'via'], message: 'via: bastion but this environment has no bastion', params: { hint: 'add a bastion or write via: direct' } });
  });
  env.backups.forEach((b, i) => {
    checkRef(ctx, stores, b.store, ['backups', i, 'store'], 'object store');
    checkRef(ctx, nodes, b.producedBy?.node, ['backups', i, 'producedBy', 'node'], 'node');
    checkRef(ctx, nodes, b.restore?.node, ['backups', i, 'restore', 'node'], 'node');
  });
  env.timers.forEach((t, i) => {
    checkRef(ctx, nodes, t.node, ['timers', i, 'node'], 'node');
    checkRef(ctx, backups, t.backup, ['timers', i, 'backup'], 'backup set');
  });
  env.certificates.forEach((c, i) => {
    checkRef(ctx, nodes, c.node, ['certificates', i, 'node'], 'node');
    if (c.renewal === 'acme' && !c.acme) ctx.addIssue({ code: 'custom', path: ['certificates', i, 'renewal'], message: 'renewal: acme needs an acme section', params: { hint: 'add acme: { directory, webroot } or write renewal: certbot | manual' } });
    if (c.via === 'bastion' && !env.bastion) ctx.addIssue({ code: 'custom', path: ['certificates', i, 'via'], message: 'via: bastion but this environment has no bastion', params: { hint: 'add a bastion or write via: direct' } });
  });
  env.tunnels.forEach((t, i) => checkRef(ctx, nodes, t.node, ['tunnels', i, 'node'], 'node'));
}

/** Fill in what depends on other fields: `via` defaults to bastion when there is one. */
function settle(env: EnvShape) {
  const defaultVia = env.bastion ? ('bastion' as const) : ('direct' as const);
  return {
    ...env,
    nodes: env.nodes.map((n) => ({ ...n, via: n.via ?? defaultVia })),
    objectStores: env.objectStores.map((s) => ({ ...s, via: s.via ?? defaultVia })),
  };
}

export const environmentSchema = environmentShape.superRefine(crossCheck).transform(settle);

export const configSchema = z
  .object({
    $schema: z.string().optional().describe('JSON Schema URL for editors (ignored)'),
    defaults: z
      .object({ refresh: duration().prefault('10s').describe('poll interval') })
      .strict()
      .prefault({})
      .describe('defaults for all environments'),
    audit: z
      .object({ path: path().optional().describe('audit log file (JSON lines)') })
      .strict()
      .prefault({})
      .describe('audit log'),
    environments: z
      .record(
        matches(ENV_NAME_RE, {
          error: (iss) => `invalid environment name ${JSON.stringify(iss.input)}`,
          params: { hint: 'environment names use lower-case letters, digits and "-"' },
        }),
        environmentSchema,
      )
      .refine((envs) => Object.keys(envs).length > 0, {
        error: 'no environments',
        params: { hint: 'add at least one environment, e.g. environments: { production: { nodes: [...] } }' },
      })
      .meta({ minProperties: 1 })
      .describe('environments by name ([a-z0-9-]), e.g. production, test'),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Types

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type NodeConfig = EnvironmentConfig['nodes'][number];
export type BastionConfig = z.output<typeof bastionSchema>;
export type SshConfig = z.output<typeof sshSchema>;
export type CloudConfig = z.output<typeof cloudSchema>;
export type OpenStackCloudConfig = z.output<typeof openstackCloudSchema>;
export type DigitalOceanCloudConfig = z.output<typeof digitaloceanCloudSchema>;
export type RouterConfig = z.output<typeof routerSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type ObjectStoreConfig = EnvironmentConfig['objectStores'][number];
export type BackupSetConfig = z.output<typeof backupSetSchema>;
export type BackupKind = (typeof BACKUP_KINDS)[number];
export type TimerLinkConfig = z.output<typeof timerLinkSchema>;
export type CertificateConfig = z.output<typeof certificateSchema>;
export type TunnelConfig = z.output<typeof tunnelSchema>;
export type Thresholds = z.output<typeof thresholdsSchema>;
export type NodeThresholds = z.output<typeof nodeThresholdsSchema>;
export type ThresholdLevel = Thresholds['disk'];

/** The environment thresholds with a node's overrides applied. */
export function thresholdsFor(env: EnvironmentConfig, node: NodeConfig): Thresholds {
  const t = node.thresholds ?? {};
  const merge = (k: keyof Thresholds): ThresholdLevel => ({ ...env.thresholds[k], ...stripUndefined(t[k] ?? {}) });
  return { disk: merge('disk'), inodes: merge('inodes'), memoryAvailable: merge('memoryAvailable'), loadPerCore: merge('loadPerCore') };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Poll interval of an environment in milliseconds. */
export function refreshOf(config: Config, env: string): number {
  return config.environments[env]?.refresh ?? config.defaults.refresh;
}
