import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReferenceMarkdown } from '../../source/config/reference.ts';
import { keysMarkdown } from '../../screens/keys-doc.ts';

const path = new URL('../../README.md', import.meta.url);

function block(text: string, name: string): string {
  const m = new RegExp(`<!-- ${name}:begin -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(text);
  if (!m) throw new Error(`README.md has no ${name} block`);
  return m[1]!;
}

// `UPDATE_README=1 npx vitest run test/bin/readme.test.ts` regenerates the blocks.
function check(name: string, expected: string) {
  const text = readFileSync(path, 'utf8');
  if (process.env.UPDATE_README) {
    const begin = `<!-- ${name}:begin -->\n`;
    const at = text.indexOf(begin) + begin.length;
    writeFileSync(path, text.slice(0, at) + expected + text.slice(at + block(text, name).length));
    return;
  }
  expect(block(text, name), `README's ${name} block is out of date: run UPDATE_README=1 npx vitest run test/bin/readme.test.ts`).toBe(expected);
}

describe('README', () => {
  it('starts with the two commands: install + demo, and the tests', () => {
    const text = readFileSync(path, 'utf8');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(text)![1]!;
    expect(firstBlock.split('\n')[0]).toMatch(/^npm install && npx opsconsole --demo/);
    expect(firstBlock.split('\n')[1]).toMatch(/^npm test\b/);
  });

  it('carries the config reference generated from the schema', () => {
    check('config-reference', configReferenceMarkdown() + '\n');
  });

  it('carries the keys generated from the Actions and the global key map', () => {
    check('keys', keysMarkdown() + '\n');
  });
});
