/**
 * Authentication for ssh2: ssh-agent first, then identity files in order. Identity files are
 * read and (if encrypted) decrypted only when the server gets to them; passphrases come from a
 * callback and decrypted keys are cached per Fleet, so each passphrase is asked for once.
 */
import { readFile } from 'node:fs/promises';
import type { AuthHandlerMiddleware, ParsedKey } from 'ssh2';
import { expandHome } from './known-hosts.ts';

export type PassphraseCallback = (identityFile: string) => Promise<string | undefined>;

export class KeyLoader {
  private cache = new Map<string, Promise<ParsedKey | undefined>>();

  /** Resolves to the private key, or undefined (missing file, no passphrase given). Rejects on a wrong passphrase. */
  load(file: string, passphrase?: PassphraseCallback): Promise<ParsedKey | undefined> {
    const path = expandHome(file);
    let p = this.cache.get(path);
    if (!p) {
      p = this.doLoad(path, passphrase);
      this.cache.set(path, p);
      // Do not cache failures or "no passphrase": the next connect may ask again.
      p.then(
        (k) => {
          if (!k) this.cache.delete(path);
        },
        () => this.cache.delete(path),
      );
    }
    return p;
  }

  private async doLoad(path: string, passphrase?: PassphraseCallback): Promise<ParsedKey | undefined> {
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch {
      return undefined;
    }
    const { utils } = (await import('ssh2')).default;
    let k = utils.parseKey(data);
    if (k instanceof Error && /passphrase|encrypted/i.test(k.message)) {
      const pass = passphrase ? await passphrase(path) : undefined;
      if (pass === undefined) return undefined;
      k = utils.parseKey(data, pass);
      if (k instanceof Error) throw new Error(`cannot decrypt identity file ${path}: wrong passphrase?`);
    }
    if (k instanceof Error) throw new Error(`cannot read identity file ${path}: ${k.message}`);
    const key = Array.isArray(k) ? k[0] : k;
    return key as ParsedKey | undefined;
  }
}

export interface AuthSpec {
  user: string;
  agent?: string;
  identityFiles: readonly string[];
  passphrase?: PassphraseCallback;
}

/** Builds an ssh2 authHandler; `tried` collects what was attempted, for error messages. */
export function makeAuthHandler(spec: AuthSpec, keys: KeyLoader, tried: string[], onKeyError: (e: Error) => void): AuthHandlerMiddleware {
  const queue: ({ kind: 'agent'; sock: string } | { kind: 'file'; path: string })[] = [];
  if (spec.agent) queue.push({ kind: 'agent', sock: spec.agent });
  for (const f of spec.identityFiles) queue.push({ kind: 'file', path: f });
  const next = (authsLeft: string[] | null, _partial: boolean | null, done: Parameters<AuthHandlerMiddleware>[2]): void => {
    const canPk = !authsLeft || authsLeft.includes('publickey');
    const item = canPk ? queue.shift() : undefined;
    if (!item) {
      done(false as never);
      return;
    }
    if (item.kind === 'agent') {
      tried.push('ssh-agent');
      done({ type: 'agent', username: spec.user, agent: item.sock });
      return;
    }
    keys.load(item.path, spec.passphrase).then(
      (key) => {
        if (!key) {
          next(authsLeft, _partial, done);
          return;
        }
        tried.push(item.path);
        done({ type: 'publickey', username: spec.user, key });
      },
      (e: Error) => {
        onKeyError(e);
        next(authsLeft, _partial, done);
      },
    );
  };
  return next as unknown as AuthHandlerMiddleware;
}
