import { describe, expect, it } from 'vitest';
import { kindOrder } from '../../../source/app/kind.ts';
import { actionByCli, actionById, allActions, kinds } from '../../../source/app/registry.ts';

describe('registry', () => {
  it('has one kind per KindId, each under its own id', () => {
    for (const id of kindOrder) expect(kinds[id].id).toBe(id);
  });

  it('never gives two actions of one kind the same key', () => {
    for (const id of kindOrder) {
      const keys = kinds[id].actions.map((a) => a.key).filter(Boolean);
      expect(new Set(keys).size, `duplicate key on ${id}: ${keys.join(' ')}`).toBe(keys.length);
    }
  });

  it('never repeats an action id or CLI words', () => {
    const ids = allActions().map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cli = allActions().flatMap((a) => (a.cli ? [a.cli.join(' ')] : []));
    expect(new Set(cli).size).toBe(cli.length);
  });

  it('names actions kind.verb and gives destructive ones capital keys', () => {
    for (const a of allActions()) {
      expect(a.id).toMatch(/^[a-z]+\.[a-z-]+$/);
      if (a.key && a.destructive) expect(a.key, a.id).toMatch(/^[A-Z]$/);
      if (a.key && !a.destructive) expect(a.key, a.id).toMatch(/^[a-z]$/);
      expect(a.destructive && a.confirm === 'none', `${a.id} is destructive without confirmation`).toBe(false);
    }
  });

  it('puts each action on the panel of its own kind', () => {
    for (const id of kindOrder) for (const a of kinds[id].actions) expect(a.kind).toBe(id);
  });

  it('finds actions by id and by CLI words', () => {
    expect(actionById('timer.run')?.key).toBe('t');
    expect(actionById('nope')).toBeUndefined();
    const hit = actionByCli(['node', 'reboot', 'ims']);
    expect(hit?.action.id).toBe('node.reboot');
    expect(hit?.rest).toEqual(['ims']);
    expect(actionByCli(['run', 'ims', 'postgres-backups.timer'])?.action.id).toBe('timer.run');
    expect(actionByCli(['frobnicate'])).toBeUndefined();
  });
});
