#!/usr/bin/env node
// npm's bin: runs the bundle that `npm install` (prepare) built.
import { existsSync } from 'node:fs';
const bundle = new URL('../dist/opsconsole.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('opsconsole: the bundle is missing; run `npm install` (or `npm run build`) first\n');
  process.exit(2);
}
await import(bundle.href);
