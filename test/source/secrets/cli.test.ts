import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretRef } from '../../../source/config/secret-ref.ts';
import { createKeychain, type Keychain } from '../../../source/secrets/keychain.ts';
import { readHidden, secretsDelete, secretsImportEnv, secretsList, secretsSet } from '../../../source/secrets/cli.ts';
import { listSecretInfos } from '../../../source/secrets/fetch.ts';
import { startSecretService, type SecretService } from '../../helpers/keyring.ts';

class Capture extends PassThrough {
  text = '';
  constructor() {
    super();
    this.on('data', (c: Buffer) => (this.text += c.toString()));
  }
}

/** A stand-in terminal: records raw-mode switches, feeds keystrokes. */
class FakeTty extends PassThrough {
  isRaw = false;
  modes: boolean[] = [];
  setRawMode(mode: boolean) {
    this.isRaw = mode;
    this.modes.push(mode);
    return this;
  }
}

const use = (ref: string, env: string, usedAt: string) => ({ ref: SecretRef.parse(ref)!, env, usedAt });

describe('secrets commands on a real Secret Service', () => {
  let ss: SecretService;
  let keychain: Keychain;
  beforeAll(async () => {
    ss = await startSecretService();
    keychain = createKeychain({ env: { ...process.env, ...ss.env } });
  }, 20_000);
  afterAll(async () => {
    await ss?.stop();
  });

  it('secrets set from a non-TTY stdin stores the value (trailing newline stripped) and prints nothing of it', async () => {
    const out = new Capture();
    const err = new Capture();
    const code = await secretsSet({ name: 'db-password', env: 'production', keychain, input: Readable.from(['s3cr3t-', 'from-stdin\n']), output: out, errors: err, isTTY: false });
    expect(code).toBe(0);
    expect(await keychain.get('production', 'db-password')).toBe('s3cr3t-from-stdin');
    expect(out.text).toBe('stored keychain:db-password for production\n');
    expect(out.text + err.text).not.toContain('s3cr3t');
  }, 15_000);

  it('secrets set refuses bad names and an empty value (exit 2)', async () => {
    const out = new Capture();
    expect(await secretsSet({ name: '-x', env: 'production', keychain, input: Readable.from(['v']), output: out, isTTY: false })).toBe(2);
    expect(await secretsSet({ name: 'x', env: 'production', keychain, input: Readable.from(['\n']), output: out, isTTY: false })).toBe(2);
    expect(out.text).toContain('bad secret name');
    expect(out.text).toContain('empty value, nothing stored');
  });

  it('secrets list shows names and states, never values; exit 1 while something referenced is missing', async () => {
    const refs = [
      use('keychain:db-password', 'production', 'databases.main.password'),
      use('keychain:db-password', 'production', 'restore.target.password'),
      use('keychain:do-token', 'production', 'clouds.digitalocean.token'),
      use('env:S3_SECRET', 'production', 'backups.store.secretKey'),
    ];
    const out = new Capture();
    const err = new Capture();
    const code = await secretsList({ refs, keychain, json: false, output: out, errors: err, env: { S3_SECRET: 'env-secret-value' } });
    expect(code).toBe(1);
    expect(out.text).toMatch(/db-password\s+production\s+keychain\s+set\s+databases\.main\.password, restore\.target\.password/);
    expect(out.text).toMatch(/do-token\s+production\s+keychain\s+missing\s+clouds\.digitalocean\.token/);
    expect(out.text).toMatch(/S3_SECRET\s+production\s+env\s+set/);
    expect(err.text).toContain('opsconsole secrets set do-token -e production');
    expect(out.text + err.text).not.toMatch(/s3cr3t|env-secret-value/);

    const json = new Capture();
    await secretsList({ refs, keychain, json: true, output: json, env: {} });
    const rows = JSON.parse(json.text) as { name: string; state: string }[];
    expect(rows.map((r) => `${r.name}:${r.state}`)).toEqual(['db-password:set', 'do-token:missing', 'S3_SECRET:missing']);

    const infos = await listSecretInfos(refs.slice(0, 1), keychain, {});
    expect(infos).toEqual([{ env: 'production', name: 'db-password', store: 'keychain', state: 'set', referencedBy: ['databases.main.password'] }]);
  }, 15_000);

  it('secrets list marks keychain rows unreadable with --no-keychain (no keychain given)', async () => {
    const out = new Capture();
    const code = await secretsList({ refs: [use('keychain:db-password', 'production', 'a.b')], keychain: undefined, json: false, output: out });
    expect(code).toBe(1);
    expect(out.text).toMatch(/db-password\s+production\s+keychain\s+unreadable/);
    expect(out.text).toContain('--no-keychain');
  });

  it('secrets import-env lists the names, asks, stores them and removes them from the env', async () => {
    const env: NodeJS.ProcessEnv = { CSI_API_KEY: 'imported-api-key', CSI_SMTP: 'imported-smtp', HOME: '/root', CSI_: 'x' };
    const out = new Capture();
    let asked: string[] = [];
    const declined = await secretsImportEnv({ env, environment: 'test', keychain, confirm: async () => false, output: out });
    expect(declined).toBe(1);
    expect(await keychain.list('test')).toEqual([]);
    const code = await secretsImportEnv({
      env,
      environment: 'test',
      keychain,
      confirm: async (names) => {
        asked = names;
        // The names were printed before the question.
        expect(out.text).toContain('CSI_API_KEY -> keychain:API_KEY');
        return true;
      },
      output: out,
    });
    expect(code).toBe(0);
    expect(asked).toEqual(['CSI_API_KEY', 'CSI_SMTP']);
    expect(await keychain.get('test', 'API_KEY')).toBe('imported-api-key');
    expect(await keychain.get('test', 'SMTP')).toBe('imported-smtp');
    expect(env).toEqual({ HOME: '/root', CSI_: 'x' });
    expect(out.text).not.toContain('imported-');
  }, 20_000);

  it('secrets delete: 0 when deleted, 1 when there was nothing', async () => {
    const out = new Capture();
    expect(await secretsDelete({ name: 'db-password', env: 'production', keychain, output: out })).toBe(0);
    expect(await secretsDelete({ name: 'db-password', env: 'production', keychain, output: out })).toBe(1);
    expect(out.text).toContain('deleted keychain:db-password for production');
    expect(out.text).toContain('is not set for production: nothing deleted');
  }, 15_000);
});

describe('hidden prompt', () => {
  it('shows only the prompt, handles backspace and escape sequences, and restores the terminal mode', async () => {
    const tty = new FakeTty();
    const out = new Capture();
    const p = readHidden(tty, out, 'Value: ');
    tty.write('hunter');
    tty.write('X\x7f2\x1b[A\x1b[200~-pasted\x1b[201~');
    tty.write('\r');
    expect(await p).toBe('hunter2-pasted');
    expect(out.text).toBe('Value: \n');
    expect(tty.modes).toEqual([true, false]);
  });

  it('Ctrl-C aborts and secretsSet stores nothing', async () => {
    const tty = new FakeTty();
    const out = new Capture();
    const stored: string[] = [];
    const keychain: Keychain = {
      get: async () => undefined,
      set: async (_e, _n, v) => void stored.push(v),
      delete: async () => false,
      list: async () => [],
    };
    const p = secretsSet({ name: 'x', env: 'test', keychain, input: tty, output: out, isTTY: true });
    setImmediate(() => tty.write('abc\x03'));
    expect(await p).toBe(1);
    expect(stored).toEqual([]);
    expect(out.text).toContain('aborted, nothing stored');
    expect(out.text).not.toContain('abc');
    expect(tty.isRaw).toBe(false);
  });

  it('refuses a terminal without raw mode rather than echo the value', async () => {
    const out = new Capture();
    await expect(readHidden(new PassThrough(), out, 'Value: ')).rejects.toThrow(/no raw mode/);
  });
});
