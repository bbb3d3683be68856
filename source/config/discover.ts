/** Where the config file is: `-c FILE`, then OPSCONSOLE_CONFIG, then the XDG location. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `~` and `~/x` to the home directory (HOME from `env`, else the OS); other paths unchanged. */
export function expandHome(path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (path !== '~' && !path.startsWith('~/')) return path;
  const home = env['HOME'] || homedir();
  return path === '~' ? home : join(home, path.slice(2));
}

/** The default location: `$XDG_CONFIG_HOME/opsconsole/config.yaml` (XDG_CONFIG_HOME defaults to ~/.config). */
export function defaultConfigPath(env: NodeJS.ProcessEnv): string {
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env['XDG_CONFIG_HOME'];
  const base = xdg && xdg.startsWith('/') ? xdg : expandHome('~/.config', env);
  return join(base, 'opsconsole', 'config.yaml');
}

/**
 * The config path to load, in order: the `-c FILE` flag, OPSCONSOLE_CONFIG, the XDG default.
 * Always a path today, existing or not: loadConfig then says "no such file" with the hint to
 * run `opsconsole config init`, which writes to the same place. (The type keeps room for a
 * future "no home directory" case.)
 */
export function findConfigPath(opts: { flag?: string | undefined; env: NodeJS.ProcessEnv }): string | undefined {
  if (opts.flag) return expandHome(opts.flag, opts.env);
  const fromEnv = opts.env['OPSCONSOLE_CONFIG'];
  if (fromEnv) return expandHome(fromEnv, opts.env);
  return defaultConfigPath(opts.env);
}
