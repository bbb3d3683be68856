/** Key names to what a terminal sends for them. */
export const SEQ = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

export type KeyName = keyof typeof SEQ;

interface Pressable {
  stdin: { write(data: string): void };
  lastFrame(): string | undefined;
}

/** Yields to React 19's scheduler: a frame lands within ~3 setImmediate turns (LAB.md). */
export async function ticks(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Writes each key (a SEQ name or literal text, e.g. "jjjj" as one burst) and waits for its frame. */
export async function press(ui: Pressable, ...keys: (KeyName | (string & {}))[]): Promise<void> {
  // A frame lands before React's passive effects attach input listeners (e.g. right after a
  // dialog closed); a real terminal buffers the key meanwhile, this fake stdin does not.
  await ticks(3);
  for (const k of keys) {
    ui.stdin.write(k in SEQ ? SEQ[k as KeyName] : k);
    // A lone ESC is held for one setImmediate (it may start a sequence); 3 ticks cover it.
    await ticks(3);
  }
}

/** Waits until the last frame contains `text` (a string or a test), printing the frame on timeout. */
export async function frameHas(ui: Pressable, text: string | RegExp, timeoutMs = 2000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = ui.lastFrame() ?? '';
    if (typeof text === 'string' ? frame.includes(text) : text.test(frame)) return frame;
    if (Date.now() > deadline) {
      throw new Error(`frame never showed ${String(text)} within ${timeoutMs} ms; last frame:\n${frame}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
