import type { Backend } from '../app/backend.ts';
import type { KindId } from '../app/kind.ts';
import { compose, demoAuditPath, type Composition } from '../app/compose.ts';
import { UserError, errorMessage } from '../app/status.ts';
import { defaultAuditPath } from '../audit/log.ts';
import type { ParsedArgs } from './args.ts';
import type { LiveBackend } from '../live/backend.ts';
import type { LoadedConfig } from '../config/load.ts';

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
}

export const listCommands: Record<string, KindId> = {
  nodes: 'nodes',
  services: 'services',
  timers: 'timers',
  backups: 'backups',
  certs: 'certs',
  secrets: 'secrets',
  audit: 'audit',
};

export function useColor(io: Io): boolean {
  return Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
}

/** Demo fleet or live drivers from the config; the demo is imported only when asked for. */
export interface OpenedBackend {
  backend: Backend;
  auditPath: string;
  redact?: (t: string) => string;
  /** The live drivers, for commands that need more than the Backend (ssh, secrets). */
  live?: LiveBackend;
  loaded?: LoadedConfig;
}

export async function openBackend(args: ParsedArgs, io: Io): Promise<OpenedBackend> {
  if (args.options.demo) {
    const { createDemoBackend } = await import('../demo/backend.ts');
    return {
      backend: createDemoBackend({ ...(args.options.demoSize ? { size: args.options.demoSize } : {}) }),
      auditPath: demoAuditPath(io.env),
    };
  }
  const { findConfigPath } = await import('../config/discover.ts');
  const { loadConfig } = await import('../config/load.ts');
  const path = findConfigPath({ ...(args.options.config ? { flag: args.options.config } : {}), env: io.env });
  if (!path) {
    throw new UserError('no config file found', 'pass -c FILE, set OPSCONSOLE_CONFIG, run `opsconsole config init`, or try `opsconsole --demo`', 2);
  }
  const loaded = loadConfig(path);
  const { createLiveBackend } = await import('../live/backend.ts');
  const live = createLiveBackend(loaded, { env: io.env, noKeychain: args.options.noKeychain });
  return { backend: live.backend, auditPath: loaded.config.audit?.path ?? defaultAuditPath(io.env), redact: live.redact, live, loaded };
}

/**
 * For commands that need the live drivers of one environment (ssh, secrets, tunnel, journal):
 * refuses --demo with `demoRefusal`, resolves `-e` (default: the first environment).
 */
export async function openLive(args: ParsedArgs, io: Io, demoRefusal: { message: string; hint: string }): Promise<{ live: LiveBackend; loaded: LoadedConfig; env: string }> {
  if (args.options.demo) throw new UserError(demoRefusal.message, demoRefusal.hint, 2);
  const opened = await openBackend(args, io);
  const envs = opened.backend.environments();
  const env = args.options.env ?? envs[0]?.name;
  if (!env || !envs.some((e) => e.name === env)) throw new UserError(`unknown environment "${env}"`, `known: ${envs.map((e) => e.name).join(', ')}`, 2);
  return { live: opened.live!, loaded: opened.loaded!, env };
}

export async function openComposition(args: ParsedArgs, io: Io, opened?: OpenedBackend): Promise<Composition> {
  const { backend, auditPath, redact, live } = opened ?? (await openBackend(args, io));
  return compose({
    ...(live ? { shell: (env: string, node: string) => live.shellArgv(env, node) } : {}),
    backend,
    auditPath,
    readonly: args.options.readonly,
    ...(args.options.env ? { env: args.options.env } : {}),
    ...(redact ? { redact } : {}),
  });
}

/** Prints a user-facing error: one line and a hint, never a stack trace. */
export function reportError(err: unknown, io: Io): number {
  const formatted = (err as { format?: () => string }).format;
  if (typeof formatted === 'function' && (err as { name?: string }).name === 'ConfigError') {
    io.stderr.write(`${formatted.call(err)}\n`);
    return 2;
  }
  if (err instanceof UserError) {
    io.stderr.write(`opsconsole: ${err.message}\n`);
    if (err.hint) io.stderr.write(`  hint: ${err.hint}\n`);
    return err.exitCode;
  }
  io.stderr.write(`opsconsole: ${errorMessage(err)}\n`);
  if (io.env.OPSCONSOLE_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return 1;
}
