import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { EnvironmentConfig } from '../config/schema.ts';
import type { SecretRef } from '../config/secret-ref.ts';
import type { FleetOptions } from '../ssh/fleet.ts';
import { defaultOwnKnownHosts, defaultUserKnownHosts } from '../ssh/known-hosts.ts';
import { mergeSshHost, resolveSshHost, type SshHostSettings } from '../ssh/ssh-config.ts';
import { expandHome } from '../config/discover.ts';

export interface FleetOptionsInput {
  env: EnvironmentConfig;
  processEnv: NodeJS.ProcessEnv;
  /** Text of ~/.ssh/config, if any: config file values win over it. */
  sshConfigText?: string;
  passphrase: (ref: SecretRef) => Promise<string>;
}

const defaultIdentities = () =>
  ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(homedir(), '.ssh', f)).filter((f) => existsSync(f));

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

/** Hashes of (identity file, passphrase) pairs that decrypted: each pair is checked once per process. */
const decrypts = new Set<string>();

/**
 * The passphrase of an identity file, checked against the file before the SSH layer gets it:
 * a wrong one fails naming the secret reference it came from (never the value), where the SSH
 * layer alone can only say "wrong passphrase?" about the file. Costs one more key derivation
 * per file and value (cached). Files that cannot be read or parsed are left to the SSH layer.
 */
async function checkedPassphrase(identityFile: string, ref: SecretRef, value: string): Promise<string> {
  const id = createHash('sha256').update(identityFile).update('\0').update(value).digest('hex');
  if (decrypts.has(id)) return value;
  let data: Buffer;
  try {
    data = await readFile(identityFile);
  } catch {
    return value;
  }
  const { utils } = (await import('ssh2')).default;
  const parsed = utils.parseKey(data, value);
  if (parsed instanceof Error) {
    if (!/passphrase|integrity|decrypt/i.test(parsed.message)) return value;
    const fix = ref.store === 'keychain' ? `store the right one with \`opsconsole secrets set ${ref.name} -e ENV\`` : `set the variable ${ref.name} to the right one`;
    throw new Error(`cannot decrypt identity file ${identityFile} with the passphrase from ${ref.toString()}: it is not this key's passphrase; ${fix}`);
  }
  decrypts.add(id);
  return value;
}

/** Maps one environment of the config (plus ~/.ssh/config) to the SSH layer's plain options. */
export function fleetOptionsFor(input: FleetOptionsInput): FleetOptions {
  const { env, processEnv } = input;
  const ssh = env.ssh;
  const fromSsh = (alias: string): SshHostSettings => (input.sshConfigText ? resolveSshHost(input.sshConfigText, alias) : {});
  const passFor = (ref: SecretRef | undefined) =>
    ref ? (identityFile: string) => input.passphrase(ref).then((v) => checkedPassphrase(identityFile, ref, v)) : undefined;
  const identity = (file: string | undefined) => (file ? [expandHome(file, processEnv)] : []);

  let bastion: FleetOptions['bastion'];
  if (env.bastion) {
    const b = env.bastion;
    const s = mergeSshHost(
      { hostName: b.host, user: b.user ?? ssh?.user, port: b.port ?? ssh?.port, identityFiles: identity(b.identityFile ?? ssh?.identityFile) },
      fromSsh(b.name),
    );
    const pass = passFor(b.passphrase ?? ssh?.passphrase);
    bastion = {
      name: b.name,
      host: s.hostName ?? b.host,
      port: s.port ?? 22,
      user: s.user ?? localUser(),
      identityFiles: s.identityFiles?.length ? s.identityFiles : defaultIdentities(),
      ...(pass ? { passphrase: pass } : {}),
    };
  }
  const nodes: FleetOptions['nodes'] = env.nodes.map((n) => {
    const s = mergeSshHost(
      { hostName: n.address, user: n.user ?? ssh?.user, port: n.port ?? ssh?.port, identityFiles: identity(ssh?.identityFile) },
      fromSsh(n.name),
    );
    const pass = passFor(ssh?.passphrase);
    return {
      name: n.name,
      host: s.hostName ?? n.address,
      port: s.port ?? 22,
      user: s.user ?? localUser(),
      identityFiles: s.identityFiles?.length ? s.identityFiles : defaultIdentities(),
      via: n.via ?? (bastion ? 'bastion' : 'direct'),
      ...(pass ? { passphrase: pass } : {}),
    };
  });
  const knownHosts = [
    ...new Set([
      ...(ssh?.knownHosts ?? defaultUserKnownHosts()).map((f) => expandHome(f, processEnv)),
      ...(env.bastion?.knownHosts ?? []).map((f) => expandHome(f, processEnv)),
    ]),
  ];
  const agent = (ssh?.agent ?? true) ? processEnv.SSH_AUTH_SOCK : undefined;
  return {
    ...(bastion ? { bastion } : {}),
    nodes,
    knownHosts,
    ownKnownHosts: defaultOwnKnownHosts(processEnv),
    ...(agent ? { agent } : {}),
    maxSessions: ssh?.maxSessions ?? 10,
    connectTimeoutMs: ssh?.connectTimeout ?? 10_000,
    keepaliveIntervalMs: ssh?.keepaliveInterval ?? 1000,
    keepaliveCountMax: ssh?.keepaliveCountMax ?? 3,
  };
}
