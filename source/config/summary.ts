/** What `opsconsole config check` prints, and the list of secret references the config uses. */
import { SecretRef } from './secret-ref.ts';
import type { Config, EnvironmentConfig } from './schema.ts';
import type { LoadedConfig } from './load.ts';

export interface SecretUse {
  ref: SecretRef;
  env: string;
  /** Where in the environment, by names rather than indexes: `services.nmpi.secrets.DB_PASSWORD`. */
  usedAt: string;
}

function segmentOf(item: unknown, index: number): string {
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    for (const k of ['name', 'domain', 'unit'] as const) if (typeof o[k] === 'string') return o[k];
  }
  return String(index);
}

function walk(value: unknown, at: string[], out: (ref: SecretRef, at: string[]) => void): void {
  if (value instanceof SecretRef) out(value, at);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, segmentOf(v, i)], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...at, k], out);
}

/** Every secret reference in the config (or in one environment), in file order. */
export function secretRefsOf(config: Config, env?: string): SecretUse[] {
  const uses: SecretUse[] = [];
  for (const [name, e] of Object.entries(config.environments)) {
    if (env !== undefined && name !== env) continue;
    walk(e, [], (ref, at) => uses.push({ ref, env: name, usedAt: at.join('.') }));
  }
  return uses;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function bastionText(e: EnvironmentConfig): string {
  const b = e.bastion;
  if (!b) return 'no bastion';
  const user = b.user ?? e.ssh.user;
  const named = b.name === 'bastion' ? '' : ` ${b.name}`;
  return `bastion${named} ${user ? `${user}@` : ''}${b.host}:${b.port ?? e.ssh.port ?? 22}`;
}

/** Lines for `opsconsole config check`: one block of three lines per environment. */
export function summarizeConfig(loaded: LoadedConfig): string {
  // No header line: `config check` prints "PATH: ok" itself.
  const lines: string[] = [];
  for (const [name, e] of Object.entries(loaded.config.environments)) {
    lines.push(`${name}${e.protect ? ' (protected)' : ''}: ${bastionText(e)}`);
    lines.push(
      '  ' +
        [
          count(e.nodes.length, 'node'),
          count(e.clouds.length, 'cloud'),
          count(e.services.length, 'service'),
          count(e.backups.length, 'backup set'),
          count(e.certificates.length, 'certificate'),
          count(e.tunnels.length, 'tunnel'),
        ].join(', '),
    );
    const refs = [...new Set(secretRefsOf(loaded.config, name).map((u) => u.ref.toString()))];
    lines.push(`  secrets: ${refs.length ? refs.join(', ') : 'none'}`);
  }
  return lines.join('\n') + '\n';
}
