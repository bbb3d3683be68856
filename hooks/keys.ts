/**
 * Turning terminal input into key tokens. A burst typed faster than a frame arrives as one
 * chunk ("jjjj"); escape sequences inside it stay whole ("\x1b[B" is one `down`).
 */

/** The part of Ink's `Key` we read. */
export interface InkKey {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageDown: boolean;
  pageUp: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  shift: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  meta: boolean;
}

const sequences: Record<string, string> = {
  '\x1b[A': 'up',
  '\x1b[B': 'down',
  '\x1b[C': 'right',
  '\x1b[D': 'left',
  '\x1bOA': 'up',
  '\x1bOB': 'down',
  '\x1bOC': 'right',
  '\x1bOD': 'left',
  '\x1b[5~': 'pageup',
  '\x1b[6~': 'pagedown',
  '\x1b[H': 'home',
  '\x1b[1~': 'home',
  '\x1b[7~': 'home',
  '\x1bOH': 'home',
  '\x1b[F': 'end',
  '\x1b[4~': 'end',
  '\x1b[8~': 'end',
  '\x1bOF': 'end',
  '\x1b[Z': 'shift+tab',
  '\x1b[3~': 'delete',
};

const NAMED = new Set([
  'up',
  'down',
  'left',
  'right',
  'pageup',
  'pagedown',
  'home',
  'end',
  'enter',
  'esc',
  'tab',
  'shift+tab',
  'backspace',
  'delete',
]);

/** True for a token that is text to type (a character, possibly a wide one or an emoji). */
export function isText(token: string): boolean {
  if (NAMED.has(token) || token.startsWith('ctrl+') || token.startsWith('\x1b')) return false;
  return token >= ' ';
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Splits raw terminal data into key tokens, keeping escape sequences intact. */
export function splitKeys(data: string): string[] {
  const out: string[] = [];
  let i = 0;
  let text = '';
  const flushText = () => {
    for (const { segment } of segmenter.segment(text)) out.push(charToken(segment));
    text = '';
  };
  while (i < data.length) {
    const ch = data[i]!;
    if (ch !== '\x1b') {
      text += ch;
      i++;
      continue;
    }
    flushText();
    const seq = escapeSequence(data, i);
    out.push(sequences[seq] ?? (seq === '\x1b' ? 'esc' : seq));
    i += seq.length;
  }
  flushText();
  return out;
}

function escapeSequence(data: string, start: number): string {
  const next = data[start + 1];
  if (next === '[') {
    let j = start + 2;
    // Legacy function keys: ESC [ [ A.
    if (data[j] === '[') j++;
    while (j < data.length) {
      const c = data.charCodeAt(j);
      if (c >= 0x40 && c <= 0x7e) return data.slice(start, j + 1);
      if (c < 0x20 || c > 0x3f) break;
      j++;
    }
    return data.slice(start, j);
  }
  if (next === 'O' && start + 2 < data.length) return data.slice(start, start + 3);
  // ESC ESC, or ESC before a character (meta): the escape is a key of its own.
  return '\x1b';
}

function charToken(ch: string): string {
  if (ch === '\r' || ch === '\n' || ch === '\r\n') return 'enter';
  if (ch === '\t') return 'tab';
  if (ch === '\x7f' || ch === '\b') return 'backspace';
  const code = ch.charCodeAt(0);
  if (ch.length === 1 && code >= 1 && code <= 26) return `ctrl+${String.fromCharCode(code + 96)}`;
  return ch;
}

/** Tokens of one Ink `useInput` call. */
export function keyTokens(input: string, key: Partial<InkKey> = {}): string[] {
  if (key.upArrow) return ['up'];
  if (key.downArrow) return ['down'];
  if (key.leftArrow) return ['left'];
  if (key.rightArrow) return ['right'];
  if (key.pageDown) return ['pagedown'];
  if (key.pageUp) return ['pageup'];
  if (key.home) return ['home'];
  if (key.end) return ['end'];
  if (key.tab) return [key.shift ? 'shift+tab' : 'tab'];
  if (key.return) return ['enter'];
  if (key.backspace || key.delete) return ['backspace'];
  if (key.escape && input === '') return ['esc'];
  if (key.ctrl && input.length === 1) return [`ctrl+${input.toLowerCase()}`];
  if (input === '') return [];
  return splitKeys(input);
}
