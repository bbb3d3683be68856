/**
 * The OS keychain as a store of `keychain:NAME` secrets: service `opsconsole`, account
 * `ENV/NAME`, on Linux pinned to the Secret Service (never the kernel keyring, which
 * @napi-rs/keyring otherwise falls back to silently when D-Bus is missing: LAB.md).
 *
 * Every call runs in a short-lived child process that the parent kills after a timeout: a
 * locked keyring with nobody to answer its prompt, or a D-Bus that never replies, blocks the
 * calling thread inside the native addon and even `process.exit` (LAB.md "OS keychain").
 *
 * How the worker is launched: `node -e WORKER_SOURCE KEYRING_PATH` with the inline script
 * below, and `@napi-rs/keyring` resolved by the parent with `createRequire(import.meta.url)`.
 * This works the same from the TypeScript sources (vitest, tsx) and from the esbuild bundle,
 * where the package stays external in node_modules (bin/build.js), and it needs no hidden
 * argv flag in bin/. `spawn` (not `fork`) so that loaders in execArgv (tsx) are not
 * inherited. The request, including a value to store, goes over the child's stdin; the
 * reply comes back as one JSON line on its stdout. Values never appear in argv or env.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export const KEYCHAIN_SERVICE = 'opsconsole';
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 5000;

export type KeychainErrorReason = 'timeout' | 'locked' | 'unavailable' | 'invalid' | 'failed';

export class KeychainError extends Error {
  override readonly name = 'KeychainError';
  constructor(
    message: string,
    readonly reason: KeychainErrorReason = 'failed',
  ) {
    super(message);
  }
}

export const TIMEOUT_MESSAGE = 'keychain did not answer: is it locked?';
export const UNAVAILABLE_MESSAGE =
  'no Secret Service on D-Bus: install gnome-keyring (or KeePassXC) and start it, or run with --no-keychain to use env: references only';
export const LOCKED_MESSAGE =
  'the keychain is locked: unlock it (log in to the desktop session, or open Seahorse/KeePassXC) and try again, or run with --no-keychain to use env: references only';

export interface KeychainEntryId {
  env: string;
  name: string;
}

export interface Keychain {
  get(env: string, name: string): Promise<string | undefined>;
  set(env: string, name: string, value: string): Promise<void>;
  /** `true` if a value was deleted, `false` if there was none. */
  delete(env: string, name: string): Promise<boolean>;
  /** Names stored for one environment, or for all; never values. */
  list(env?: string): Promise<KeychainEntryId[]>;
}

export interface KeychainOptions {
  /** Kill the worker and fail after this long (default 5 s). */
  timeoutMs?: number;
  /** Environment of the worker (DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR …); default process.env. */
  env?: NodeJS.ProcessEnv;
}

type Request =
  | { op: 'get'; service: string; account: string }
  | { op: 'set'; service: string; account: string; value: string }
  | { op: 'delete'; service: string; account: string }
  | { op: 'list'; service: string };

type Reply = { ok: true; result: unknown } | { ok: false; message: string };

/**
 * The worker, CommonJS for `node -e`. Reads one JSON request from stdin, answers one JSON line.
 * A locked Secret Service collection hides its items: getPassword() then returns null and
 * deleteCredential() false, as if nothing were stored. findCredentials() does see the locked
 * items (and fails with IsLocked), so a "not found" is double-checked with it.
 */
const WORKER_SOURCE = String.raw`
'use strict';
const k = require(process.argv[1]);
const opts = { linux: { store: 'secret-service' } };
const chain = (e) => {
  const out = [];
  for (let c = e, i = 0; c && i < 5; c = c.cause, i++) { const m = String(c.message || c); if (!out.some((o) => o.includes(m))) out.push(m); }
  return out.join(': ');
};
const lockedCheck = (service) => {
  try { k.findCredentials(service); } catch (e) { if (/IsLocked|locked/i.test(chain(e))) throw new Error('IsLocked: ' + chain(e)); }
};
const run = (q) => {
  // Constructing a pinned Entry connects to the Secret Service and throws if it is absent.
  const entry = new k.Entry(q.service, q.account === undefined ? '.probe' : q.account, opts);
  switch (q.op) {
    case 'get': { const v = entry.getPassword(); if (v === null || v === undefined) { lockedCheck(q.service); return null; } return v; }
    case 'set': entry.setPassword(q.value); return null;
    case 'delete': { const d = entry.deleteCredential(); if (!d) lockedCheck(q.service); return d; }
    case 'list': return k.findCredentials(q.service).map((c) => c.account);
    default: throw new Error('unknown op ' + q.op);
  }
};
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  let reply;
  try { reply = { ok: true, result: run(JSON.parse(input)) }; }
  catch (e) { reply = { ok: false, message: chain(e) }; }
  process.stdout.write(JSON.stringify(reply) + '\n', () => process.exit(0));
});
`;

let keyringPath: string | undefined;
function resolveKeyring(): string {
  if (keyringPath === undefined) {
    try {
      keyringPath = createRequire(import.meta.url).resolve('@napi-rs/keyring');
    } catch {
      throw new KeychainError('@napi-rs/keyring is not installed: reinstall opsconsole (npm install)', 'unavailable');
    }
  }
  return keyringPath;
}

/** Maps a worker failure to an error that says what to do. */
export function classifyKeychainFailure(message: string): KeychainError {
  if (/IsLocked|prompt was dismissed|is locked/i.test(message)) return new KeychainError(LOCKED_MESSAGE, 'locked');
  // The D-Bus client's own reply timeout (~2 s, shorter than ours) on a Secret Service that never answers.
  if (/Did not receive a reply|org\.freedesktop\.DBus\.Error\.NoReply/i.test(message)) return new KeychainError(TIMEOUT_MESSAGE, 'timeout');
  if (
    /Failed to connect|ServiceUnknown|not provided by any \.service|NameHasNoOwner|autolaunch|DBUS_SESSION_BUS_ADDRESS|Connection refused|No such file or directory|no secret service|Unavailable platform/i.test(
      message,
    )
  ) {
    return new KeychainError(`${UNAVAILABLE_MESSAGE} (${message})`, 'unavailable');
  }
  return new KeychainError(`keychain error: ${message}`, 'failed');
}

const WORKER_ENV = /^(DBUS_.*|XDG_.*|HOME|USER|LOGNAME|LANG|LANGUAGE|LC_.*|PATH|Path|TMPDIR|TMP|TEMP|DISPLAY|WAYLAND_DISPLAY|SystemRoot|SYSTEMROOT|windir|USERPROFILE|APPDATA|LOCALAPPDATA|ComSpec|__CF_USER_TEXT_ENCODING)$/;

/**
 * The worker's environment: only what reaching the keychain needs (the session bus, XDG
 * dirs, the display for an unlock prompt, Windows/macOS profile paths). Everything else is
 * left out, so that variables holding secrets (`secrets import-env` moves CSI_* values) and
 * NODE_OPTIONS loaders (tsx) never reach the child.
 */
export function workerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && WORKER_ENV.test(k)) out[k] = v;
  return out;
}

function runWorker(request: Request, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<unknown> {
  const path = resolveKeyring();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WORKER_SOURCE, path], {
      env: workerEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let out = '';
    let err = '';
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The reply is in; a worker stuck on its way out must not linger.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new KeychainError(TIMEOUT_MESSAGE, 'timeout'))), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      let reply: Reply;
      try {
        reply = JSON.parse(out.slice(0, nl)) as Reply;
      } catch {
        finish(() => reject(new KeychainError('keychain worker sent an unreadable reply', 'failed')));
        return;
      }
      finish(() => (reply.ok ? resolve(reply.result) : reject(classifyKeychainFailure(reply.message))));
    });
    child.stderr.on('data', (chunk: string) => {
      if (err.length < 4000) err += chunk;
    });
    child.on('error', (e) => finish(() => reject(new KeychainError(`cannot start the keychain worker: ${e.message}`, 'failed'))));
    child.on('close', (code, signal) =>
      finish(() =>
        reject(new KeychainError(`keychain worker ended without answering (${signal ?? `exit ${code}`}): ${err.trim().split('\n').slice(-3).join(' ')}`, 'failed')),
      ),
    );
    // EPIPE if the worker died before reading: reported by 'close' above.
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(request));
  });
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function account(env: string, name: string): string {
  if (!env || env.includes('/')) throw new KeychainError(`bad environment name ${JSON.stringify(env)}`, 'invalid');
  if (!NAME_RE.test(name)) throw new KeychainError(`bad secret name ${JSON.stringify(name)}: use letters, digits, . _ -`, 'invalid');
  return `${env}/${name}`;
}

export function createKeychain(options: KeychainOptions = {}): Keychain {
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  const env = options.env ?? process.env;
  const call = (request: Request) => runWorker(request, timeoutMs, env);
  return {
    async get(e, name) {
      const v = await call({ op: 'get', service: KEYCHAIN_SERVICE, account: account(e, name) });
      return typeof v === 'string' ? v : undefined;
    },
    async set(e, name, value) {
      if (typeof value !== 'string' || value === '') throw new KeychainError('refusing to store an empty secret', 'invalid');
      await call({ op: 'set', service: KEYCHAIN_SERVICE, account: account(e, name), value });
    },
    async delete(e, name) {
      return (await call({ op: 'delete', service: KEYCHAIN_SERVICE, account: account(e, name) })) === true;
    },
    async list(e) {
      const accounts = await call({ op: 'list', service: KEYCHAIN_SERVICE });
      const ids: KeychainEntryId[] = [];
      for (const a of Array.isArray(accounts) ? accounts : []) {
        if (typeof a !== 'string') continue;
        const slash = a.indexOf('/');
        if (slash <= 0) continue;
        const id = { env: a.slice(0, slash), name: a.slice(slash + 1) };
        if (e === undefined || id.env === e) ids.push(id);
      }
      return ids.sort((x, y) => x.env.localeCompare(y.env) || x.name.localeCompare(y.name));
    },
  };
}
