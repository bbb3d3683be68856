import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import { clampIndex } from '../../hooks/cursor.ts';

export { clampIndex };

/**
 * First visible row. The window moves only when the cursor leaves it, so the rows do not
 * jump under the reader as the cursor walks down a page.
 */
export function scrollOffset(previous: number, cursor: number, height: number, count: number): number {
  if (height <= 0 || count <= 0) return 0;
  const maxOffset = Math.max(0, count - height);
  let offset = Math.min(Math.max(previous, 0), maxOffset);
  const c = clampIndex(cursor, count);
  if (c < offset) offset = c;
  else if (c >= offset + height) offset = c - height + 1;
  return Math.min(offset, maxOffset);
}

export interface WidthSpec {
  title: string;
  width?: number;
  maxWidth?: number;
  grow?: boolean;
  /** Widest cell seen (display cells). */
  content: number;
}

/** Ceiling of a content-sized column without its own maxWidth. */
export const DEFAULT_MAX_WIDTH = 40;
const MIN_WIDTH = 3;

/**
 * Widths of the columns in display cells: fixed columns keep theirs, others fit their content
 * (and title) up to maxWidth, a grow column takes what is left. When the sum is too wide the
 * widest flexible columns give way first, down to a few cells each.
 */
export function allocateWidths(specs: WidthSpec[], total: number, gap = 1): number[] {
  const titleW = specs.map((s) => stringWidth(s.title));
  const widths = specs.map((s, i) => {
    if (s.width !== undefined) return s.width;
    const want = Math.max(s.content, titleW[i] ?? 0);
    return Math.min(want, s.maxWidth ?? DEFAULT_MAX_WIDTH);
  });
  const gaps = Math.max(0, specs.length - 1) * gap;
  const used = () => widths.reduce((a, b) => a + b, 0) + gaps;
  let spare = total - used();
  const growers = specs.map((s, i) => (s.grow ? i : -1)).filter((i) => i >= 0);
  if (spare > 0 && growers.length > 0) {
    const each = Math.floor(spare / growers.length);
    growers.forEach((i, n) => {
      widths[i]! += each + (n === 0 ? spare - each * growers.length : 0);
    });
    return widths;
  }
  // Too wide: shave one cell at a time off the widest flexible column.
  while (spare < 0) {
    let widest = -1;
    for (let i = 0; i < specs.length; i++) {
      if (specs[i]!.width !== undefined || widths[i]! <= MIN_WIDTH) continue;
      if (widest < 0 || widths[i]! > widths[widest]!) widest = i;
    }
    if (widest < 0) break;
    widths[widest]!--;
    spare++;
  }
  return widths;
}

/** `text` cut to `width` display cells (with `…`) and padded to exactly `width`. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const clean = text.replace(/[\r\n\t]+/g, ' ');
  let w = stringWidth(clean);
  let out = clean;
  if (w > width) {
    out = cliTruncate(clean, width, { position: 'end', truncationCharacter: '…' });
    w = stringWidth(out);
    // A wide character that does not fit leaves one cell short; cli-truncate may also
    // overshoot by one with a double-width character before the ellipsis.
    while (w > width) {
      out = cliTruncate(out, width - (w - width), { position: 'end', truncationCharacter: '…' });
      w = stringWidth(out);
    }
  }
  const pad = ' '.repeat(Math.max(0, width - w));
  return align === 'right' ? pad + out : out + pad;
}
