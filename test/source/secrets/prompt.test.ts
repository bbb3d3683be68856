import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKeychain } from '../../../source/secrets/keychain.ts';
import { startSecretService, type SecretService } from '../../helpers/keyring.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/set-secret.ts', import.meta.url));
const socket = `opsc-secrets-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const shq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

async function waitFor(session: string, text: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < until) {
    screen = tmux('capture-pane', '-p', '-t', session);
    if (screen.includes(text)) return screen;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${text}; the screen was:\n${screen}`);
}

async function waitForFile(path: string): Promise<void> {
  for (let i = 0; i < 100 && !(existsSync(path) && readFileSync(path, 'utf8').includes('speed')); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('secrets set at a real terminal (tmux)', () => {
  let ss: SecretService;
  beforeAll(async () => {
    execFileSync('sh', ['-c', 'command -v tmux']); // loud failure when tmux is missing
    ss = await startSecretService();
  }, 20_000);
  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // no server left
    }
    await ss?.stop();
  });

  function start(session: string, name: string): void {
    const env = Object.entries({ ...ss.env, TERM: 'xterm-256color', PATH: process.env.PATH ?? '/usr/bin:/bin' })
      .map(([k, v]) => `${k}=${shq(v)}`)
      .join(' ');
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '20', '-c', repoRoot, 'bash', '--norc', '--noprofile');
    // `stty -a` in the same command line sees what the app left (bash's readline would otherwise
    // switch the terminal for its own prompt, LAB.md).
    const stty = join(ss.dir, `${session}.stty`);
    tmux('send-keys', '-t', session, `env -u CI ${env} node --import tsx ${shq(fixture)} ${name} production; stty -a > ${shq(stty)}`, 'Enter');
  }

  it('does not echo the typed value, stores it, and leaves the terminal in cooked mode with echo', async () => {
    const session = 'typed';
    start(session, 'typed-secret');
    await waitFor(session, 'input hidden');
    tmux('send-keys', '-t', session, '-l', 'Typed-V4lue-xyz');
    tmux('send-keys', '-t', session, 'Enter');
    const screen = await waitFor(session, 'EXIT=');
    expect(screen).toContain('stored keychain:typed-secret for production');
    expect(screen).toContain('EXIT=0');
    expect(screen).not.toContain('Typed-V4lue');
    expect(screen).not.toContain('***');
    await waitForFile(join(ss.dir, `${session}.stty`));
    const stty = readFileSync(join(ss.dir, `${session}.stty`), 'utf8');
    expect(stty).toMatch(/(^|\s)echo(\s|$)/);
    expect(stty).toMatch(/(^|\s)icanon(\s|$)/);
    expect(await createKeychain({ env: { ...process.env, ...ss.env } }).get('production', 'typed-secret')).toBe('Typed-V4lue-xyz');
  }, 30_000);

  it('Ctrl-C at the prompt aborts with nothing stored', async () => {
    const session = 'aborted';
    start(session, 'aborted-secret');
    await waitFor(session, 'input hidden');
    tmux('send-keys', '-t', session, '-l', 'half-typed');
    tmux('send-keys', '-t', session, 'C-c');
    const screen = await waitFor(session, 'EXIT=');
    expect(screen).toContain('aborted, nothing stored');
    expect(screen).toContain('EXIT=1');
    expect(screen).not.toContain('half-typed');
    expect(await createKeychain({ env: { ...process.env, ...ss.env } }).get('production', 'aborted-secret')).toBeUndefined();
  }, 30_000);
});
