import { describe, expect, it } from 'vitest';
import { runApp } from '../../screens/run.tsx';
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, SHOW_CURSOR, handOverTerminal } from '../../screens/terminal.ts';
import { FakeStdin, FakeStdout } from '../helpers/render.ts';
import { ticks } from '../helpers/press.ts';
import { fakeServices, testKinds } from './fakes.ts';


async function until(check: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('runApp', () => {
  it('enters the alternate screen, draws, and on q restores the screen, cursor and raw mode', async () => {
    const { services } = await fakeServices([{ name: 'production', protect: false, add: (s) => s.add('nodes@a', 'nodes', [{ name: 'ims', state: 'active' }]) }]);
    const stdout = new FakeStdout(100, 30);
    const stdin = new FakeStdin();
    const stderr = new FakeStdout(100, 30);
    const done = runApp(services, {
      initialEnv: 'production',
      kinds: testKinds(),
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
    });
    expect(stdout.frames[0]).toBe(ENTER_ALT_SCREEN);
    await until(() => stdout.frames.join('').includes('ims'));
    expect(stdin.rawMode).toBe(true);
    await ticks(3);
    stdin.write('q');
    await done;
    const out = stdout.frames.join('');
    const left = out.lastIndexOf(LEAVE_ALT_SCREEN + SHOW_CURSOR);
    expect(left).toBeGreaterThan(out.lastIndexOf('ims'));
    // After it, at most Ink's own cursor-show on unmount.
    expect(out.slice(left + LEAVE_ALT_SCREEN.length).replaceAll(SHOW_CURSOR, '')).toBe('');
    expect(stdin.rawMode).toBe(false);
  });
});

describe('handOverTerminal', () => {
  it('leaves the alternate screen with raw mode off, runs the command and comes back', () => {
    const stdout = new FakeStdout(100, 30);
    const stdin = new FakeStdin();
    stdin.rawMode = true;
    const result = handOverTerminal(['sh', '-c', 'exit 3'], {
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
    });
    expect(result).toEqual({ status: 3 });
    expect(stdin.rawMode).toBe(false);
    expect(stdout.frames).toEqual([LEAVE_ALT_SCREEN + SHOW_CURSOR, ENTER_ALT_SCREEN]);
  });

  it('reports a command that cannot start', () => {
    const stdout = new FakeStdout(100, 30);
    const stdin = new FakeStdin();
    const result = handOverTerminal(['/nonexistent/ssh'], { stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream });
    expect(result.error).toMatch(/ENOENT/);
  });
});
