import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeychain, KeychainError, workerEnv, LOCKED_MESSAGE, TIMEOUT_MESSAGE, UNAVAILABLE_MESSAGE } from '../../../source/secrets/keychain.ts';
import { startSecretService, startSilentBus, type SecretService } from '../../helpers/keyring.ts';

/** Runs `fn` while a 20 ms interval ticks: proves the event loop stayed free during the wait. */
async function ticking<T>(fn: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; ticks: number; ms: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 20);
  const t = Date.now();
  const [result] = await Promise.allSettled([fn()]);
  clearInterval(timer);
  return { result: result!, ticks, ms: Date.now() - t };
}

function rejection(r: PromiseSettledResult<unknown>): KeychainError {
  expect(r.status).toBe('rejected');
  const reason = (r as PromiseRejectedResult).reason as unknown;
  expect(reason).toBeInstanceOf(KeychainError);
  return reason as KeychainError;
}

describe('keychain on a real Secret Service (gnome-keyring on a private bus)', () => {
  let ss: SecretService;
  beforeAll(async () => {
    ss = await startSecretService();
  }, 20_000);
  afterAll(async () => {
    await ss?.stop();
  });
  const keychain = () => createKeychain({ env: { ...process.env, ...ss.env } });

  it('sets, gets, lists and deletes, with values kept per environment', async () => {
    const k = keychain();
    expect(await k.get('production', 'db-password')).toBeUndefined();
    await k.set('production', 'db-password', 'pr0d: "quoted" ünïcode\nsecond line');
    await k.set('test', 'db-password', 'test-value');
    await k.set('production', 'do-token', 'dop_v1_abcdef');
    expect(await k.get('production', 'db-password')).toBe('pr0d: "quoted" ünïcode\nsecond line');
    expect(await k.get('test', 'db-password')).toBe('test-value');
    expect(await k.list('production')).toEqual([
      { env: 'production', name: 'db-password' },
      { env: 'production', name: 'do-token' },
    ]);
    expect(await k.list()).toHaveLength(3);
    await k.set('production', 'db-password', 'replaced');
    expect(await k.get('production', 'db-password')).toBe('replaced');
    expect(await k.delete('production', 'db-password')).toBe(true);
    expect(await k.delete('production', 'db-password')).toBe(false);
    expect(await k.get('production', 'db-password')).toBeUndefined();
    expect(await k.list('production')).toEqual([{ env: 'production', name: 'do-token' }]);
  }, 20_000);

  it('rejects bad names before starting a worker', async () => {
    const k = keychain();
    await expect(k.get('a/b', 'x')).rejects.toThrow(/bad environment name/);
    await expect(k.set('prod', '../x', 'value')).rejects.toThrow(/bad secret name/);
    await expect(k.set('prod', 'x', '')).rejects.toThrow(/empty/);
  });

  // Last in this block: the keyring stays locked and then paused.
  it('a locked keyring fails clearly instead of reporting the secret missing, and the caller keeps ticking', async () => {
    const k = keychain();
    await k.set('production', 'locked-one', 'value-before-lock');
    await ss.lock();
    // A locked collection hides its items from a plain lookup: this must not read as "missing".
    const get = await ticking(() => k.get('production', 'locked-one'));
    expect(rejection(get.result).message).toBe(LOCKED_MESSAGE);
    expect(rejection(get.result).reason).toBe('locked');
    const set = await ticking(() => k.set('production', 'other', 'some-value'));
    expect(rejection(set.result).reason).toBe('locked');
    await expect(k.list()).rejects.toThrow(LOCKED_MESSAGE);
    await expect(k.delete('production', 'locked-one')).rejects.toThrow(LOCKED_MESSAGE);
  }, 20_000);

  it('a Secret Service that never answers (daemon stopped) times out, and the caller keeps ticking', async () => {
    ss.pause();
    try {
      const k = createKeychain({ env: { ...process.env, ...ss.env }, timeoutMs: 1000 });
      const r = await ticking(() => k.get('production', 'locked-one'));
      const err = rejection(r.result);
      expect(err.message).toBe(TIMEOUT_MESSAGE);
      expect(err.reason).toBe('timeout');
      expect(r.ms).toBeGreaterThanOrEqual(950);
      expect(r.ms).toBeLessThan(2500);
      expect(r.ticks).toBeGreaterThan(20);
    } finally {
      ss.resume();
    }
  }, 10_000);
});

describe('keychain without a usable D-Bus', () => {
  it('no bus at all: says what to install and start', async () => {
    const k = createKeychain({ env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/opsconsole-test-bus' } });
    const err = await k.get('production', 'x').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KeychainError);
    expect((err as KeychainError).reason).toBe('unavailable');
    expect((err as Error).message).toContain(UNAVAILABLE_MESSAGE);
    await expect(k.list()).rejects.toThrow(UNAVAILABLE_MESSAGE);
  });

  it('a bus with no Secret Service on it: the same clear message', async () => {
    const ss = await startSecretService({ keyring: false });
    try {
      const k = createKeychain({ env: { ...process.env, ...ss.env } });
      await expect(k.get('production', 'x')).rejects.toThrow(UNAVAILABLE_MESSAGE);
      await expect(k.set('production', 'x', 'value')).rejects.toThrow(UNAVAILABLE_MESSAGE);
    } finally {
      await ss.stop();
    }
  });

  it('a bus that accepts and never replies: times out and the caller keeps ticking', async () => {
    const bus = await startSilentBus();
    try {
      const k = createKeychain({ env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address }, timeoutMs: 800 });
      const r = await ticking(() => k.set('production', 'x', 'never-stored'));
      expect(rejection(r.result).message).toBe(TIMEOUT_MESSAGE);
      expect(r.ms).toBeLessThan(2000);
      expect(r.ticks).toBeGreaterThan(15);
    } finally {
      await bus.close();
    }
  });
});

describe('keychain worker environment', () => {
  it('passes what the Secret Service needs and nothing that may hold a secret', () => {
    const env = workerEnv({
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/0/bus',
      XDG_RUNTIME_DIR: '/run/user/0',
      HOME: '/root',
      PATH: '/usr/bin',
      DISPLAY: ':0',
      CSI_DB_PASSWORD: 'must-not-leak',
      AWS_SECRET_ACCESS_KEY: 'must-not-leak',
      NODE_OPTIONS: '--import tsx',
    });
    expect(Object.keys(env).sort()).toEqual(['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'HOME', 'PATH', 'XDG_RUNTIME_DIR']);
  });
});
