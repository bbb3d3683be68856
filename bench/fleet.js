// Fleet round through the lab: one command on every node, for 2 nodes (ims, tracker: real
// systemd) and for 2 + BENCH_FLEET_EXTRA (default 8) nodes (the extra ones plain sshd namespaces,
// test/lab/extra-nodes.ts). Compares, median of several rounds each:
//   - opsconsole warm: one Fleet, connections kept, all nodes in parallel;
//   - opsconsole cold: a new `node bench/fleet-cold.mjs` process per round (Node start-up, tsx
//     loading the TypeScript sources, bastion + node connects, the round, close), spawn to exit;
//   - OpenSSH `ssh -J bastion NODE CMD`, one node after the other (and, for reference, all at once);
//   - OpenSSH ControlMaster: a master per node opened before timing, then `ssh NODE CMD` over it,
//     sequentially and in parallel.
// Needs root. Takes the lab lock (waits up to BENCH_FLEET_LOCK_WAIT_S, default 90 s, for a test
// run); brings the lab up (and down afterwards) if it is not up; adds and always removes the
// extra nodes. Prints "fleet bench skipped: ..." when it cannot run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism as nproc, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();

const EXTRA = Number(process.env.BENCH_FLEET_EXTRA ?? 8);
const WARM_ROUNDS = Number(process.env.BENCH_FLEET_ROUNDS ?? 50);
const COLD_ROUNDS = Number(process.env.BENCH_FLEET_COLD_ROUNDS ?? 5);
const SSH_ROUNDS = Number(process.env.BENCH_FLEET_SSH_ROUNDS ?? 3);
const LOCK_WAIT_S = Number(process.env.BENCH_FLEET_LOCK_WAIT_S ?? 90);
const COLD_SCRIPT = fileURLToPath(new URL('fleet-cold.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * fleet-cold.mjs bundled like dist/ (esbuild, ssh2 external), kept in memory: the child reads
 * it from stdin (`node --input-type=module`) with the repo as cwd, so `ssh2` resolves from
 * node_modules and nothing is written into the tree.
 */
async function bundleCold() {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [COLD_SCRIPT],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    logLevel: 'error',
    external: ['ssh2', 'cpu-features', 'tsx', 'tsx/*'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return out.outputFiles[0].text;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const say = (line) => console.log(line);

/** Runs a process to its exit; ms from spawn to exit. */
function proc(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const stdio = opts.detachesStdio ? 'ignore' : [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
    const child = spawn(cmd, args, { stdio, env: opts.env ?? process.env, cwd: opts.cwd });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: String(e), ms: performance.now() - t0 }));
    // 'close' waits for stdout/stderr too; 'exit' is enough when the process forks a daemon (ssh -f).
    child.on(opts.detachesStdio ? 'exit' : 'close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - t0 }));
  });
}

function must(r, what) {
  if (r.code !== 0 || !r.stdout.trim()) throw new Error(`${what}: exit ${r.code}, ${r.stdout.length} bytes out: ${r.stderr.trim().slice(0, 300)}`);
  return r;
}

async function rounds(n, f) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function bench(ctx) {
  const { labAndExtra, benchFleet, fleetRound, remoteCommand, ROUND_CMD, STANDIN_CMD } = await import('./fleet-lab.mjs');
  const { lab, extra } = labAndExtra();
  const systemd = lab.nodes.map((n) => n.name);
  const sets = [systemd, [...systemd, ...extra.nodes.map((n) => n.name)]];
  const cfg = extra.sshConfig;
  const ssh = (node, extraArgs = []) => proc('ssh', ['-F', cfg, ...extraArgs, node, remoteCommand(lab, node)]);
  const results = []; // per set: { method: ms[] }
  const coldSplit = {};
  const cpuPerRound = [];
  const bundled = await bundleCold();

  // Check once that the real command does what the issue asks on a systemd node.
  const fleet = benchFleet(lab, extra);
  ctx.fleet = fleet;
  const sample = (await fleetRound(fleet, lab, [systemd[0]]))[0].stdout;
  const firstLine = sample.split('\n')[0] ?? '';
  const json = firstLine.trimStart().startsWith('[') || firstLine.trimStart().startsWith('{');

  const cm = mkdtempSync(join(tmpdir(), 'opsconsole-bench-cm-'));
  ctx.cmDir = cm;
  const cmOpts = ['-o', `ControlPath=${cm}/%n`];
  ctx.cmNodes = sets[1];
  ctx.cmExit = (node) => proc('ssh', ['-F', cfg, ...cmOpts, '-O', 'exit', node]);
  // Masters for every node, opened before any timing (ControlPersist 120 s: they go away on their own if we crash).
  await Promise.all(
    sets[1].map(async (node) => {
      const r = await proc('ssh', ['-F', cfg, ...cmOpts, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=120', '-f', '-N', node], { detachesStdio: true });
      if (r.code !== 0) throw new Error(`ControlMaster for ${node}: exit ${r.code}`);
    }),
  );

  for (const names of sets) {
    const m = {};
    // opsconsole warm: connect once, a few warm-up rounds, then measure.
    for (let i = 0; i < 5; i++) await fleetRound(fleet, lab, names);
    const cpu0 = process.cpuUsage();
    m.warm = await rounds(WARM_ROUNDS, () => fleetRound(fleet, lab, names));
    const cpu = process.cpuUsage(cpu0);
    cpuPerRound.push((cpu.user + cpu.system) / 1000 / WARM_ROUNDS);
    for (let i = 0; i < 3; i++) await fleetRound(fleet, lab, names, {});
    m.plain = await rounds(WARM_ROUNDS, () => fleetRound(fleet, lab, names, {}));

    // Floor: the same kept connections running `true` (SSH round trip + sshd session, no command work).
    for (let i = 0; i < 3; i++) await Promise.all(names.map((n) => fleet.exec(n, ['true'])));
    m.floor = await rounds(WARM_ROUNDS, () => Promise.all(names.map((n) => fleet.exec(n, ['true']))));

    // opsconsole cold: one new process per round (one warm-up run first so tsx's transform cache is filled).
    const cold = async (key, run) => {
      must(await run(), `${key} warm-up`);
      m[key] = [];
      const split = { loaded: [], round: [] };
      for (let i = 0; i < COLD_ROUNDS; i++) {
        const r = must(await run(), `opsconsole ${key} round`);
        const j = JSON.parse(r.stdout.trim().split('\n').at(-1));
        m[key].push(r.ms);
        split.loaded.push(j.loadedMs);
        split.round.push(j.roundMs);
      }
      (coldSplit[key] ??= []).push(split);
    };
    await cold('cold', () => proc(process.execPath, [COLD_SCRIPT, names.join(',')]));
    await cold('coldBundled', () =>
      proc(process.execPath, ['--input-type=module'], {
        input: bundled,
        cwd: ROOT,
        env: { ...process.env, OPSCONSOLE_BENCH_BUNDLED: '1', OPSCONSOLE_BENCH_NODES: names.join(',') },
      }),
    );

    m.sshSeq = await rounds(SSH_ROUNDS, async () => {
      for (const n of names) must(await ssh(n, ['-J', 'bastion']), `ssh -J ${n}`);
    });
    m.sshPar = await rounds(SSH_ROUNDS, () => Promise.all(names.map(async (n) => must(await ssh(n, ['-J', 'bastion']), `ssh -J ${n}`))));
    m.cmSeq = await rounds(Math.max(SSH_ROUNDS, 10), async () => {
      for (const n of names) must(await ssh(n, [...cmOpts, '-o', 'ControlMaster=no']), `ssh (ControlMaster) ${n}`);
    });
    m.cmPar = await rounds(Math.max(SSH_ROUNDS, 10), () =>
      Promise.all(names.map(async (n) => must(await ssh(n, [...cmOpts, '-o', 'ControlMaster=no']), `ssh (ControlMaster) ${n}`))),
    );
    results.push(m);
  }

  const rows = [
    ['warm', 'opsconsole warm (kept connections, parallel)', 'opsconsole warm'],
    ['plain', '  same, exec without timeout (no cancel wrapper)', 'warm, no wrapper'],
    ['floor', '  same, `true` instead (SSH + sshd session floor)', 'floor'],
    ['cold', 'opsconsole cold (new process, tsx sources)', 'opsconsole cold (tsx)'],
    ['coldBundled', 'opsconsole cold (new process, esbuild bundle)', 'opsconsole cold (bundle)'],
    ['sshSeq', 'OpenSSH ssh -J, sequential', 'ssh -J seq'],
    ['sshPar', 'OpenSSH ssh -J, parallel (reference)', 'ssh -J par'],
    ['cmSeq', 'OpenSSH ControlMaster, sequential', 'ControlMaster seq'],
    ['cmPar', 'OpenSSH ControlMaster, parallel', 'ControlMaster par'],
  ];
  const n = (k) => ({ warm: WARM_ROUNDS, plain: WARM_ROUNDS, floor: WARM_ROUNDS, cold: COLD_ROUNDS, coldBundled: COLD_ROUNDS, sshSeq: SSH_ROUNDS, sshPar: SSH_ROUNDS }[k] ?? Math.max(SSH_ROUNDS, 10));
  const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const w = 50;
  const col = (s) => String(s).padStart(18);
  say(`fleet round, median ms of N rounds; lab: bastion ${lab.bastion.address}, nodes only through it`);
  say(`  ${systemd.join(', ')} (systemd 252): ${ROUND_CMD}`);
  say(`    (docker is not installed on the lab nodes: that part prints nothing; list-timers ${json ? 'prints JSON' : `prints a table, not JSON: "${firstLine.trim().slice(0, 60)}"`})`);
  say(`  ${extra.nodes[0].name}..${extra.nodes.at(-1).name} (plain sshd namespaces, no systemd): stand-in \`${STANDIN_CMD}\``);
  say(`  warm = one Fleet, connections opened before timing, Promise.all of fleet.exec(node, ['sh', '-c', CMD], { timeoutMs }) per round,`);
  say(`    as the app calls exec (a timeout wraps the command in quote.ts's cancellableCommand); "no wrapper" and \`true\` pass no timeout`);
  say(`  cold = spawn of \`node bench/fleet-cold.mjs\` to its exit: Node start-up + loading the Fleet (TS sources via tsx, or an esbuild`);
  say(`    bundle like dist/, read from stdin) + bastion connect (+ warm-up exec) + all node connects over it + the round + close`);
  say(`  OpenSSH: \`ssh -F ${cfg} [-J bastion | -o ControlPath=...] NODE "sh -c '...'"\`; ControlMaster: one master per node, opened before timing`);
  say(`  ${nproc()} CPUs: the client, the bastion and every node's sshd share them`);
  say(`  load average ${ctx.load0} at start, ${loadavg()} now (machine shared with other work)`);
  say('');
  say(`${'method'.padEnd(w)}${col(`${sets[0].length} nodes`)}${col(`${sets[1].length} nodes`)}   N`);
  for (const [k, label] of rows) say(`${label.padEnd(w)}${results.map((m) => col(`${fmt(median(m[k]))} ms`)).join('')}   ${n(k)}`);
  say(`${'  opsconsole warm: client CPU per round'.padEnd(w)}${cpuPerRound.map((c) => col(`${fmt(c)} ms`)).join('')}`);
  for (const [k, label] of [['cold', 'tsx'], ['coldBundled', 'bundle']]) {
    say(`${`  cold (${label}) split: module load / connect+round`.padEnd(w)}${coldSplit[k].map((s) => col(`${fmt(median(s.loaded))} / ${fmt(median(s.round))}`)).join('')}`);
  }
  say('');
  for (const [k, , short] of rows.slice(3)) {
    say(`${`${short} / opsconsole warm`.padEnd(w)}${results.map((m) => col(`${(median(m[k]) / median(m.warm)).toFixed(1)}x`)).join('')}`);
  }
  const warm10 = median(results[1].warm);
  const ratio10 = median(results[1].sshSeq) / warm10;
  say('');
  say(`target: warm fleet round for ${sets[1].length} nodes <= 50 ms: ${warm10 <= 50 ? 'MET' : 'MISS'} (${fmt(warm10)} ms)`);
  say(`target: >= 10x faster than sequential ssh -J (${sets[1].length} nodes): ${ratio10 >= 10 ? 'MET' : 'MISS'} (${ratio10.toFixed(1)}x)`);
  say(
    `  (the ${sets[1].length}-node warm round is mostly server CPU here: opsconsole's own CPU is ${fmt(cpuPerRound[1])} ms per round, the \`true\` floor ${fmt(median(results[1].floor))} ms, on ${nproc()} shared CPUs)`,
  );
}

async function main() {
  if (process.getuid?.() !== 0) return say('fleet bench skipped: needs root (the lab uses network namespaces)');
  const { acquireLabLock, labDown, labUp, readLab } = await import('../test/lab/lab.ts');
  const { extraNodesDown, extraNodesUp } = await import('../test/lab/extra-nodes.ts');
  const ctx = { load0: loadavg() };
  let release;
  try {
    release = await acquireLabLock(LOCK_WAIT_S * 1000, say);
  } catch (e) {
    return say(`fleet bench skipped: ${e.message}`);
  }
  let broughtUp = false;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await ctx.fleet?.close().catch(() => {});
    if (ctx.cmExit) await Promise.all(ctx.cmNodes.map((n) => ctx.cmExit(n)));
    if (ctx.cmDir) rmSync(ctx.cmDir, { recursive: true, force: true });
    await extraNodesDown().catch((e) => say(`fleet bench: removing the extra nodes failed: ${e.message}`));
    if (broughtUp) await labDown().catch((e) => say(`fleet bench: lab down failed: ${e.message}`));
    release();
  };
  const onSignal = (sig) => {
    say(`fleet bench: ${sig}, cleaning up`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    try {
      readLab();
      say('fleet bench: using the lab that is up (leaving it up)');
    } catch {
      try {
        const t0 = Date.now();
        await labUp();
        broughtUp = true;
        say(`fleet bench: lab was down, brought it up in ${((Date.now() - t0) / 1000).toFixed(1)} s (takes it down afterwards)`);
      } catch (e) {
        return say(`fleet bench skipped: the lab cannot come up: ${e.message.split('\n')[0]}`);
      }
    }
    try {
      await extraNodesUp(EXTRA, say);
    } catch (e) {
      return say(`fleet bench skipped: extra nodes cannot come up: ${e.message.split('\n')[0]}`);
    }
    await bench(ctx);
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

await main();
