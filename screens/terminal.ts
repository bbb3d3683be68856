import { spawnSync } from 'node:child_process';

export const ENTER_ALT_SCREEN = '\x1b[?1049h';
export const LEAVE_ALT_SCREEN = '\x1b[?1049l';
export const SHOW_CURSOR = '\x1b[?25h';

export interface TerminalIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

const defaultIo = (): TerminalIo => ({ stdin: process.stdin, stdout: process.stdout });

export function enterAltScreen(io: TerminalIo = defaultIo()): void {
  if (io.stdout.isTTY) io.stdout.write(ENTER_ALT_SCREEN);
}

/** Back to the normal screen with the cursor shown and the line discipline restored. */
export function leaveAltScreen(io: TerminalIo = defaultIo()): void {
  if (io.stdin.isTTY && typeof io.stdin.setRawMode === 'function') {
    try {
      io.stdin.setRawMode(false);
    } catch {
      // stdin already closed: nothing to restore.
    }
  }
  if (io.stdout.isTTY) io.stdout.write(LEAVE_ALT_SCREEN + SHOW_CURSOR);
}

export interface HandOverResult {
  status: number | null;
  error?: string;
}

/**
 * Gives the terminal to `argv` (ssh through the bastion) and takes it back: the caller has
 * already hidden the app and turned its inputs off (LAB.md: keep state, deactivate inputs,
 * leave the alternate screen, spawnSync with inherited stdio, re-enter).
 */
export function handOverTerminal(argv: string[], io: TerminalIo = defaultIo()): HandOverResult {
  const [command, ...args] = argv;
  if (!command) return { status: null, error: 'empty command' };
  leaveAltScreen(io);
  // Ink pauses stdin when no input is active; the child must read it from the terminal itself.
  io.stdin.pause();
  try {
    const child = spawnSync(command, args, { stdio: 'inherit' });
    return child.error ? { status: child.status, error: child.error.message } : { status: child.status };
  } finally {
    enterAltScreen(io);
  }
}
