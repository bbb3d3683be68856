// Tunnels through the real Fleet: local 127.0.0.1 listener -> bastion -> node sshd
// (direct-tcpip) -> busybox httpd on the node's loopback. Faults: httpd stopped, node
// partitioned.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../source/ssh/fleet.ts';
import { openTunnel, describeTunnel, type Tunnel } from '../../source/tunnels/tunnel.ts';
import { TunnelRegistry } from '../../source/tunnels/registry.ts';
import { fleetOptions, lab, until } from '../fixtures/ssh/lab-fleet.ts';
import { healNode, nodeExec, partitionNode } from './lab.ts';
import type { LabState } from './state.ts';

const NODE = 'ims';
const PORT = 8080;
const PAGE = '<h1>opsconsole tunnel lab</h1>\n';
let L: LabState;
let fleet: Fleet;
let tunnel: Tunnel;

interface Got {
  status?: number;
  body?: string;
  error?: string;
  ms: number;
}

/** One GET on a fresh connection (no keep-alive): status and body, or the error code. */
function get(url: string, timeoutMs = 10_000): Promise<Got> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body, ms: performance.now() - t0 }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message, ms: performance.now() - t0 }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message, ms: performance.now() - t0 }));
    req.end();
  });
}

const mustNode = async (argv: string[]) => {
  const r = await nodeExec(NODE, argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
};
const startHttpd = async () => {
  await nodeExec(NODE, ['systemctl', 'reset-failed', 'opsconsole-httpd.service']);
  await mustNode(['systemd-run', '--unit=opsconsole-httpd', 'busybox', 'httpd', '-f', '-p', `127.0.0.1:${PORT}`, '-h', '/srv/www']);
  await until('httpd listening', 5000, async () => mustNode(['sh', '-c', `busybox wget -q -O /dev/null http://127.0.0.1:${PORT}/`]), 100);
};
const stopHttpd = async () => {
  await nodeExec(NODE, ['systemctl', 'stop', 'opsconsole-httpd.service']);
  await nodeExec(NODE, ['systemctl', 'reset-failed', 'opsconsole-httpd.service']);
};

beforeAll(async () => {
  L = lab();
  fleet = new Fleet(fleetOptions(L));
  await mustNode(['sh', '-c', `mkdir -p /srv/www && printf '%s' '${PAGE.trim()}' > /srv/www/index.html && echo >> /srv/www/index.html`]);
  await startHttpd();
  tunnel = await openTunnel(fleet, { node: NODE, port: PORT });
  tunnel.on('error', () => {}); // recorded in lastError; asserted below
});
afterAll(async () => {
  await healNode(NODE).catch(() => {});
  await tunnel?.close();
  await stopHttpd().catch(() => {});
  await nodeExec(NODE, ['rm', '-rf', '/srv/www']).catch(() => {});
  await fleet?.close();
});

describe('openTunnel through the real Fleet', () => {
  it('listens on 127.0.0.1 only and serves the node page', async () => {
    expect(tunnel.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port: tunnel.localPort });
    expect(tunnel.warning).toBeUndefined();
    expect(describeTunnel(tunnel)).toBe(`http://127.0.0.1:${tunnel.localPort} -> ims:8080`);
    // The node's port is not reachable directly from the host.
    const direct = await get(`http://${L.nodes.find((n) => n.name === NODE)!.address}:${PORT}/`, 1500);
    expect(direct.error).toBeDefined();
    const first = await get(`${tunnel.url}/`);
    const second = await get(`${tunnel.url}/`);
    console.log(`tunnel: first GET ${first.ms.toFixed(0)} ms (incl. SSH connect), then ${second.ms.toFixed(1)} ms`);
    expect(first).toMatchObject({ status: 200, body: PAGE });
    expect(second).toMatchObject({ status: 200, body: PAGE });
  });

  it('50 concurrent requests all succeed', async () => {
    const t0 = performance.now();
    const all = await Promise.all(Array.from({ length: 50 }, () => get(`${tunnel.url}/`)));
    const ms = performance.now() - t0;
    const ok = all.filter((g) => g.status === 200 && g.body === PAGE).length;
    console.log(`tunnel: 50 concurrent GETs in ${ms.toFixed(0)} ms, ${ok} ok; errors: ${[...new Set(all.map((g) => g.error).filter(Boolean))].join(',') || 'none'}`);
    expect(ok).toBe(50);
    await until('connections drained', 2000, async () => expect(tunnel.connections).toBe(0), 50);
  });

  it('httpd stopped: a request fails clearly, the listener stays; restarted: works again', async () => {
    await stopHttpd();
    const before = tunnel.failures;
    const r = await get(`${tunnel.url}/`);
    console.log(`tunnel: with httpd stopped the GET failed with ${r.error} in ${r.ms.toFixed(0)} ms; lastError: ${tunnel.lastError}`);
    expect(r.error).toMatch(/ECONNRESET|socket hang up/);
    expect(r.ms).toBeLessThan(2000);
    expect(tunnel.failures).toBe(before + 1);
    expect(tunnel.lastError).toMatch(/^ims:8080: .*(refused|open failed|cannot reach)/i);
    expect(tunnel.listening).toBe(true);
    await startHttpd();
    expect(await get(`${tunnel.url}/`)).toMatchObject({ status: 200, body: PAGE });
  });

  it('node partitioned: requests fail within 5 s and the listener stays; healed: requests succeed', async () => {
    expect((await get(`${tunnel.url}/`)).status).toBe(200);
    // An open connection (httpd waiting for a request) when the partition starts.
    const idle = connect(tunnel.localPort, '127.0.0.1');
    await new Promise((r) => idle.once('connect', r));
    idle.on('error', () => {});
    await until('idle channel open', 2000, async () => expect(tunnel.connections).toBe(1), 20);
    const idleClosed = new Promise<number>((r) => idle.once('close', () => r(performance.now())));
    await partitionNode(NODE);
    const partitionedAt = performance.now();
    let healed = false;
    try {
      const results = await Promise.all([get(`${tunnel.url}/`), new Promise<Got>((r) => setTimeout(() => r(get(`${tunnel.url}/`)), 1000))]);
      for (const r of results) {
        console.log(`tunnel: partitioned, GET failed with ${r.error} after ${r.ms.toFixed(0)} ms; lastError: ${tunnel.lastError}`);
        expect(r.error).toBeDefined();
        expect(r.ms).toBeLessThan(5000);
      }
      const idleMs = (await Promise.race([idleClosed, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 10_000))])) - partitionedAt;
      console.log(`tunnel: partitioned, the connection open before it was closed after ${idleMs.toFixed(0)} ms`);
      expect(idleMs).toBeLessThan(5000);
      expect(tunnel.listening).toBe(true);
      await healNode(NODE);
      healed = true;
      const back = await until('GET after heal', 30_000, async () => {
        const g = await get(`${tunnel.url}/`, 5000);
        if (g.status !== 200) throw new Error(g.error ?? `status ${g.status}`);
        return g;
      }, 250);
      console.log(`tunnel: after heal the first good GET came ${back.ms.toFixed(0)} ms later`);
      expect(back.value.body).toBe(PAGE);
    } finally {
      if (!healed) await healNode(NODE);
    }
  });

  it('a registry lists the tunnel and closes everything', async () => {
    const reg = new TunnelRegistry(fleet);
    const { id, tunnel: t } = await reg.open({ node: 'tracker', port: 8000, name: 'closed-port' });
    t.on('error', () => {});
    const r = await get(`${t.url}/`);
    expect(r.error).toMatch(/ECONNRESET|socket hang up/);
    expect(reg.list()).toMatchObject([{ id, name: 'closed-port', node: 'tracker', remotePort: 8000, failures: 1 }]);
    expect(reg.list()[0]?.lastError).toMatch(/^tracker:8000: /);
    await reg.closeAll();
    expect(reg.size).toBe(0);
    expect((await get(`${t.url}/`, 1000)).error).toBe('ECONNREFUSED');
  });
});
