import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import type { ReactElement } from 'react';

/** A stdout whose size a test sets, and changes with `resize` (ink-testing-library's is fixed at 100 columns). */
export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = () => this.frames.at(-1);
}

export class FakeStdin extends EventEmitter {
  rawMode = false;
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode(on: boolean) {
    this.rawMode = on;
  }
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export interface Rendered {
  stdin: { write(data: string): void };
  stdout: FakeStdout;
  lastFrame(): string | undefined;
  frames: string[];
  rerender(tree: ReactElement): void;
  unmount(): void;
  /** Changes the terminal size and emits 'resize', as a terminal does. */
  resize(columns: number, rows: number): void;
}

/** Renders like ink-testing-library (debug mode: every frame whole), at a chosen terminal size. */
export function renderAt(tree: ReactElement, size: { columns?: number; rows?: number } = {}): Rendered {
  const stdout = new FakeStdout(size.columns ?? 100, size.rows ?? 30);
  const stdin = new FakeStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(100, 30) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    stdin,
    stdout,
    frames: stdout.frames,
    lastFrame: stdout.lastFrame,
    rerender: instance.rerender,
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
    resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
    },
  };
}
