/**
 * Reads the user's OpenSSH client config (`~/.ssh/config`) with the `ssh-config` library, for
 * the few settings opsconsole uses. Values from opsconsole's own config always win.
 * Not supported: `Include` (not expanded by the library), `Match exec` (never run: untrusted).
 */
import SSHConfig from 'ssh-config';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';

export interface SshHostSettings {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles?: string[];
  /** First hop of `ProxyJump` (`[user@]host[:port]`), `none` mapped to undefined. */
  proxyJump?: string;
}

export function defaultSshConfigPath(): string {
  return join(homedir(), '.ssh', 'config');
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function all(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Expands `~` and the tokens `%d %h %r %u %%` in IdentityFile values. */
export function expandSshPath(p: string, tokens: { host: string; user?: string; localUser?: string }, home = homedir()): string {
  let s = p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p;
  s = s.replace(/%([%dhru])/g, (_m, t: string) => {
    switch (t) {
      case '%':
        return '%';
      case 'd':
        return home;
      case 'h':
        return tokens.host;
      case 'r':
        return tokens.user ?? tokens.localUser ?? '';
      default:
        return tokens.localUser ?? process.env.USER ?? '';
    }
  });
  return s;
}

/** Settings for `alias` from the text of an ssh_config file. Pure. */
export function resolveSshHost(configText: string, alias: string, home = homedir()): SshHostSettings {
  const parsed = SSHConfig.parse(configText);
  const c = parsed.compute(alias, { ignoreCase: true, matchExec: false });
  const out: SshHostSettings = {};
  const hostName = first(c.hostname);
  if (hostName) out.hostName = hostName.replace(/%h/g, alias);
  const user = first(c.user);
  if (user) out.user = user;
  const port = first(c.port);
  if (port !== undefined) {
    const n = Number(port);
    if (Number.isInteger(n) && n > 0 && n < 65536) out.port = n;
  }
  const ids = all(c.identityfile).filter((f) => f.toLowerCase() !== 'none');
  if (ids.length) out.identityFiles = ids.map((f) => expandSshPath(f, { host: out.hostName ?? alias, user: out.user }, home));
  const pj = first(c.proxyjump);
  if (pj && pj.toLowerCase() !== 'none') out.proxyJump = pj.split(',')[0]!.trim();
  return out;
}

/** Reads `~/.ssh/config` (or `path`); a missing file yields no settings. */
export async function readSshHost(alias: string, path = defaultSshConfigPath()): Promise<SshHostSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  return resolveSshHost(text, alias);
}

/** opsconsole's own values win; ssh_config fills the gaps. */
export function mergeSshHost(own: SshHostSettings, fromSshConfig: SshHostSettings): SshHostSettings {
  const out: SshHostSettings = { ...fromSshConfig };
  for (const [k, v] of Object.entries(own) as [keyof SshHostSettings, unknown][]) {
    if (v === undefined) continue;
    if (k === 'identityFiles' && Array.isArray(v) && v.length === 0) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Parses a `[user@]host[:port]` jump spec (also `[v6]:port`). */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  let rest = spec.replace(/^ssh:\/\//, '');
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let host = rest;
  let port: number | undefined;
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest) ?? /^([^:]+)(?::(\d+))?$/.exec(rest);
  if (m) {
    host = m[1]!;
    if (m[2]) port = Number(m[2]);
  }
  return { ...(user ? { user } : {}), host, ...(port ? { port } : {}) };
}
