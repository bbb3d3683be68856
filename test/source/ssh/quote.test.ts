import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cancellableCommand, quoteArg, quoteArgv } from '../../../source/ssh/quote.ts';

const hostile = [
  '',
  ' ',
  "it's",
  "'",
  "''",
  '"',
  '$(touch /tmp/pwned)',
  '`id`',
  '$HOME',
  '${IFS}',
  'a b\tc\nd',
  '; rm -rf /',
  '&& echo hi || true',
  '*',
  '~',
  '~root',
  '-n',
  '\\',
  '\\\'',
  '!!',
  '#comment',
  'ünïcödé ✓',
  '\x01\x7f',
  '%h:%p',
];

describe('quoteArgv', () => {
  it('leaves safe words alone', () => {
    expect(quoteArgv(['systemctl', 'list-timers', '--all', '--output=json'])).toBe('systemctl list-timers --all --output=json');
    expect(quoteArg('/var/lib/x_y-1.2@a:b,c+d%e=f')).toBe('/var/lib/x_y-1.2@a:b,c+d%e=f');
  });

  it('quotes with single quotes and escapes embedded quotes', () => {
    expect(quoteArg('')).toBe("''");
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg('$HOME')).toBe("'$HOME'");
  });

  it('round-trips hostile strings through a real POSIX shell', () => {
    const cmd = quoteArgv(['printf', '%s\\0', ...hostile]);
    for (const sh of ['/bin/sh', '/bin/bash']) {
      const r = spawnSync(sh, ['-c', cmd], { encoding: 'buffer' });
      expect(r.status).toBe(0);
      const got = r.stdout.toString('utf8').split('\0').slice(0, -1);
      expect(got).toEqual(hostile);
    }
  });

  it('rejects NUL bytes and empty argv', () => {
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
    expect(() => quoteArgv([])).toThrow(/empty/);
  });
});

describe('cancellableCommand', () => {
  // setsid: the wrapper TERMs its whole process group, as sshd gives each session its own.
  function runWrapped(argv: string[], endStdinAfterMs?: number) {
    return new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => {
      const c = spawn('setsid', ['-w', 'sh', '-c', cancellableCommand(argv)], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d));
      c.stderr.on('data', (d: Buffer) => (out += `E:${d}`));
      if (endStdinAfterMs !== undefined) setTimeout(() => c.stdin.end(), endStdinAfterMs);
      c.on('exit', (code, signal) => resolve({ code, signal, out }));
    });
  }

  it('passes output and the exit code through, and gives the command /dev/null as stdin', async () => {
    expect(await runWrapped(['sh', '-c', 'echo "$1"; echo err >&2; exit 4', 'x', "it's $(odd)"])).toEqual({ code: 4, signal: null, out: "it's $(odd)\nE:err\n" });
    expect(await runWrapped(['cat'], 2000)).toMatchObject({ code: 0, out: '' });
  });

  it('terminates the whole command tree when stdin reaches EOF', async () => {
    const marker = `303.${process.pid}`;
    const t0 = performance.now();
    const r = await runWrapped(['sh', '-c', `echo start; sleep ${marker} | cat; echo never`], 300);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(r.out).toBe('start\n');
    expect(r.signal).toBe('SIGTERM');
    expect(spawnSync('pgrep', ['-f', `sleep ${marker}`]).status).toBe(1);
  });
});
