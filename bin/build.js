// Bundles the console into one ESM file: module resolution of Ink's and React's many files
// costs ~0.3 s of start-up unbundled (DESIGN.md "Build and start-up").
import { build } from 'esbuild';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Chunk names carry content hashes: start from an empty dist/ so old chunks do not pile up.
rmSync(`${root}dist`, { recursive: true, force: true });

await build({
  entryPoints: { opsconsole: `${root}bin/opsconsole.ts` },
  outdir: `${root}dist`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true, // drivers loaded with import() become their own chunks, off the first frame
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Native addons, and ssh2 (CommonJS that finds its optional native crypto via __dirname),
  // stay in node_modules; ssh2 is only imported once a live node is contacted.
  external: ['@napi-rs/keyring', 'ssh2', 'cpu-features', 'react-devtools-core'],
  // Ink's devtools integration is only reached with DEV=true; CommonJS deps need require().
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"' },
});

// `npx opsconsole` in a clone: npm links the bins of dependencies into node_modules/.bin but
// never the project's own. package.json declares no "bin" on purpose: with one, npm 11.19's
// npx tries to install the project into its cache and fails (ENOENT on its package.json);
// without one it runs what it finds here.
const link = `${root}node_modules/.bin/opsconsole`;
mkdirSync(`${root}node_modules/.bin`, { recursive: true });
rmSync(link, { force: true });
symlinkSync('../../bin/opsconsole.js', link);
