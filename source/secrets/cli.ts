/**
 * `opsconsole secrets set|list|delete|import-env`: plain functions that bin/ wires to argv.
 * They print through the streams they are given and return the exit code (0 ok, 1 failed,
 * 2 bad usage). A secret value is read from a hidden prompt or from stdin, never from argv,
 * and is never printed.
 */
import { KeychainError, type Keychain } from './keychain.ts';
import { collectSecretInfos, type SecretRefUse } from './fetch.ts';
import type { SecretInfo } from './model.ts';

type Out = NodeJS.WritableStream;

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Largest value read from stdin: a PEM key or a kubeconfig fits, /dev/zero does not. */
export const MAX_SECRET_BYTES = 1024 * 1024;

const line = (out: Out, text: string) => void out.write(`${text}\n`);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function checkNames(name: string, env: string, errors: Out): boolean {
  if (!NAME_RE.test(name)) {
    line(errors, `opsconsole: bad secret name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-' (as in keychain:NAME)`);
    return false;
  }
  if (!env || env.includes('/')) {
    line(errors, `opsconsole: bad environment name ${JSON.stringify(env)}: pass -e ENV`);
    return false;
  }
  return true;
}

type TtyInput = NodeJS.ReadableStream & { setRawMode?: (mode: boolean) => unknown; isRaw?: boolean };

export class PromptAbortedError extends Error {
  override readonly name = 'PromptAbortedError';
  constructor() {
    super('aborted');
  }
}

/**
 * Reads a line from a terminal with echo off (raw mode): nothing is shown while typing.
 * Enter ends, Ctrl-C (or Ctrl-D on an empty line) aborts, Backspace and Ctrl-U edit.
 * Escape sequences (arrows, bracketed-paste markers) are dropped.
 */
export function readHidden(input: TtyInput, output: Out, prompt: string): Promise<string> {
  if (typeof input.setRawMode !== 'function') {
    return Promise.reject(new Error('cannot hide what is typed: the terminal has no raw mode; pipe the value on stdin instead'));
  }
  const setRaw = input.setRawMode.bind(input);
  return new Promise((resolve, reject) => {
    const wasRaw = input.isRaw === true;
    let value = '';
    // 0: text, 1: after ESC, 2: inside CSI (ESC [ … final byte), 3: after ESC O (one more char).
    let esc = 0;
    const done = (fn: () => void) => {
      input.removeListener('data', onData);
      setRaw(wasRaw);
      input.pause();
      output.write('\n');
      fn();
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      for (const ch of text) {
        if (esc === 1) {
          esc = ch === '[' ? 2 : ch === 'O' ? 3 : 0;
          continue;
        }
        if (esc === 2) {
          if (ch >= '@' && ch <= '~') esc = 0;
          continue;
        }
        if (esc === 3) {
          esc = 0;
          continue;
        }
        if (ch === '\x1b') esc = 1;
        else if (ch === '\r' || ch === '\n') return done(() => resolve(value));
        else if (ch === '\x03') return done(() => reject(new PromptAbortedError()));
        else if (ch === '\x04') {
          if (value === '') return done(() => reject(new PromptAbortedError()));
          return done(() => resolve(value));
        } else if (ch === '\x7f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch === '\x15') value = '';
        else if (ch >= ' ') value += ch;
      }
    };
    output.write(prompt);
    setRaw(true);
    input.on('data', onData);
    input.resume();
  });
}

/** All of stdin, with one trailing newline (\n or \r\n) removed. */
export async function readAll(input: NodeJS.ReadableStream, limit = MAX_SECRET_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > limit) throw new Error(`the value on stdin is larger than ${limit} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export interface SecretsSetOptions {
  name: string;
  /** The environment (-e). */
  env: string;
  keychain: Keychain;
  input: NodeJS.ReadableStream;
  output: Out;
  /** Default: output. */
  errors?: Out;
  /** Whether input is a terminal (then the value is typed at a hidden prompt). */
  isTTY: boolean;
}

export async function secretsSet(o: SecretsSetOptions): Promise<number> {
  const errors = o.errors ?? o.output;
  if (!checkNames(o.name, o.env, errors)) return 2;
  let value: string;
  try {
    value = o.isTTY
      ? await readHidden(o.input as TtyInput, o.output, `Value of keychain:${o.name} for ${o.env} (input hidden): `)
      : await readAll(o.input);
  } catch (e) {
    if (e instanceof PromptAbortedError) {
      line(errors, 'opsconsole: aborted, nothing stored');
      return 1;
    }
    line(errors, `opsconsole: ${message(e)}`);
    return 2;
  }
  if (value === '') {
    line(errors, `opsconsole: empty value, nothing stored (${o.isTTY ? 'type the value' : 'pipe the value on stdin'})`);
    return 2;
  }
  try {
    await o.keychain.set(o.env, o.name, value);
  } catch (e) {
    line(errors, `opsconsole: could not store keychain:${o.name} for ${o.env}: ${message(e)}`);
    return 1;
  }
  line(o.output, `stored keychain:${o.name} for ${o.env}`);
  return 0;
}

export interface SecretsListOptions {
  refs: readonly SecretRefUse[];
  /** Undefined with --no-keychain: keychain rows are then `unreadable`. */
  keychain: Keychain | undefined;
  json: boolean;
  output: Out;
  errors?: Out;
  /** Where env: references are looked up; default process.env. */
  env?: NodeJS.ProcessEnv;
}

function table(rows: SecretInfo[]): string {
  const header = ['NAME', 'ENV', 'STORE', 'STATE', 'REFERENCED BY'];
  const cells = rows.map((r) => [r.name, r.env, r.store, r.state, r.referencedBy.length ? r.referencedBy.join(', ') : '(not referenced)']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const fmt = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  return [fmt(header), ...cells.map(fmt)].join('\n');
}

/** Exit 0 when every referenced secret is set, 1 when one is missing or unreadable. */
export async function secretsList(o: SecretsListOptions): Promise<number> {
  const errors = o.errors ?? o.output;
  const { infos, keychainError } = await collectSecretInfos(o.refs, o.keychain, o.env ?? process.env);
  if (o.json) line(o.output, JSON.stringify(infos, null, 2));
  else if (infos.length === 0) line(o.output, 'no secrets: the config refers to none and the keychain holds none');
  else line(o.output, table(infos));
  if (keychainError) line(errors, `opsconsole: keychain not readable: ${keychainError.message}`);
  const bad = infos.filter((r) => r.referencedBy.length > 0 && r.state !== 'set');
  if (!o.json) {
    for (const r of bad.filter((b) => b.state === 'missing' && b.store === 'keychain')) {
      line(errors, `missing: keychain:${r.name} for ${r.env}: run \`opsconsole secrets set ${r.name} -e ${r.env}\``);
    }
    for (const r of bad.filter((b) => b.state === 'missing' && b.store === 'env')) {
      line(errors, `missing: env:${r.name} for ${r.env}: export ${r.name}`);
    }
  }
  return bad.length > 0 ? 1 : 0;
}

export interface SecretsDeleteOptions {
  name: string;
  env: string;
  keychain: Keychain;
  output: Out;
  errors?: Out;
}

export async function secretsDelete(o: SecretsDeleteOptions): Promise<number> {
  const errors = o.errors ?? o.output;
  if (!checkNames(o.name, o.env, errors)) return 2;
  try {
    if (await o.keychain.delete(o.env, o.name)) {
      line(o.output, `deleted keychain:${o.name} for ${o.env}`);
      return 0;
    }
    line(errors, `opsconsole: keychain:${o.name} is not set for ${o.env}: nothing deleted`);
    return 1;
  } catch (e) {
    line(errors, `opsconsole: could not delete keychain:${o.name} for ${o.env}: ${message(e)}`);
    return 1;
  }
}

export interface SecretsImportEnvOptions {
  /** The process environment to read (and remove the moved variables from). */
  env: NodeJS.ProcessEnv;
  /** The opsconsole environment the secrets are stored for (-e). */
  environment: string;
  /** Variables named PREFIX + NAME become keychain:NAME. Default `CSI_`. */
  prefix?: string;
  keychain: Keychain;
  /** Asked once, after the names were printed; false stores nothing. */
  confirm: (names: string[]) => Promise<boolean>;
  output: Out;
  errors?: Out;
}

export async function secretsImportEnv(o: SecretsImportEnvOptions): Promise<number> {
  const errors = o.errors ?? o.output;
  const prefix = o.prefix ?? 'CSI_';
  if (!o.environment || o.environment.includes('/')) {
    line(errors, `opsconsole: bad environment name ${JSON.stringify(o.environment)}: pass -e ENV`);
    return 2;
  }
  const moves: { variable: string; name: string }[] = [];
  for (const variable of Object.keys(o.env).sort()) {
    if (!variable.startsWith(prefix) || !o.env[variable]) continue;
    const name = variable.slice(prefix.length);
    if (!NAME_RE.test(name)) {
      line(errors, `skipping ${variable}: ${JSON.stringify(name)} is not a valid secret name`);
      continue;
    }
    moves.push({ variable, name });
  }
  if (moves.length === 0) {
    line(o.output, `no environment variables start with ${prefix}: nothing to import`);
    return 0;
  }
  line(o.output, `These variables will be stored in the keychain for ${o.environment}:`);
  for (const m of moves) line(o.output, `  ${m.variable} -> keychain:${m.name}`);
  if (!(await o.confirm(moves.map((m) => m.variable)))) {
    line(errors, 'opsconsole: aborted, nothing stored');
    return 1;
  }
  let failed = 0;
  for (const m of moves) {
    try {
      await o.keychain.set(o.environment, m.name, o.env[m.variable]!);
      delete o.env[m.variable];
      line(o.output, `stored keychain:${m.name} for ${o.environment}`);
    } catch (e) {
      failed++;
      line(errors, `opsconsole: could not store ${m.variable}: ${message(e)}`);
      if (e instanceof KeychainError && (e.reason === 'timeout' || e.reason === 'unavailable' || e.reason === 'locked')) break;
    }
  }
  if (failed === 0) {
    line(o.output, `Now refer to them as keychain:NAME in the config and remove the ${prefix}* variables from your shell profile or CI settings.`);
  }
  return failed > 0 ? 1 : 0;
}
