/**
 * OpenSSH known_hosts: parsing, host-key checks and appending trusted keys.
 * Supports plain and comma-separated names, `[host]:port`, wildcards `*`/`?`, negation `!`,
 * hashed names `|1|salt|hash` (HMAC-SHA1(salt, name)), `@revoked` and `@cert-authority`
 * (CA lines are skipped: ssh2 does not do host certificates) and comments.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, fstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export type HostKeyCheck =
  | { state: 'known' }
  | { state: 'unknown'; fingerprint: string }
  | { state: 'changed'; expected: string[]; actual: string; revoked?: boolean };

export interface KnownHostsEntry {
  marker?: 'revoked' | 'cert-authority';
  /** Raw patterns field (comma list) or a single `|1|…` hashed entry. */
  patterns: string;
  keyType: string;
  key: Buffer;
  file?: string;
  line?: number;
}

const MAX_FILE = 4 * 1024 * 1024;

/** OpenSSH-style fingerprint: `SHA256:` + unpadded base64 of the SHA-256 of the key blob. */
export function fingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type stored at the start of an SSH wire-format key blob (`ssh-ed25519`, …). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) throw new TypeError('key blob too short');
  const n = keyBlob.readUInt32BE(0);
  if (n > 64 || 4 + n > keyBlob.length) throw new TypeError('malformed key blob');
  return keyBlob.subarray(4, 4 + n).toString('latin1');
}

export function parseKnownHosts(text: string, file?: string): KnownHostsEntry[] {
  const out: KnownHostsEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostsEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: ignore the line like OpenSSH
    }
    const [patterns, keyType, b64] = fields;
    if (!patterns || !keyType || !b64) return;
    if (!/^[A-Za-z0-9+/]+=*$/.test(b64)) return;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) return;
    out.push({ marker, patterns, keyType, key, file, line: i + 1 });
  });
  return out;
}

/** Reads known_hosts files; missing/unreadable/non-regular files are skipped (like OpenSSH). */
export function readKnownHostsFiles(files: readonly string[]): KnownHostsEntry[] {
  const out: KnownHostsEntry[] = [];
  for (const f of files) {
    const text = readSmallRegularFile(expandHome(f));
    if (text !== undefined) out.push(...parseKnownHosts(text, f));
  }
  return out;
}

function readSmallRegularFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_FILE) return undefined;
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

function hashedMatches(entry: string, name: string): boolean {
  const parts = entry.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1' || !parts[2] || !parts[3]) return false;
  const salt = Buffer.from(parts[2], 'base64');
  const want = Buffer.from(parts[3], 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return got.length === want.length && got.equals(want);
}

/** Does the patterns field of a line match this host? (OpenSSH `match_hostname` semantics.) */
export function patternsMatch(patterns: string, host: string, port: number): boolean {
  const name = hostLookupName(host, port);
  if (patterns.startsWith('|')) return hashedMatches(patterns, name);
  let matched = false;
  for (const p of patterns.split(',')) {
    if (p === '') continue;
    const negated = p.startsWith('!');
    const pat = negated ? p.slice(1) : p;
    if (globToRegExp(pat).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** Pure check against parsed entries. */
export function checkHostKeyIn(entries: readonly KnownHostsEntry[], host: string, port: number, keyBlob: Buffer): HostKeyCheck {
  const actual = fingerprint(keyBlob);
  const expected: string[] = [];
  let known = false;
  for (const e of entries) {
    if (e.marker === 'cert-authority') continue;
    if (!patternsMatch(e.patterns, host, port)) continue;
    if (e.marker === 'revoked') {
      if (e.key.equals(keyBlob)) return { state: 'changed', expected: [], actual, revoked: true };
      continue;
    }
    if (e.key.equals(keyBlob)) known = true;
    else expected.push(fingerprint(e.key));
  }
  if (known) return { state: 'known' };
  if (expected.length > 0) return { state: 'changed', expected: [...new Set(expected)], actual };
  return { state: 'unknown', fingerprint: actual };
}

/** Checks a host key against known_hosts files (read fresh on every call). */
export function checkHostKey(files: readonly string[], host: string, port: number, keyBlob: Buffer): HostKeyCheck {
  return checkHostKeyIn(readKnownHostsFiles(files), host, port, keyBlob);
}

/** Key types known for a host (so the client can prefer them in negotiation, as OpenSSH does). */
export function knownKeyTypes(files: readonly string[], host: string, port: number): string[] {
  const types = new Set<string>();
  for (const e of readKnownHostsFiles(files)) {
    if (e.marker) continue;
    if (patternsMatch(e.patterns, host, port)) types.add(e.keyType);
  }
  return [...types];
}

/** `$XDG_STATE_HOME/opsconsole/known_hosts` (default `~/.local/state/opsconsole/known_hosts`). */
export function defaultOwnKnownHosts(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'opsconsole', 'known_hosts');
}

/** Default user files OpenSSH reads. */
export function defaultUserKnownHosts(): string[] {
  return [join(homedir(), '.ssh', 'known_hosts'), join(homedir(), '.ssh', 'known_hosts2')];
}

export function knownHostsLine(host: string, port: number, keyBlob: Buffer): string {
  if (/[\s,]/.test(host) || host === '') throw new TypeError(`invalid host name for known_hosts: ${JSON.stringify(host)}`);
  return `${hostLookupName(host, port)} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}`;
}

/**
 * Appends `host key` to opsconsole's own known_hosts file (created 0600, folder 0700).
 * Never rewrites existing lines.
 */
export function trustHostKey(file: string, host: string, port: number, keyBlob: Buffer): void {
  const path = expandHome(file);
  const line = knownHostsLine(host, port, keyBlob);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const existing = readSmallRegularFile(path);
  const sep = existing && !existing.endsWith('\n') ? '\n' : '';
  appendFileSync(path, `${sep}${line}\n`, { mode: 0o600 });
}

export function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return p;
}
