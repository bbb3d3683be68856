import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { allocateWidths, clampIndex, fit, scrollOffset } from '../../screens/table/window.ts';

describe('scrollOffset', () => {
  it('keeps the window still while the cursor stays inside it', () => {
    expect(scrollOffset(0, 5, 10, 100)).toBe(0);
    expect(scrollOffset(20, 25, 10, 100)).toBe(20);
  });

  it('scrolls just enough to show a cursor below or above the window', () => {
    expect(scrollOffset(0, 10, 10, 100)).toBe(1);
    expect(scrollOffset(20, 5, 10, 100)).toBe(5);
  });

  it('never leaves empty lines at the bottom after rows went away', () => {
    expect(scrollOffset(90, 2, 10, 12)).toBe(2);
    expect(scrollOffset(90, 11, 10, 12)).toBe(2);
    expect(scrollOffset(5, 0, 10, 0)).toBe(0);
  });

  it('clamps indexes into the rows', () => {
    expect(clampIndex(-1, 5)).toBe(0);
    expect(clampIndex(9, 5)).toBe(4);
    expect(clampIndex(3, 0)).toBe(0);
  });
});

describe('allocateWidths', () => {
  it('keeps fixed widths, fits content under maxWidth and gives the rest to the grow column', () => {
    const widths = allocateWidths(
      [
        { title: 'NODE', width: 8, content: 20 },
        { title: 'TIMER', grow: true, content: 10 },
        { title: 'LAST', content: 6 },
        { title: 'MESSAGE', maxWidth: 12, content: 80 },
      ],
      60,
    );
    expect(widths).toEqual([8, 60 - 3 - 8 - 6 - 12, 6, 12]);
  });

  it('shrinks the widest flexible column when the table is too wide', () => {
    const widths = allocateWidths(
      [
        { title: 'A', content: 30 },
        { title: 'B', content: 10 },
      ],
      30,
    );
    expect(widths.reduce((a, b) => a + b, 0) + 1).toBe(30);
    expect(widths[1]).toBe(10);
  });

  it('is never narrower than the title', () => {
    expect(allocateWidths([{ title: 'CERTIFICATE', content: 2 }], 80)).toEqual([11]);
  });
});

describe('fit', () => {
  it('pads to the width and aligns right when asked', () => {
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
  });

  it('truncates by display width with an ellipsis, CJK and emoji included', () => {
    expect(fit('production-database-01', 10)).toBe('productio…');
    for (const text of ['日本語テキスト', 'ab😀😀cd', '👩‍👩‍👧 family', '서비스 상태 점검']) {
      for (let w = 1; w <= 9; w++) expect(stringWidth(fit(text, w)), `${text} in ${w}`).toBe(w);
    }
    expect(fit('日本語テキスト', 6)).toBe('日本… ');
  });

  it('turns newlines and tabs into spaces so a cell stays on its line', () => {
    expect(fit('a\nb\tc', 5)).toBe('a b c');
  });
});
