// Temporary perf harness (not a test): idle CPU and renders of the App over the demo fleet.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink';
import { App } from '../../screens/App.tsx';
import { kinds } from '../../source/app/registry.ts';
import { compose } from '../../source/app/compose.ts';
import { createDemoBackend } from '../../source/demo/backend.ts';
import { FakeStdin } from '../helpers/render.ts';

class Out extends EventEmitter { columns = 160; rows = 48; isTTY = true; writes = 0; bytes = 0; last = 0;
  write = (s: string) => { this.writes++; this.bytes += s.length; this.last = performance.now(); return true; }; }
const stdout = new Out();
const stdin = new FakeStdin();
const c = compose({ backend: createDemoBackend({ size: 10000 }), auditPath: join(mkdtempSync(join(tmpdir(), 'perf-')), 'a.jsonl'), readonly: false });
const t0 = performance.now();
render(<App services={c.services} kinds={kinds} initialEnv={c.initialEnv} initialPanel="timers" onQuit={() => {}} />, { stdout: stdout as any, stdin: stdin as any, stderr: new Out() as any, exitOnCtrlC: false, patchConsole: false, incrementalRendering: false });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
await sleep(4000);
const idle = Number(process.env.IDLE ?? 10);
const w0 = stdout.writes; const u0 = process.cpuUsage();
await sleep(idle * 1000);
const u = process.cpuUsage(u0);
console.log(`idle: ${((u.user + u.system) / 1000 / idle / 10).toFixed(1)} % cpu, ${((stdout.writes - w0) / idle).toFixed(1)} writes/s, ${(stdout.bytes / stdout.writes) | 0} B/write`);
const lat: number[] = [];
for (let i = 0; i < 20; i++) {
  const before = stdout.writes; const s = performance.now();
  stdin.write(i % 2 ? 'k' : 'j');
  while (stdout.writes === before) await new Promise((r) => setImmediate(r));
  lat.push(stdout.last - s);
  await sleep(80);
}
lat.sort((a, b) => a - b);
console.log(`key: median ${lat[10]!.toFixed(1)} ms, max ${lat.at(-1)!.toFixed(1)} ms; rss ${(process.memoryUsage().rss / 1e6) | 0} MB`);
process.exit(0);
