import type { Action } from '../source/app/action.ts';
import type { KindId, ResourceKind } from '../source/app/kind.ts';

/** Every key the frame itself handles, by name; help and the footer render from this table. */
export type GlobalCommand =
  | 'nextPanel'
  | 'prevPanel'
  | 'panel'
  | 'down'
  | 'up'
  | 'pageDown'
  | 'pageUp'
  | 'top'
  | 'bottom'
  | 'details'
  | 'filter'
  | 'palette'
  | 'help'
  | 'refresh'
  | 'env'
  | 'sortNext'
  | 'sortPrev'
  | 'sortReverse'
  | 'shell'
  | 'tunnels'
  | 'close'
  | 'quit';

export interface Binding {
  /** Key tokens as produced by `keyTokens` (printable characters or names like `pagedown`). */
  keys: readonly string[];
  description: string;
  /** Short hint for the footer (bindings without one appear only under `?`). */
  footer?: string;
}

export const globalKeys: Record<GlobalCommand, Binding> = {
  nextPanel: { keys: ['tab'], description: 'next panel' },
  prevPanel: { keys: ['shift+tab'], description: 'previous panel' },
  panel: { keys: ['1', '2', '3', '4', '5', '6', '7'], description: 'go to panel' },
  down: { keys: ['j', 'down'], description: 'down' },
  up: { keys: ['k', 'up'], description: 'up' },
  pageDown: { keys: ['pagedown', 'ctrl+f'], description: 'page down' },
  pageUp: { keys: ['pageup', 'ctrl+b'], description: 'page up' },
  top: { keys: ['g', 'home'], description: 'first row' },
  bottom: { keys: ['G', 'end'], description: 'last row' },
  details: { keys: ['enter'], description: 'details', footer: 'details' },
  filter: { keys: ['/'], description: 'filter rows', footer: 'filter' },
  palette: { keys: [':'], description: 'command palette', footer: 'command' },
  help: { keys: ['?'], description: 'help', footer: 'help' },
  refresh: { keys: ['r'], description: 'refresh now' },
  env: { keys: ['e'], description: 'environment', footer: 'env' },
  sortNext: { keys: ['>'], description: 'sort by next column' },
  sortPrev: { keys: ['<'], description: 'sort by previous column' },
  sortReverse: { keys: ['~'], description: 'reverse sort order' },
  shell: { keys: ['s'], description: 'shell on the node' },
  tunnels: { keys: ['u'], description: 'open tunnels (x closes one)' },
  close: { keys: ['esc'], description: 'close / clear filter' },
  quit: { keys: ['q', 'ctrl+c'], description: 'quit', footer: 'quit' },
};

/** Global command bound to a key token, if any. */
export function globalCommandOf(token: string): GlobalCommand | undefined {
  for (const [cmd, b] of Object.entries(globalKeys) as [GlobalCommand, Binding][]) {
    if (b.keys.includes(token)) return cmd;
  }
  return undefined;
}

const names: Record<string, string> = {
  tab: 'Tab',
  'shift+tab': 'S-Tab',
  down: '↓',
  up: '↑',
  pagedown: 'PgDn',
  pageup: 'PgUp',
  home: 'Home',
  end: 'End',
  enter: 'Enter',
  esc: 'Esc',
  'ctrl+f': 'C-f',
  'ctrl+b': 'C-b',
  'ctrl+c': 'C-c',
};

/** How a binding is written in the footer and help: `j/↓`, `1-7`. */
export function keyLabel(keys: readonly string[]): string {
  if (keys.length === 7 && keys[0] === '1' && keys[6] === '7') return '1-7';
  return keys.map((k) => names[k] ?? k).join('/');
}

export interface KeyConflict {
  key: string;
  kind: KindId | 'global';
  commands: string[];
}

/**
 * Keys bound twice: between the global table and any kind's actions, or among the actions of
 * one kind. `s` (shell) is global, so no action may take it.
 */
export function keyConflicts(kinds: Iterable<Pick<ResourceKind<unknown>, 'id' | 'actions'>>): KeyConflict[] {
  const conflicts: KeyConflict[] = [];
  const global = new Map<string, string[]>();
  for (const [cmd, b] of Object.entries(globalKeys)) {
    for (const k of b.keys) global.set(k, [...(global.get(k) ?? []), cmd]);
  }
  for (const [key, cmds] of global) if (cmds.length > 1) conflicts.push({ key, kind: 'global', commands: cmds });
  for (const kind of kinds) {
    const seen = new Map<string, string[]>();
    for (const a of kind.actions as Action<any>[]) {
      if (!a.key) continue;
      seen.set(a.key, [...(seen.get(a.key) ?? []), a.id]);
    }
    for (const [key, ids] of seen) {
      const all = [...(global.get(key) ?? []), ...ids];
      if (all.length > 1) conflicts.push({ key, kind: kind.id, commands: all });
    }
  }
  return conflicts;
}
