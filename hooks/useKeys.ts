import { useCallback, useReducer, useRef } from 'react';
import { useInput } from 'ink';
import type { Dispatch } from 'react';
import { kindOrder } from '../source/app/kind.ts';
import type { KindId } from '../source/app/kind.ts';
import { clampIndex, resolveCursor } from './cursor.ts';
import type { Cursor } from './cursor.ts';
import { globalCommandOf } from './keymap.ts';
import { isText, keyTokens } from './keys.ts';
import type { InkKey } from './keys.ts';
import { complete } from './palette.ts';

export { resolveCursor };
export type { Cursor };

export type Mode = 'normal' | 'filter' | 'palette' | 'help' | 'details' | 'env' | 'tunnels';

export interface SortState {
  column: number;
  desc: boolean;
}

/** Something the frame must do outside the reducer (run an action, quit …). */
export type Effect = { id: number } & (
  | { type: 'quit' }
  | { type: 'refresh' }
  | { type: 'action'; key: string }
  | { type: 'shell' }
  | { type: 'palette'; text: string }
  | { type: 'envChanged'; env: string }
  /** `item` is one of KeyContext.tunnelItems: `open:ID` closes, `named:NAME` opens. */
  | { type: 'tunnel'; item: string }
);
type EffectBody = Effect extends infer E ? (E extends Effect ? Omit<E, 'id'> : never) : never;

export interface UiState {
  panel: KindId;
  env: string;
  mode: Mode;
  cursors: Partial<Record<KindId, Cursor>>;
  filters: Partial<Record<KindId, string>>;
  sorts: Partial<Record<KindId, SortState>>;
  palette: string;
  envCursor: number;
  /** Row of the tunnels overlay. */
  tunnelCursor: number;
  effects: Effect[];
  nextEffect: number;
}

/** What the reducer needs to know about the screen at the moment of the key. */
export interface KeyContext {
  /** Row ids of the current panel, filtered and sorted as shown. */
  ids: readonly string[];
  /** Visible table rows: the PgUp/PgDn step. */
  page: number;
  columns: number;
  /** The sort in effect (the kind's default when none was chosen). */
  sort?: SortState;
  commands: readonly string[];
  envs: readonly string[];
  /** Rows of the tunnels overlay (useTunnels `items`). */
  tunnelItems?: readonly string[];
}

export type UiEvent =
  | { type: 'input'; input: string; key?: Partial<InkKey>; ctx: KeyContext }
  | { type: 'drain'; upTo: number }
  | { type: 'setPanel'; panel: KindId }
  | { type: 'setEnv'; env: string }
  | { type: 'setCursor'; panel: KindId; cursor: Cursor }
  | { type: 'setMode'; mode: Mode };

export function initialUi(env: string, panel: KindId = 'nodes'): UiState {
  return {
    panel,
    env,
    mode: 'normal',
    cursors: {},
    filters: {},
    sorts: {},
    palette: '',
    envCursor: 0,
    tunnelCursor: 0,
    effects: [],
    nextEffect: 1,
  };
}

function emit(state: UiState, body: EffectBody): UiState {
  const effect = { ...body, id: state.nextEffect } as Effect;
  return { ...state, effects: [...state.effects, effect], nextEffect: state.nextEffect + 1 };
}

function moveTo(state: UiState, ctx: KeyContext, target: (current: number) => number): UiState {
  const current = resolveCursor(state.cursors[state.panel], ctx.ids);
  const index = clampIndex(target(current), ctx.ids.length);
  const id = ctx.ids[index];
  return { ...state, cursors: { ...state.cursors, [state.panel]: id === undefined ? { index } : { index, id } } };
}

function setPanel(state: UiState, panel: KindId): UiState {
  return { ...state, panel, mode: 'normal' };
}

function dropLast(text: string): string {
  const chars = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];
  return chars
    .slice(0, -1)
    .map((s) => s.segment)
    .join('');
}

/** Movement keys shared by the table and the text modes that keep the list live. */
function movement(state: UiState, token: string, ctx: KeyContext): UiState | undefined {
  switch (token) {
    case 'down':
      return moveTo(state, ctx, (c) => c + 1);
    case 'up':
      return moveTo(state, ctx, (c) => c - 1);
    case 'pagedown':
      return moveTo(state, ctx, (c) => c + Math.max(1, ctx.page));
    case 'pageup':
      return moveTo(state, ctx, (c) => c - Math.max(1, ctx.page));
    case 'home':
      return moveTo(state, ctx, () => 0);
    case 'end':
      return moveTo(state, ctx, () => ctx.ids.length - 1);
    default:
      return undefined;
  }
}

function normalKey(state: UiState, token: string, ctx: KeyContext): UiState {
  const command = globalCommandOf(token);
  const panelIndex = kindOrder.indexOf(state.panel);
  switch (command) {
    case 'nextPanel':
      return setPanel(state, kindOrder[(panelIndex + 1) % kindOrder.length]!);
    case 'prevPanel':
      return setPanel(state, kindOrder[(panelIndex - 1 + kindOrder.length) % kindOrder.length]!);
    case 'panel':
      return setPanel(state, kindOrder[Number(token) - 1] ?? state.panel);
    case 'down':
    case 'up':
      return movement(state, command, ctx)!;
    case 'pageDown':
      return movement(state, 'pagedown', ctx)!;
    case 'pageUp':
      return movement(state, 'pageup', ctx)!;
    case 'top':
      return movement(state, 'home', ctx)!;
    case 'bottom':
      return movement(state, 'end', ctx)!;
    case 'details':
      return ctx.ids.length > 0 ? { ...state, mode: 'details' } : state;
    case 'filter':
      return { ...state, mode: 'filter' };
    case 'palette':
      return { ...state, mode: 'palette', palette: '' };
    case 'help':
      return { ...state, mode: 'help' };
    case 'env':
      return { ...state, mode: 'env', envCursor: Math.max(0, ctx.envs.indexOf(state.env)) };
    case 'refresh':
      return emit(state, { type: 'refresh' });
    case 'quit':
      return emit(state, { type: 'quit' });
    case 'shell':
      return emit(state, { type: 'shell' });
    case 'tunnels':
      return { ...state, mode: 'tunnels', tunnelCursor: 0 };
    case 'close': {
      if (!state.filters[state.panel]) return state;
      const filters = { ...state.filters };
      delete filters[state.panel];
      return { ...state, filters };
    }
    case 'sortNext':
    case 'sortPrev': {
      if (ctx.columns <= 0) return state;
      const step = command === 'sortNext' ? 1 : -1;
      const from = ctx.sort?.column ?? (step > 0 ? -1 : 0);
      const column = (from + step + ctx.columns) % ctx.columns;
      return { ...state, sorts: { ...state.sorts, [state.panel]: { column, desc: false } } };
    }
    case 'sortReverse': {
      const current = ctx.sort ?? { column: 0, desc: false };
      return { ...state, sorts: { ...state.sorts, [state.panel]: { column: current.column, desc: !current.desc } } };
    }
    case undefined:
      // A single letter no global key takes is the panel's action key.
      return isText(token) ? emit(state, { type: 'action', key: token }) : state;
  }
}

function filterKey(state: UiState, token: string, ctx: KeyContext): UiState {
  const text = state.filters[state.panel] ?? '';
  const withFilter = (t: string): UiState => ({ ...state, filters: { ...state.filters, [state.panel]: t } });
  if (token === 'esc') {
    const filters = { ...state.filters };
    delete filters[state.panel];
    return { ...state, filters, mode: 'normal' };
  }
  if (token === 'enter') return { ...state, mode: 'normal' };
  if (token === 'backspace') return withFilter(dropLast(text));
  if (isText(token)) return withFilter(text + token);
  return movement(state, token, ctx) ?? state;
}

function paletteKey(state: UiState, token: string, ctx: KeyContext): UiState {
  if (token === 'esc') return { ...state, mode: 'normal', palette: '' };
  if (token === 'enter') {
    const text = state.palette.trim();
    const closed: UiState = { ...state, mode: 'normal', palette: '' };
    return text ? emit(closed, { type: 'palette', text }) : closed;
  }
  if (token === 'tab') return { ...state, palette: complete(state.palette, ctx.commands) };
  if (token === 'backspace') return { ...state, palette: dropLast(state.palette) };
  if (isText(token)) return { ...state, palette: state.palette + token };
  return state;
}

function envKey(state: UiState, token: string, ctx: KeyContext): UiState {
  const n = ctx.envs.length;
  if (token === 'esc' || token === 'q' || token === 'e') return { ...state, mode: 'normal' };
  if (token === 'j' || token === 'down') return { ...state, envCursor: clampIndex(state.envCursor + 1, n) };
  if (token === 'k' || token === 'up') return { ...state, envCursor: clampIndex(state.envCursor - 1, n) };
  if (token === 'enter') {
    const env = ctx.envs[state.envCursor];
    if (env === undefined) return { ...state, mode: 'normal' };
    const next: UiState = { ...state, mode: 'normal', env };
    return env === state.env ? next : emit(next, { type: 'envChanged', env });
  }
  return state;
}

function tunnelsKey(state: UiState, token: string, ctx: KeyContext): UiState {
  const items = ctx.tunnelItems ?? [];
  const at = clampIndex(state.tunnelCursor, items.length);
  const item = items[at];
  if (token === 'esc' || token === 'q' || token === 'u') return { ...state, mode: 'normal' };
  if (token === 'j' || token === 'down') return { ...state, tunnelCursor: clampIndex(at + 1, items.length) };
  if (token === 'k' || token === 'up') return { ...state, tunnelCursor: clampIndex(at - 1, items.length) };
  if (token === 'x' && item?.startsWith('open:')) return emit(state, { type: 'tunnel', item });
  if (token === 'enter' && item?.startsWith('named:')) return emit(state, { type: 'tunnel', item });
  return state;
}

function overlayKey(state: UiState, token: string): UiState {
  const closeKeys = state.mode === 'help' ? ['esc', 'q', '?'] : ['esc', 'q', 'enter'];
  return closeKeys.includes(token) ? { ...state, mode: 'normal' } : state;
}

function reduceToken(state: UiState, token: string, ctx: KeyContext): UiState {
  switch (state.mode) {
    case 'normal':
      return normalKey(state, token, ctx);
    case 'filter':
      return filterKey(state, token, ctx);
    case 'palette':
      return paletteKey(state, token, ctx);
    case 'env':
      return envKey(state, token, ctx);
    case 'tunnels':
      return tunnelsKey(state, token, ctx);
    case 'help':
    case 'details':
      return overlayKey(state, token);
  }
}

/**
 * The one place keys change UI state. Pure, so back-to-back keys never see stale state (the
 * loss LAB.md measured with useState handlers) and it is tested without a terminal.
 */
export function keyReducer(state: UiState, event: UiEvent): UiState {
  switch (event.type) {
    case 'input': {
      let next = state;
      for (const token of keyTokens(event.input, event.key)) next = reduceToken(next, token, event.ctx);
      return next;
    }
    case 'drain':
      return { ...state, effects: state.effects.filter((e) => e.id > event.upTo) };
    case 'setPanel':
      return setPanel(state, event.panel);
    case 'setEnv':
      return state.env === event.env ? state : emit({ ...state, env: event.env }, { type: 'envChanged', env: event.env });
    case 'setCursor':
      return { ...state, cursors: { ...state.cursors, [event.panel]: event.cursor } };
    case 'setMode':
      return { ...state, mode: event.mode };
  }
}

/** UI state: panel, mode, cursors, filters, sorts, palette text, pending effects. */
export function useUiState(env: string, panel: KindId = 'nodes'): [UiState, Dispatch<UiEvent>] {
  return useReducer(keyReducer, undefined, () => initialUi(env, panel));
}

/**
 * Feeds keys to the reducer. `ctx` is read when a key arrives; `isActive: false` (a dialog owns
 * the keys, or the terminal is handed to ssh) stops listening.
 */
export function useKeyInput(dispatch: Dispatch<UiEvent>, ctx: KeyContext, isActive: boolean): void {
  const ctxRef = useRef(ctx);
  ctxRef.current = ctx;
  const onInput = useCallback(
    (input: string, key: Partial<InkKey>) => {
      dispatch({ type: 'input', input, key, ctx: ctxRef.current });
    },
    [dispatch],
  );
  useInput(onInput, { isActive });
}

/** Both of the above, for a screen that knows its context before the state. */
export function useKeys(env: string, ctx: KeyContext, isActive: boolean): [UiState, Dispatch<UiEvent>] {
  const [state, dispatch] = useUiState(env);
  useKeyInput(dispatch, ctx, isActive);
  return [state, dispatch];
}
