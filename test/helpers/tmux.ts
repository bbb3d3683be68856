import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const bundle = join(repoRoot, 'dist', 'opsconsole.mjs');

export interface TmuxApp {
  session: string;
  /** A scratch HOME/XDG dir of this run: the audit log and locks land here. */
  home: string;
  press(...keys: string[]): void;
  type(text: string): void;
  screen(): string;
  /** The screen with its SGR escape codes (colours, inverse video). */
  coloured(): string;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  waitForGone(text: string | RegExp, timeoutMs?: number): Promise<string>;
  resize(cols: number, rows: number): void;
  pid(): number;
  alive(): boolean;
  stty(): string;
  kill(): void;
}

// A tmux server of this test process only: nothing else's sessions are touched, and a
// developer's own tmux is never in the way.
const socket = `opsconsole-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

function matches(screen: string, text: string | RegExp): boolean {
  return typeof text === 'string' ? screen.includes(text) : text.test(screen);
}

/**
 * Runs the bundled console in a detached tmux pane, as a user would. CI=true is removed
 * (Ink then draws only the final frame and ignores resizes, LAB.md).
 */
export function tmuxApp(args: string[], opts: { cols?: number; rows?: number; env?: Record<string, string> } = {}): TmuxApp {
  const session = `opsc-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const home = mkdtempSync(join(tmpdir(), 'opsc-e2e-'));
  const env: Record<string, string> = {
    HOME: home,
    XDG_STATE_HOME: join(home, 'state'),
    XDG_CONFIG_HOME: join(home, 'config'),
    TERM: 'xterm-256color',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    ...opts.env,
  };
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${shq(v)}`).join(' ');
  // The pane runs a shell so that, once the app exits, `stty -a` shows what it left behind.
  tmux('new-session', '-d', '-s', session, '-x', String(opts.cols ?? 120), '-y', String(opts.rows ?? 36), 'bash', '--norc', '--noprofile');
  tmux('set-option', '-t', session, 'remain-on-exit', 'on');
  // `stty -a` runs right after the app, before bash's readline takes the terminal again (at
  // its prompt readline itself turns echo and icanon off, which would hide what the app left).
  const sttyFile = join(home, 'stty-after.txt');
  tmux('send-keys', '-t', session, `env -u CI ${envArgs} node ${shq(bundle)} ${args.map(shq).join(' ')}; code=$?; stty -a > ${shq(sttyFile)}; echo "EXIT=$code"`, 'Enter');
  const app: TmuxApp = {
    session,
    home,
    press: (...keys) => {
      for (const k of keys) {
        tmux('send-keys', '-t', session, k);
        // A key right behind Escape would arrive as one Alt+key sequence, as from a terminal.
        if (k === 'Escape') execFileSync('sleep', ['0.15']);
      }
    },
    type: (text) => tmux('send-keys', '-t', session, '-l', '--', text),
    screen: () => tmux('capture-pane', '-p', '-t', session),
    coloured: () => tmux('capture-pane', '-p', '-e', '-t', session),
    async waitFor(text, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      let screen = '';
      while (Date.now() < until) {
        screen = app.screen();
        if (matches(screen, text)) return screen;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(text)}; the screen was:\n${screen}`);
    },
    async waitForGone(text, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      let screen = '';
      while (Date.now() < until) {
        screen = app.screen();
        if (!matches(screen, text)) return screen;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(text)} to go; the screen was:\n${screen}`);
    },
    resize: (cols, rows) => tmux('resize-window', '-t', session, '-x', String(cols), '-y', String(rows)),
    pid() {
      // The app is the shell's child.
      const shell = tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim();
      const out = spawnSync('pgrep', ['-P', shell, '-f', 'opsconsole.mjs'], { encoding: 'utf8' }).stdout.trim();
      return Number(out.split('\n')[0]);
    },
    alive: () => {
      const pid = app.pid();
      return Number.isFinite(pid) && pid > 0;
    },
    stty: () => readFileSync(sttyFile, 'utf8'),
    kill: () => {
      try {
        tmux('kill-session', '-t', session);
      } catch {
        // already gone
      }
    },
  };
  return app;
}

function shq(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
