import { PassThrough } from 'node:stream';
import type { Io } from '../../source/cli/main.ts';

export interface CapturedIo extends Io {
  out(): string;
  err(): string;
}

/** Streams for a CLI command run in-process: not terminals, like a pipe in a script. */
export function captureIo(env: NodeJS.ProcessEnv = {}, stdinText = ''): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(stdinText);
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    env,
    out: () => out,
    err: () => err,
  };
}
