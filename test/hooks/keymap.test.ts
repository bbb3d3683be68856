import { describe, expect, it } from 'vitest';
import { globalCommandOf, globalKeys, keyConflicts, keyLabel } from '../../hooks/keymap.ts';
import { kinds } from '../../source/app/registry.ts';
import { kindOrder } from '../../source/app/kind.ts';
import { testKinds } from '../screens/fakes.ts';

describe('keymap', () => {
  it('binds no key twice across the global keys and the actions of any kind', () => {
    expect(keyConflicts(Object.values(kinds))).toEqual([]);
  });

  it('gives every action of every kind a single-character key or none', () => {
    for (const id of kindOrder) {
      for (const action of kinds[id].actions) {
        if (action.key !== undefined) expect([...action.key], action.id).toHaveLength(1);
      }
    }
  });

  it('reports an action that takes a global key', () => {
    const k = testKinds();
    const clash = { ...k.timers, actions: [...k.timers.actions, { ...k.timers.actions[0]!, id: 'timer.refresh', key: 'r' }] };
    expect(keyConflicts([clash])).toEqual([{ key: 'r', kind: 'timers', commands: ['refresh', 'timer.refresh'] }]);
  });

  it('finds the command of a key and writes keys for the help', () => {
    expect(globalCommandOf('G')).toBe('bottom');
    expect(globalCommandOf('x')).toBeUndefined();
    expect(keyLabel(globalKeys.panel.keys)).toBe('1-7');
    expect(keyLabel(globalKeys.down.keys)).toBe('j/↓');
  });
});
