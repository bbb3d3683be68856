// One cold opsconsole fleet round, for bench/fleet.js: a new Node process loads the Fleet,
// connects to the bastion and to every node named in argv[2] (comma-separated; in parallel over
// the bastion), runs the round's command on each, closes and exits. Prints {loadedMs, roundMs}
// as JSON: module loading (since process start) and the SSH part (connects + round).
// Normally it loads the TypeScript sources through tsx; bench/fleet.js also runs it bundled by
// esbuild (like dist/, OPSCONSOLE_BENCH_BUNDLED=1, names in OPSCONSOLE_BENCH_NODES).
if (!process.env.OPSCONSOLE_BENCH_BUNDLED) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { labAndExtra, benchFleet, fleetRound } = await import('./fleet-lab.mjs');
const loadedMs = performance.now(); // relative to process start
const names = (process.env.OPSCONSOLE_BENCH_NODES ?? process.argv[2] ?? '').split(',').filter(Boolean);
const { lab, extra } = labAndExtra();
const fleet = benchFleet(lab, extra);
const t0 = performance.now();
try {
  await fleetRound(fleet, lab, names);
  const roundMs = performance.now() - t0;
  process.stdout.write(`${JSON.stringify({ loadedMs, roundMs })}\n`);
} catch (e) {
  process.stderr.write(`fleet-cold: ${e?.message ?? e}\n`);
  process.exitCode = 1;
} finally {
  await fleet.close();
}
