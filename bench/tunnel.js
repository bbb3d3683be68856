// Tunnel figures through the lab (needs `npm run lab:up` as root first; skipped otherwise):
// opsconsole's openTunnel over the Fleet vs `ssh -L` over the same bastion, same node, same
// busybox httpd. Sources run through tsx. Prints latency per request on a fresh connection,
// 50-concurrent request rate and bulk throughput, each with the ratio opsconsole / ssh -L.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { request } from 'node:http';
import { labOrSkip } from './lab.mjs';

const L = labOrSkip('tunnel');

const NODE = 'ims';
const PORT = 8090;
const BULK_MB = Number(process.env.BENCH_TUNNEL_MB ?? 32);
const SEQ = Number(process.env.BENCH_TUNNEL_REQUESTS ?? 200);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function get(port, path = '/') {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (d) => (bytes += d.length));
      res.on('end', () => (res.statusCode === 200 ? resolve({ ms: performance.now() - t0, bytes }) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function measure(label, port) {
  await get(port); // warm: SSH connection / channel path
  const lat = [];
  for (let i = 0; i < SEQ; i++) lat.push((await get(port)).ms);
  const t0 = performance.now();
  const rounds = 10;
  for (let r = 0; r < rounds; r++) await Promise.all(Array.from({ length: 50 }, () => get(port)));
  const rps = (rounds * 50) / ((performance.now() - t0) / 1000);
  const b = await get(port, '/bulk.bin');
  const mbps = b.bytes / 1048576 / (b.ms / 1000);
  return { label, median: median(lat), p95: p95(lat), rps, mbps };
}

if (L) {
  const { nodeExec } = await import('../test/lab/lab.ts');
  const { Fleet } = await import('../source/ssh/fleet.ts');
  const { fleetOptions } = await import('../test/fixtures/ssh/lab-fleet.ts');
  const { openTunnel } = await import('../source/tunnels/tunnel.ts');
  const sh = (script) => nodeExec(NODE, ['sh', '-c', script]);
  await sh(`mkdir -p /srv/bench && echo ok > /srv/bench/index.html && head -c ${BULK_MB}M /dev/zero > /srv/bench/bulk.bin`);
  await nodeExec(NODE, ['systemctl', 'reset-failed', 'opsconsole-bench-httpd.service']);
  await nodeExec(NODE, ['systemd-run', '--unit=opsconsole-bench-httpd', 'busybox', 'httpd', '-f', '-p', `127.0.0.1:${PORT}`, '-h', '/srv/bench']);
  const fleet = new Fleet(fleetOptions(L));
  const tunnel = await openTunnel(fleet, { node: NODE, port: PORT });
  const sshPort = 20000 + Math.floor(Math.random() * 20000);
  const ssh = spawn('ssh', ['-F', L.sshConfig, '-N', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${sshPort}:127.0.0.1:${PORT}`, NODE], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100; i++) {
      const up = await new Promise((r) => connect(sshPort, '127.0.0.1').once('connect', function () { this.destroy(); r(true); }).once('error', () => r(false)));
      if (up) break;
      await sleep(100);
    }
    const ours = await measure('opsconsole openTunnel', tunnel.localPort);
    const theirs = await measure('ssh -L (OpenSSH)', sshPort);
    const row = (m) => `${m.label.padEnd(22)} GET median ${m.median.toFixed(2)} ms  p95 ${m.p95.toFixed(2)} ms  50-concurrent ${m.rps.toFixed(0)} req/s  bulk ${m.mbps.toFixed(0)} MB/s`;
    console.log(`tunnel to ${NODE}:${PORT} via bastion, ${SEQ} sequential GETs (new TCP connection each), 10 x 50 concurrent, ${BULK_MB} MB bulk`);
    console.log(row(ours));
    console.log(row(theirs));
    console.log(
      `ratio opsconsole / ssh -L: latency ${(ours.median / theirs.median).toFixed(2)}x (lower is better), rate ${(ours.rps / theirs.rps).toFixed(2)}x, bulk ${(ours.mbps / theirs.mbps).toFixed(2)}x (higher is better)`,
    );
  } finally {
    ssh.kill('SIGTERM');
    await tunnel.close();
    await fleet.close();
    await nodeExec(NODE, ['systemctl', 'stop', 'opsconsole-bench-httpd.service']);
    await nodeExec(NODE, ['rm', '-rf', '/srv/bench']);
  }
}
