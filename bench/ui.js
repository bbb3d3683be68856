// UI figures of the bundled console in tmux with 10,000 rows in one panel: first frame,
// keypress-to-screen, idle CPU and peak RSS, each beside its target and the ratio to a
// bundled minimal Ink app (the peer: what Ink itself costs here).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const tmux = (...a) => execFileSync('tmux', ['-L', `opsconsole-bench-${process.pid}`, ...a], { encoding: 'utf8' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const runs = Number(process.env.BENCH_RUNS ?? 5);

async function peerBundle() {
  const dir = mkdtempSync(join(tmpdir(), 'peer-'));
  // Built exactly like the console's bundle (splitting keeps Ink's devtools chunk unloaded).
  await build({
    entryPoints: { peer: join(root, 'bench/peer-minimal-ink.jsx') }, outdir: dir, outExtension: { '.js': '.mjs' }, splitting: true, bundle: true, format: 'esm', platform: 'node',
    jsx: 'automatic', external: ['react-devtools-core'], define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    nodePaths: [join(root, 'node_modules')],
  });
  return join(dir, 'peer.mjs');
}

function start(argv, home) {
  const session = `bench-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '48', 'bash', '--norc', '--noprofile');
  const cmd = `exec env -u CI HOME=${home} XDG_STATE_HOME=${home}/state TERM=xterm-256color node ${argv.join(' ')}`;
  const t0 = performance.now();
  tmux('send-keys', '-t', session, cmd, 'Enter');
  return { session, t0 };
}

async function waitScreen(session, pred, timeoutMs = 15000) {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const s = tmux('capture-pane', '-p', '-e', '-t', session);
    if (pred(s)) return performance.now();
  }
  throw new Error(`screen never matched in ${session}:\n${tmux('capture-pane', '-p', '-t', session)}`);
}

function pidOf(session) {
  const shell = tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim();
  return Number(shell); // `exec node` replaced the shell
}

// The row drawn in inverse video is the cursor row; its index moves when a key lands.
function cursorLine(screen) {
  return screen.split('\n').findIndex((l) => l.includes('\x1b[7m'));
}

async function measure(argv, ready, panelKey, rowsReady) {
  const firstFrames = [];
  const rowFrames = [];
  const keys = [];
  let rss = 0;
  let cpu = NaN;
  for (let i = 0; i < runs; i++) {
    const home = mkdtempSync(join(tmpdir(), 'bench-home-'));
    const { session, t0 } = start(argv, home);
    try {
      const t1 = await waitScreen(session, ready);
      firstFrames.push(t1 - t0);
      if (rowsReady) rowFrames.push((await waitScreen(session, rowsReady)) - t0);
      if (panelKey) tmux('send-keys', '-t', session, panelKey); // the panel holding the 10,000 rows
      await sleep(1500); // let the first polls land
      for (let k = 0; k < 15; k++) {
        const before = cursorLine(tmux('capture-pane', '-p', '-e', '-t', session));
        const key = k % 2 === 0 ? 'j' : 'k';
        const s = performance.now();
        tmux('send-keys', '-t', session, key);
        const e = await waitScreen(session, (sc) => cursorLine(sc) !== before, 5000);
        keys.push(e - s);
        await sleep(60);
      }
      const pid = pidOf(session);
      if (i === runs - 1 && idleSeconds > 0) {
        const ticks = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
        const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
        const a = ticks();
        await sleep(idleSeconds * 1000);
        cpu = ((ticks() - a) / hz / idleSeconds) * 100;
      }
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      rss = Math.max(rss, hwm ? Number(hwm[1]) / 1024 : 0);
    } finally {
      tmux('kill-session', '-t', session);
    }
  }
  return { firstFrame: median(firstFrames), firstRows: rowFrames.length ? median(rowFrames) : NaN, key: median(keys), cpu, rss };
}

const peer = await peerBundle();
console.log(`ui benchmark: ${runs} runs, idle ${idleSeconds} s, 10,000 rows, tmux 160x48`);
// First frame: the console's frame is on screen (header with DEMO). First rows: the demo's
// first poll (10-200 ms of simulated latency) has landed and the cursor row is drawn.
const ours = await measure([join(root, 'dist/opsconsole.mjs'), '--demo', '--demo-size', '10000'], (s) => s.includes('DEMO'), '3', (s) => s.includes('DEMO') && cursorLine(s) >= 0);
const base = await measure([peer], (s) => s.includes('opsconsole-peer'));
const row = (name, v, unit, target, p) => console.log(`${name.padEnd(28)} ${v.toFixed(1).padStart(8)} ${unit.padEnd(3)} target ${target.padEnd(9)} ${v <= Number(target.replace(/[^\d.]/g, '')) ? 'MET ' : 'MISS'}  peer ${p.toFixed(1)} ${unit} (${(v / p).toFixed(2)}x)`);
row('first frame (median)', ours.firstFrame, 'ms', '<= 300', base.firstFrame);
console.log(`${'first rows (median)'.padEnd(28)} ${ours.firstRows.toFixed(1).padStart(8)} ms  (no target: includes the demo's simulated fetch latency)`);
row('keypress-to-screen (median)', ours.key, 'ms', '<= 50', base.key);
row('idle CPU', ours.cpu, '%', '<= 1', base.cpu);
row('peak RSS', ours.rss, 'MB', '<= 120', base.rss);
