// A tunnel from the console in tmux, against the lab: `o` on a node opens it (port from the
// node's config), curl fetches the node's page through it, `u` lists it and `x` closes it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tmuxApp, type TmuxApp } from '../helpers/tmux.ts';
import { nodeExec } from './lab.ts';
import { readLab, type LabState } from './state.ts';

const PORT = 8091;
let L: LabState;
let app: TmuxApp | undefined;
let config: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  L = readLab();
  await nodeExec('ims', ['sh', '-c', 'mkdir -p /srv/tunnel && echo "ims says hello through the bastion" > /srv/tunnel/index.html']);
  await nodeExec('ims', ['systemctl', 'reset-failed', 'opsconsole-tunnel-httpd.service']);
  const r = await nodeExec('ims', ['systemd-run', '--unit=opsconsole-tunnel-httpd', 'busybox', 'httpd', '-f', '-p', `127.0.0.1:${PORT}`, '-h', '/srv/tunnel']);
  if (r.code !== 0) throw new Error(`httpd on ims: ${r.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'opsc-tunnel-'));
  config = join(dir, 'config.yaml');
  // The node's web port in the config: the default of the tunnel form.
  writeFileSync(config, readFileSync(L.configPath, 'utf8').replace('address: 10.203.1.11', `address: 10.203.1.11\n        ports: [${PORT}]`));
}, 60_000);

afterAll(async () => {
  await nodeExec('ims', ['systemctl', 'stop', 'opsconsole-tunnel-httpd.service']);
});

afterEach(() => {
  app?.kill();
  app = undefined;
});

describe('a tunnel from the console', () => {
  it('o on a node opens a tunnel to its web server; curl fetches the page; x closes it', async () => {
    const local = await freePort();
    app = tmuxApp(['-c', config]);
    await app.waitFor(/ims\s+active\s+connected/, 20_000);
    app.press('/');
    app.type('ims');
    app.press('Enter');
    await app.waitForGone(/tracker\s+active/);
    app.press('o');
    const form = await app.waitFor('port on the node');
    expect(form).toContain(String(PORT)); // prefilled from the node's ports
    app.press('Tab');
    app.type(String(local));
    app.press('Enter');
    await app.waitFor(`http://127.0.0.1:${local} -> ims:${PORT}`, 20_000);

    const curl = spawnSync('curl', ['-sS', '--max-time', '10', `http://127.0.0.1:${local}/`], { encoding: 'utf8' });
    expect(curl.stderr).toBe('');
    expect(curl.stdout).toContain('ims says hello through the bastion');

    app.press('Escape');
    app.press('u');
    const list = await app.waitFor('Tunnels · j/k choose');
    expect(list).toContain(`http://127.0.0.1:${local} -> ims:${PORT}`);
    app.press('x');
    await app.waitForGone(`http://127.0.0.1:${local} -> ims:${PORT}`, 10_000);
    const after = spawnSync('curl', ['-sS', '--max-time', '5', `http://127.0.0.1:${local}/`], { encoding: 'utf8' });
    expect(after.status).not.toBe(0); // nothing listens any more
    app.press('Escape');
    app.press('q');
    await app.waitFor('EXIT=0');
  });
});
