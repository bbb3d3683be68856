// `npm run bench`: every benchmark, one after another, each printing its figures.
import { readdirSync } from 'node:fs';
const dir = new URL('.', import.meta.url);
const only = process.argv[2];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'run.js').sort()) {
  if (only && !file.includes(only)) continue;
  console.log(`\n## ${file}`);
  await import(new URL(file, dir).href);
}
