import type { Action } from '../source/app/action.ts';
import { kindOrder } from '../source/app/kind.ts';
import type { KindId, ResourceKind } from '../source/app/kind.ts';

/** Candidates of the `:` palette that fit what is typed: prefix matches first, then substrings. */
export function paletteMatches(text: string, candidates: readonly string[], limit = 8): string[] {
  const t = text.trim().toLowerCase();
  const prefix = candidates.filter((c) => c.toLowerCase().startsWith(t));
  const inside = t ? candidates.filter((c) => !c.toLowerCase().startsWith(t) && c.toLowerCase().includes(t)) : [];
  return [...prefix, ...inside].slice(0, limit);
}

/**
 * Tab completion: the one candidate starting with the text, else their longest common
 * prefix; pressed again on an ambiguous prefix it takes the first candidate.
 */
export function complete(text: string, candidates: readonly string[]): string {
  const t = text.toLowerCase();
  const matches = candidates.filter((c) => c.toLowerCase().startsWith(t));
  if (matches.length === 0) return text;
  if (matches.length === 1) return matches[0]!;
  let prefix = matches[0]!;
  for (const m of matches) {
    let i = 0;
    while (i < prefix.length && i < m.length && prefix[i]!.toLowerCase() === m[i]!.toLowerCase()) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix.length > text.length ? prefix : matches[0]!;
}

export interface PaletteCommand {
  text: string;
  description: string;
}

const paletteGlobals = { help: 'help for this panel', refresh: 'refresh now', quit: 'quit' } as const;

/** Everything `:` knows: panels, every kind's actions by id, `env NAME`, a few globals. */
export function paletteCommands(kinds: Record<KindId, ResourceKind<any>>, envs: readonly string[]): PaletteCommand[] {
  return [
    ...kindOrder.map((id) => ({ text: id, description: `${kinds[id].title} panel` })),
    ...kindOrder.flatMap((id) => (kinds[id].actions as Action<any>[]).map((a) => ({ text: a.id, description: a.title }))),
    ...envs.map((e) => ({ text: `env ${e}`, description: 'switch environment' })),
    ...Object.entries(paletteGlobals).map(([text, description]) => ({ text, description })),
  ];
}

export type PaletteTarget =
  | { type: 'panel'; kind: KindId }
  | { type: 'env'; env: string }
  | { type: 'action'; action: Action<any> }
  | { type: 'global'; command: keyof typeof paletteGlobals }
  | { type: 'unknown'; text: string };

/** What Enter in the palette does with the text: ids, titles and panel titles all count. */
export function parsePalette(text: string, kinds: Record<KindId, ResourceKind<any>>, envs: readonly string[]): PaletteTarget {
  const t = text.trim().replace(/^:/, '');
  const lower = t.toLowerCase();
  const env = /^env\s+(\S+)$/i.exec(t);
  if (env) {
    const name = envs.find((e) => e.toLowerCase() === env[1]!.toLowerCase());
    return name ? { type: 'env', env: name } : { type: 'unknown', text: t };
  }
  for (const id of kindOrder) {
    if (lower === id || lower === kinds[id].title.toLowerCase()) return { type: 'panel', kind: id };
  }
  for (const id of kindOrder) {
    for (const a of kinds[id].actions as Action<any>[]) {
      if (lower === a.id.toLowerCase() || lower === a.title.toLowerCase()) return { type: 'action', action: a };
    }
  }
  if (lower in paletteGlobals) return { type: 'global', command: lower as keyof typeof paletteGlobals };
  return { type: 'unknown', text: t };
}
