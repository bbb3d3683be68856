import type { Action } from './action.ts';
import { kindOrder, type KindId, type ResourceKind } from './kind.ts';
import { nodeKind } from '../nodes/kind.ts';
import { serviceKind } from '../services/kind.ts';
import { timerKind } from '../units/kind.ts';
import { backupKind } from '../backups/kind.ts';
import { certKind } from '../certs/kind.ts';
import { secretKind } from '../secrets/kind.ts';
import { auditKind } from '../audit/kind.ts';

// The one list of kinds; screens/registry.ts keeps the matching list of screens.
export const kinds: Record<KindId, ResourceKind<any>> = {
  nodes: nodeKind,
  services: serviceKind,
  timers: timerKind,
  backups: backupKind,
  certs: certKind,
  secrets: secretKind,
  audit: auditKind,
};

/** Every action of every kind, in panel order. */
export function allActions(): Action<any>[] {
  return kindOrder.flatMap((id) => kinds[id].actions);
}

export function actionById(id: string): Action<any> | undefined {
  return allActions().find((a) => a.id === id);
}

/** The action whose CLI words start argv (longest match wins), and the arguments after them. */
export function actionByCli(argv: readonly string[]): { action: Action<any>; rest: string[] } | undefined {
  let best: Action<any> | undefined;
  for (const action of allActions()) {
    const words = action.cli;
    if (!words || words.length > argv.length || !words.every((w, i) => argv[i] === w)) continue;
    if (!best || words.length > best.cli!.length) best = action;
  }
  return best ? { action: best, rest: argv.slice(best.cli!.length) } : undefined;
}
