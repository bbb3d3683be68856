// Tunnels against a fake Remote whose forward() is a plain TCP connection to a local server
// (the node's service); the lab test does the same through real sshd.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Remote } from '../../../source/app/remote.ts';
import { describeTunnel, openTunnel, type Tunnel } from '../../../source/tunnels/tunnel.ts';
import { TunnelRegistry } from '../../../source/tunnels/registry.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { server, port: (server.address() as AddressInfo).port };
}

/** forward(node, host, port) → TCP to 127.0.0.1:`ports[port]` (or a rejection / a hang). */
function fakeRemote(map: (port: number) => number | Error | 'hang', calls: string[] = []): Remote {
  return {
    exec: async () => ({ code: 0, stdout: '', stderr: '' }),
    stream: async () => ({ code: 0 }),
    forward: (node, host, port) => {
      calls.push(`${node} ${host}:${port}`);
      const to = map(port);
      if (to === 'hang') return new Promise<Duplex>(() => {});
      if (to instanceof Error) return Promise.reject(to);
      return new Promise<Duplex>((resolve, reject) => {
        const s = connect(to, '127.0.0.1');
        s.once('connect', () => resolve(s));
        s.once('error', reject);
      });
    },
  };
}

async function tunnel(remote: Remote, o: Parameters<typeof openTunnel>[1]): Promise<Tunnel> {
  const t = await openTunnel(remote, o);
  cleanups.push(() => t.close());
  return t;
}

/** Sends `msg`, returns what came back before the socket closed, or the error code. */
function roundTrip(port: number, msg: string, host = '127.0.0.1'): Promise<{ data: string; error?: string }> {
  return new Promise((resolve) => {
    const s: Socket = connect(port, host);
    let data = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      data += d;
      if (data.length >= msg.length) s.end();
    });
    s.on('connect', () => s.write(msg));
    s.on('error', (e: NodeJS.ErrnoException) => resolve({ data, error: e.code ?? e.message }));
    s.on('close', () => resolve({ data }));
  });
}

describe('openTunnel', () => {
  it('listens on 127.0.0.1 only and pipes each connection through its own channel', async () => {
    const { port } = await echoServer();
    const calls: string[] = [];
    const t = await tunnel(fakeRemote(() => port, calls), { node: 'ims', port: 8080 });
    expect(t.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(t.localPort).toBeGreaterThan(0);
    expect(t.url).toBe(`http://127.0.0.1:${t.localPort}`);
    expect(describeTunnel(t)).toBe(`http://127.0.0.1:${t.localPort} -> ims:8080`);
    expect(t.warning).toBeUndefined();
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => roundTrip(t.localPort, `hello ${i}`)));
    expect(replies.map((r) => r.data)).toEqual(Array.from({ length: 20 }, (_, i) => `hello ${i}`));
    expect(calls).toHaveLength(20);
    expect(calls[0]).toBe('ims 127.0.0.1:8080');
    expect(t.totalConnections).toBe(20);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.connections).toBe(0);
  });

  it('a failed channel resets only that socket, records lastError and keeps listening', async () => {
    const { port } = await echoServer();
    let fail = true;
    const remote = fakeRemote(() => (fail ? new Error('cannot reach 127.0.0.1:8080 from node ims: Connection refused') : port));
    const t = await tunnel(remote, { node: 'ims', port: 8080 });
    const errors: string[] = [];
    t.on('error', (e: Error) => errors.push(e.message));
    const bad = await roundTrip(t.localPort, 'x');
    expect(bad.data).toBe('');
    expect(bad.error).toBe('ECONNRESET');
    expect(t.lastError).toBe('ims:8080: cannot reach 127.0.0.1:8080 from node ims: Connection refused');
    expect(errors).toEqual([t.lastError]);
    expect(t.listening).toBe(true);
    fail = false;
    expect(await roundTrip(t.localPort, 'again')).toEqual({ data: 'again' });
    expect(t.failures).toBe(1);
  });

  it('keeps the reply direction open when the client half-closes after its request', async () => {
    // The "service" answers only once it has seen the client's FIN.
    const server = createServer({ allowHalfOpen: true }, (s) => {
      let got = '';
      s.setEncoding('utf8').on('data', (d: string) => (got += d));
      s.on('end', () => s.end(`got ${got}`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const t = await tunnel(fakeRemote(() => (server.address() as AddressInfo).port), { node: 'ims', port: 8080 });
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect({ port: t.localPort, host: '127.0.0.1', allowHalfOpen: true });
      let data = '';
      s.setEncoding('utf8').on('data', (d: string) => (data += d));
      s.on('connect', () => s.end('ping'));
      s.on('end', () => resolve(data));
      s.on('error', reject);
    });
    expect(reply).toBe('got ping');
  });

  it('gives up on a channel that never opens', async () => {
    const t = await tunnel(fakeRemote(() => 'hang'), { node: 'ims', port: 8080, openTimeoutMs: 100 });
    const t0 = Date.now();
    const r = await roundTrip(t.localPort, 'x');
    expect(r.error).toBe('ECONNRESET');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(t.lastError).toBe('ims:8080: no channel within 0.1 s');
  });

  it('closes a channel that opens only after the timeout', async () => {
    const { port } = await echoServer();
    let late: Socket | undefined;
    const remote: Remote = {
      ...fakeRemote(() => port),
      forward: () =>
        new Promise<Duplex>((resolve) => {
          setTimeout(() => {
            late = connect(port, '127.0.0.1');
            late.once('connect', () => resolve(late!));
          }, 150);
        }),
    };
    const t = await tunnel(remote, { node: 'ims', port: 8080, openTimeoutMs: 50 });
    expect((await roundTrip(t.localPort, 'x')).error).toBe('ECONNRESET');
    await new Promise((r) => setTimeout(r, 300));
    expect(late?.destroyed).toBe(true);
    expect(t.connections).toBe(0);
  });

  it('without an error listener a failure does not throw', async () => {
    const t = await tunnel(fakeRemote(() => new Error('boom')), { node: 'ims', port: 80 });
    expect((await roundTrip(t.localPort, 'x')).error).toBe('ECONNRESET');
    expect(t.lastError).toBe('ims:80: boom');
  });

  it('close() ends open connections and the listener', async () => {
    const { port } = await echoServer();
    const t = await tunnel(fakeRemote(() => port), { node: 'ims', port: 8080, host: '10.0.0.5' });
    expect(describeTunnel(t)).toBe(`http://127.0.0.1:${t.localPort} -> ims:10.0.0.5:8080`);
    const s = connect(t.localPort, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    await new Promise((r) => setTimeout(r, 50));
    expect(t.connections).toBe(1);
    const closed = new Promise((r) => s.once('close', r));
    await t.close();
    await closed;
    expect(t.listening).toBe(false);
    expect((await roundTrip(t.localPort, 'x')).error).toBe('ECONNREFUSED');
    await t.close(); // idempotent
  });

  it('binds elsewhere only when asked, with a warning; rejects a port in use', async () => {
    const t = await tunnel(fakeRemote(() => 1), { node: 'ims', port: 80, bind: '0.0.0.0' });
    expect(t.address().address).toBe('0.0.0.0');
    expect(t.warning).toMatch(/listens on 0.0.0.0, not only on 127.0.0.1/);
    const first = await tunnel(fakeRemote(() => 1), { node: 'ims', port: 80 });
    await expect(openTunnel(fakeRemote(() => 1), { node: 'ims', port: 80, localPort: first.localPort })).rejects.toThrow(/is in use/);
    await expect(openTunnel(fakeRemote(() => 1), { node: 'ims', port: 0 })).rejects.toThrow(RangeError);
    await expect(openTunnel(fakeRemote(() => 1), { node: 'ims', port: 80, bind: 'example.com' })).rejects.toThrow(/bind must be an IP/);
  });
});

describe('TunnelRegistry', () => {
  it('lists open tunnels and closes them all', async () => {
    const { port } = await echoServer();
    const reg = new TunnelRegistry(fakeRemote(() => port));
    cleanups.push(() => reg.closeAll());
    let changes = 0;
    reg.subscribe(() => changes++);
    const a = await reg.open({ node: 'ims', port: 8080, name: 'web' });
    const b = await reg.open({ node: 'tracker', port: 8000 });
    expect(reg.list().map((i) => [i.id, i.name, i.description])).toEqual([
      [a.id, 'web', `http://127.0.0.1:${a.tunnel.localPort} -> ims:8080`],
      [b.id, undefined, `http://127.0.0.1:${b.tunnel.localPort} -> tracker:8000`],
    ]);
    expect(reg.find('tracker', 8000)).toBe(b.tunnel);
    expect(await roundTrip(a.tunnel.localPort, 'hi')).toEqual({ data: 'hi' });
    expect(reg.list()[0]?.totalConnections).toBe(1);
    expect(await reg.close(a.id)).toBe(true);
    expect(await reg.close(a.id)).toBe(false);
    expect(reg.size).toBe(1);
    await reg.closeAll();
    expect(reg.size).toBe(0);
    expect(b.tunnel.listening).toBe(false);
    expect(changes).toBeGreaterThanOrEqual(4);
  });

  it('opens a configured tunnel on the same local port, or any free one when that is taken', async () => {
    const { port } = await echoServer(); // this port is taken locally now
    const reg = new TunnelRegistry(fakeRemote(() => port));
    cleanups.push(() => reg.closeAll());
    const a = await reg.openConfigured({ name: 'echo', node: 'ims', port });
    expect(a.tunnel.localPort).not.toBe(port);
    expect(a.tunnel.name).toBe('echo');
    const free = a.tunnel.localPort;
    await a.tunnel.close();
    const b = await reg.openConfigured({ name: 'same', node: 'ims', port: free });
    expect(b.tunnel.localPort).toBe(free);
    await expect(reg.openConfigured({ name: 'taken', node: 'ims', port: 80, localPort: free })).rejects.toThrow(/is in use/);
  });
});
