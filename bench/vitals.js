// Vitals figures through the lab (needs `npm run lab:up` as root first; skipped otherwise):
// fetchVitals over a kept Fleet connection vs the same script through a fresh `ssh` (the
// OpenSSH way without ControlMaster), plus parse time. Sources run through tsx.
import { execFileSync } from 'node:child_process';
import { labOrSkip } from './lab.mjs';

const L = labOrSkip('vitals');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const RUNS = Number(process.env.BENCH_VITALS_RUNS ?? 30);

if (L) {
  const { Fleet } = await import('../source/ssh/fleet.ts');
  const { fleetOptions } = await import('../test/fixtures/ssh/lab-fleet.ts');
  const { fetchVitals } = await import('../source/vitals/fetch.ts');
  const { parseVitals } = await import('../source/vitals/parse.ts');
  const { VITALS_SCRIPT } = await import('../source/vitals/commands.ts');
  const fleet = new Fleet(fleetOptions(L));
  try {
    const t0 = performance.now();
    await fetchVitals(fleet, 'ims');
    const first = performance.now() - t0;
    const kept = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await Promise.all(L.nodes.map((n) => fetchVitals(fleet, n.name)));
      kept.push(performance.now() - t);
    }
    const fresh = [];
    let out = '';
    for (let i = 0; i < Math.min(RUNS, 10); i++) {
      const t = performance.now();
      out = execFileSync('ssh', ['-F', L.sshConfig, 'ims', 'sh', '-c', `'${VITALS_SCRIPT.replace(/'/g, `'\\''`)}'`], { encoding: 'utf8' });
      fresh.push(performance.now() - t);
    }
    const p0 = performance.now();
    for (let i = 0; i < 1000; i++) parseVitals(out);
    const parseUs = ((performance.now() - p0) / 1000) * 1000;
    console.log(`vitals: first fetch (connect bastion + node) ${first.toFixed(0)} ms`);
    console.log(`vitals: all ${L.nodes.length} nodes over kept connections, median ${median(kept).toFixed(1)} ms (${RUNS} runs)`);
    console.log(`vitals: one node via fresh ssh (ProxyJump, no ControlMaster), median ${median(fresh).toFixed(0)} ms`);
    console.log(`vitals: parse ${parseUs.toFixed(0)} µs per sample`);
    console.log(`ratio opsconsole (all nodes, kept) / ssh (one node, fresh): ${(median(kept) / median(fresh)).toFixed(2)}x`);
  } finally {
    await fleet.close();
  }
}
