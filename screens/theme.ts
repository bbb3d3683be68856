import type { Tone } from '../source/app/status.ts';

/** Ink colour names; `undefined` means the terminal's default foreground. */
export type InkColour = 'red' | 'green' | 'yellow' | 'blue' | 'cyan' | 'magenta' | 'gray' | 'white' | 'black';

export interface Theme {
  /** False when NO_COLOR is set: tones then render as plain text (bold/inverse/dim stay). */
  colour: boolean;
  tone(tone: Tone | undefined): InkColour | undefined;
  /** Border of the body: red on a protected environment. */
  border(protect: boolean): InkColour | undefined;
}

const tones: Record<Tone, InkColour | undefined> = {
  normal: undefined,
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  muted: 'gray',
  accent: 'cyan',
  info: 'blue',
};

/**
 * One map from tone to colour (columns carry tones, never colours). Ink's chalk 5 ignores the
 * NO_COLOR variable (it honours only `--no-color`), so it is checked here.
 */
export function makeTheme(env: Record<string, string | undefined>): Theme {
  const colour = !env.NO_COLOR;
  return {
    colour,
    tone: (tone) => (colour && tone ? tones[tone] : undefined),
    border: (protect) => (colour ? (protect ? 'red' : 'gray') : undefined),
  };
}

export const theme: Theme = makeTheme(process.env);
