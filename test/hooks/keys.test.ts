import { describe, expect, it } from 'vitest';
import { keyTokens, splitKeys } from '../../hooks/keys.ts';
import { initialUi, keyReducer } from '../../hooks/useKeys.ts';
import type { KeyContext, UiState } from '../../hooks/useKeys.ts';
import { complete } from '../../hooks/palette.ts';

const ids = Array.from({ length: 50 }, (_, i) => `row${i}`);
const ctx: KeyContext = {
  ids,
  page: 10,
  columns: 3,
  commands: ['nodes', 'services', 'timers', 'timer.trigger', 'timer.journal', 'env production', 'env test'],
  envs: ['production', 'test'],
};

function typed(state: UiState, ...inputs: string[]): UiState {
  return inputs.reduce((s, input) => keyReducer(s, { type: 'input', input, ctx }), state);
}

const cursorOf = (s: UiState) => s.cursors[s.panel]?.index ?? 0;

describe('splitKeys', () => {
  it('splits a burst of letters into one key each', () => {
    expect(splitKeys('jjjj')).toEqual(['j', 'j', 'j', 'j']);
  });

  it('keeps escape sequences whole inside a burst', () => {
    expect(splitKeys('j\x1b[Bk\x1b[6~\x1b[Z')).toEqual(['j', 'down', 'k', 'pagedown', 'shift+tab']);
  });

  it('reads a lone escape, enter, tab and backspace', () => {
    expect(splitKeys('\x1b')).toEqual(['esc']);
    expect(splitKeys('a\rb\t\x7f')).toEqual(['a', 'enter', 'b', 'tab', 'backspace']);
  });

  it('keeps wide characters and emoji as one key', () => {
    expect(splitKeys('日本👩‍👩‍👧')).toEqual(['日', '本', '👩‍👩‍👧']);
  });
});

describe('keyTokens', () => {
  it('maps Ink key flags to names', () => {
    expect(keyTokens('', { downArrow: true })).toEqual(['down']);
    expect(keyTokens('', { tab: true, shift: true })).toEqual(['shift+tab']);
    expect(keyTokens('', { escape: true })).toEqual(['esc']);
    expect(keyTokens('c', { ctrl: true })).toEqual(['ctrl+c']);
  });
});

describe('keyReducer', () => {
  it('moves the cursor once per key of a burst', () => {
    const s = typed(initialUi('production'), 'jjjj');
    expect(cursorOf(s)).toBe(4);
    expect(s.cursors.nodes?.id).toBe('row4');
  });

  it('pages, jumps to the ends and stays inside the rows', () => {
    let s = typed(initialUi('production'), '\x1b[6~');
    expect(cursorOf(s)).toBe(10);
    s = typed(s, 'G');
    expect(cursorOf(s)).toBe(49);
    s = typed(s, 'jjj');
    expect(cursorOf(s)).toBe(49);
    s = typed(s, 'g', 'k');
    expect(cursorOf(s)).toBe(0);
  });

  it('switches panels with Tab, Shift-Tab and 1-7', () => {
    let s = typed(initialUi('production'), '\t');
    expect(s.panel).toBe('services');
    s = typed(s, '\x1b[Z', '\x1b[Z');
    expect(s.panel).toBe('audit');
    s = typed(s, '3');
    expect(s.panel).toBe('timers');
  });

  it('types a filter live, keeps it on Enter and clears it on Esc', () => {
    let s = typed(initialUi('production'), '/', 'im', 's');
    expect(s.mode).toBe('filter');
    expect(s.filters.nodes).toBe('ims');
    s = typed(s, 'j'); // a letter in the filter is text, not a move
    expect(s.filters.nodes).toBe('imsj');
    s = typed(s, '\x7f', '\r');
    expect(s.mode).toBe('normal');
    expect(s.filters.nodes).toBe('ims');
    s = typed(s, '/', '\x1b');
    expect(s.filters.nodes).toBeUndefined();
  });

  it('completes palette text with Tab and emits it on Enter', () => {
    let s = typed(initialUi('production'), ':', 'ti', '\t');
    expect(s.palette).toBe('timer');
    s = typed(s, '.t', '\t');
    expect(s.palette).toBe('timer.trigger');
    s = typed(s, '\r');
    expect(s.mode).toBe('normal');
    expect(s.effects).toEqual([{ id: 1, type: 'palette', text: 'timer.trigger' }]);
  });

  it('emits unbound letters as action keys and global ones as commands', () => {
    const s = typed(initialUi('production'), 'tRq');
    expect(s.effects.map((e) => e.type)).toEqual(['action', 'action', 'quit']);
    const drained = keyReducer(s, { type: 'drain', upTo: 2 });
    expect(drained.effects.map((e) => e.id)).toEqual([3]);
  });

  it('opens help, details and the environment picker and closes them with Esc', () => {
    let s = typed(initialUi('production'), '?');
    expect(s.mode).toBe('help');
    s = typed(s, 'j', '\x1b');
    expect(s.mode).toBe('normal');
    expect(typed(s, '\r').mode).toBe('details');
    s = typed(s, 'e', 'j', '\r');
    expect(s.env).toBe('test');
    expect(s.effects.at(-1)).toMatchObject({ type: 'envChanged', env: 'test' });
  });

  it('chooses and reverses the sort column', () => {
    let s = typed(initialUi('production'), '>');
    expect(s.sorts.nodes).toEqual({ column: 0, desc: false });
    s = keyReducer(s, { type: 'input', input: '>', ctx: { ...ctx, sort: s.sorts.nodes } });
    expect(s.sorts.nodes).toEqual({ column: 1, desc: false });
    s = keyReducer(s, { type: 'input', input: '~', ctx: { ...ctx, sort: s.sorts.nodes } });
    expect(s.sorts.nodes).toEqual({ column: 1, desc: true });
    s = keyReducer(s, { type: 'input', input: '<', ctx: { ...ctx, sort: { column: 0, desc: false } } });
    expect(s.sorts.nodes).toEqual({ column: 2, desc: false });
  });

  it('follows the selected id when the rows reorder, and keeps the index when it is gone', () => {
    let s = typed(initialUi('production'), 'jj');
    expect(s.cursors.nodes).toEqual({ index: 2, id: 'row2' });
    const reordered = [...ids].reverse();
    s = keyReducer(s, { type: 'input', input: 'j', ctx: { ...ctx, ids: reordered } });
    expect(s.cursors.nodes).toEqual({ index: 48, id: 'row1' });
    const without = ids.filter((id) => id !== 'row1');
    s = keyReducer(s, { type: 'input', input: 'k', ctx: { ...ctx, ids: without } });
    expect(s.cursors.nodes?.index).toBe(47);
  });
});

describe('complete', () => {
  it('completes the one match, else the common prefix, else the first', () => {
    expect(complete('s', ['services', 'secrets'])).toBe('se');
    expect(complete('se', ['services', 'secrets'])).toBe('services');
    expect(complete('ser', ['services', 'secrets'])).toBe('services');
    expect(complete('env p', ['env production', 'env test'])).toBe('env production');
    expect(complete('x', ['a'])).toBe('x');
  });
});

describe('the tunnels overlay keys', () => {
  const withTunnels: KeyContext = { ...ctx, tunnelItems: ['open:3', 'open:5', 'named:grafana'] };
  const press = (state: UiState, ...inputs: string[]) => inputs.reduce((s, input) => keyReducer(s, { type: 'input', input, ctx: withTunnels }), state);

  it('opens on u and closes on u, q or Esc', () => {
    const open = press(initialUi('production'), 'u');
    expect(open.mode).toBe('tunnels');
    for (const key of ['u', 'q', '\x1b']) expect(press(open, key).mode).toBe('normal');
  });

  it('x closes only an open tunnel and Enter opens only a named one', () => {
    let s = press(initialUi('production'), 'u', 'j', 'x', '\r');
    expect(s.effects.map((e) => e.type === 'tunnel' && e.item)).toEqual(['open:5']);
    s = press(s, 'j', 'j', 'x', '\r');
    expect(s.tunnelCursor).toBe(2);
    expect(s.effects.map((e) => e.type === 'tunnel' && e.item)).toEqual(['open:5', 'named:grafana']);
  });
});
