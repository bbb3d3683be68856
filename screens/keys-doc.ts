import { kindOrder } from '../source/app/kind.ts';
import { kinds } from '../source/app/registry.ts';
import { globalKeys, keyLabel } from '../hooks/keymap.ts';

/** The README's key table, from the same bindings the footer and `?` render. */
export function keysMarkdown(): string {
  const rows = ['| Key | Where | What |', '| --- | --- | --- |'];
  for (const b of Object.values(globalKeys)) rows.push(`| \`${keyLabel(b.keys)}\` | everywhere | ${b.description} |`);
  for (const id of kindOrder) {
    for (const a of kinds[id].actions) {
      if (!a.key) continue;
      const note = a.destructive ? ' (asks first)' : '';
      rows.push(`| \`${a.key}\` | ${kinds[id].title} | ${a.title.toLowerCase()}${note} |`);
    }
  }
  return rows.join('\n');
}
