// The SSH fleet layer against the real lab: sshd on the bastion and on two systemd nodes that
// are reachable only through it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as tcpConnect } from 'node:net';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Fleet } from '../../source/ssh/fleet.ts';
import { HostKeyChangedError, HostKeyUnknownError, SshError } from '../../source/ssh/errors.ts';
import { fingerprint } from '../../source/ssh/known-hosts.ts';
import { nodeExec } from './lab.ts';
import type { LabState } from './state.ts';
import { fleetOptions, lab, timed, tmp, until } from '../fixtures/ssh/lab-fleet.ts';

let L: LabState;
const fleets: Fleet[] = [];
function fleet(over: Parameters<typeof fleetOptions>[1] = {}): Fleet {
  const f = new Fleet(fleetOptions(L, over));
  fleets.push(f);
  return f;
}

beforeAll(() => {
  L = lab(); // throws loudly when the lab is down
});
afterAll(async () => {
  await Promise.all(fleets.map((f) => f.close()));
});

describe('through the bastion', () => {
  it('direct TCP from the host to a node fails, the bastion path works', async () => {
    const ims = L.nodes.find((n) => n.name === 'ims')!;
    const direct = await new Promise<string>((resolve) => {
      const s = tcpConnect({ host: ims.address, port: ims.port, timeout: 1500 });
      s.on('connect', () => (s.destroy(), resolve('connected')));
      s.on('timeout', () => (s.destroy(), resolve('timeout')));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(direct).not.toBe('connected');

    const f = fleet();
    const t = await timed(f.exec('ims', ['hostname']));
    expect(t.error).toBeUndefined();
    expect(t.value).toEqual({ code: 0, stdout: 'ims\n', stderr: '' });
    expect((await f.exec('tracker', ['hostname'])).stdout).toBe('tracker\n');
    // Kept connection: a second exec is cheap.
    const again = await timed(f.exec('ims', ['true']));
    console.log(`ssh: first exec via bastion ${t.ms.toFixed(0)} ms, on kept connection ${again.ms.toFixed(1)} ms`);
    expect(again.ms).toBeLessThan(500);
  });

  it('passes argv verbatim (quoted once), stdin, exit codes and stderr', async () => {
    const f = fleet();
    const hostile = ["it's", '$(id)', '`id`', 'a b', '*', '; echo pwned', ''];
    const r = await f.exec('ims', ['printf', '%s\\n', ...hostile]);
    expect(r.stdout).toBe(hostile.map((h) => `${h}\n`).join(''));
    expect(await f.exec('ims', ['sh', '-c', 'cat; echo oops >&2; exit 7'], { stdin: 'in\n' })).toEqual({ code: 7, stdout: 'in\n', stderr: 'oops\n' });
    const s = await f.exec('ims', ['sh', '-c', 'kill -TERM $$']);
    expect(s.code).toBeNull();
    expect(s.signal).toBe('SIGTERM');
  });

  it('concurrent callers share one pending connect; connections are reused', async () => {
    const log = join(L.dir, 'bastion', 'sshd.log');
    const accepted = () => readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('Accepted publickey')).length;
    const before = accepted();
    const f = fleet();
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => f.exec(i % 2 ? 'ims' : 'tracker', ['true'])));
    expect(rs.map((r) => r.code)).toEqual(rs.map(() => 0));
    await f.exec('ims', ['true']);
    expect(accepted() - before).toBe(1); // one bastion login for 21 execs on two nodes
  });

  it('ping reports latency', async () => {
    const f = fleet();
    const p = await f.ping('tracker');
    expect(p.state).toBe('connected');
    expect(await f.ping('bastion')).toMatchObject({ state: 'connected' });
  });
});

describe('host keys', () => {
  it('refuses an unknown host key and names its fingerprint; trust() then lets it in', async () => {
    const d = tmp();
    const empty = join(d, 'empty');
    writeFileSync(empty, '');
    const f = fleet({ knownHosts: [empty], ownKnownHosts: join(d, 'own', 'known_hosts') });
    const t = await timed(f.exec('bastion', ['true']));
    expect(t.error).toBeInstanceOf(HostKeyUnknownError);
    const e = t.error as HostKeyUnknownError;
    expect(e.fingerprint).toBe(L.bastion.hostKeyFingerprint);
    expect(e.message).toContain(L.bastion.hostKeyFingerprint);
    expect(await f.ping('bastion')).toEqual({ state: 'hostkey-unknown', fingerprint: L.bastion.hostKeyFingerprint });

    // A node behind the bastion: the bastion is trusted now, the node is not.
    f.trust('bastion', e.key);
    expect(readFileSync(join(d, 'own', 'known_hosts'), 'utf8')).toBe(`${L.bastion.address} ${L.bastion.hostKeyPublic}\n`);
    const ims = L.nodes.find((n) => n.name === 'ims')!;
    expect(await f.ping('ims')).toEqual({ state: 'hostkey-unknown', fingerprint: ims.hostKeyFingerprint });
    const n = await timed(f.exec('ims', ['true']));
    expect(n.error).toBeInstanceOf(HostKeyUnknownError);
    f.trust('ims', (n.error as HostKeyUnknownError).key);
    expect((await f.exec('ims', ['hostname'])).stdout).toBe('ims\n');
  });

  it('refuses a changed host key, naming the old and the new fingerprint, before logging in', async () => {
    const d = tmp();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(d, 'other')]);
    const otherPub = readFileSync(join(d, 'other.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const otherFp = fingerprint(Buffer.from(otherPub.split(' ')[1]!, 'base64'));
    const ims = L.nodes.find((n) => n.name === 'ims')!;
    const kh = join(d, 'known_hosts');
    const tracker = L.nodes.find((n) => n.name === 'tracker')!;
    writeFileSync(kh, `${L.bastion.address} ${L.bastion.hostKeyPublic}\n${ims.address} ${otherPub}\n${tracker.address} ${tracker.hostKeyPublic}\n`);
    const f = fleet({ knownHosts: [kh] });
    await f.exec('bastion', ['true']); // the bastion itself is fine
    const t = await timed(f.exec('ims', ['true']));
    expect(t.error).toBeInstanceOf(HostKeyChangedError);
    const e = t.error as HostKeyChangedError;
    expect(e.expected).toEqual([otherFp]);
    expect(e.actual).toBe(ims.hostKeyFingerprint);
    expect(e.message).toContain(otherFp);
    expect(e.message).toContain(ims.hostKeyFingerprint);
    expect(e.message).toMatch(/HOST KEY HAS CHANGED/);
    console.log(`ssh: changed host key refused in ${t.ms.toFixed(0)} ms`);
    expect(t.ms).toBeLessThan(1000);
    expect(await f.ping('ims')).toEqual({ state: 'hostkey-changed', expected: otherFp, actual: ims.hostKeyFingerprint });
    // The other node is unaffected.
    expect((await f.exec('tracker', ['hostname'])).code).toBe(0);
  });

  it('accepts hashed known_hosts', async () => {
    expect(readFileSync(L.knownHostsHashed, 'utf8')).toMatch(/^\|1\|/);
    expect(readFileSync(L.knownHostsHashed, 'utf8')).not.toContain('10.203.');
    const f = fleet({ knownHosts: [L.knownHostsHashed] });
    expect((await f.exec('ims', ['hostname'])).stdout).toBe('ims\n');
    expect((await f.exec('tracker', ['hostname'])).stdout).toBe('tracker\n');
  });
});

describe('authentication', () => {
  let agent: ChildProcess | undefined;
  afterAll(() => {
    if (agent?.pid) process.kill(agent.pid, 'SIGTERM');
  });

  it('uses ssh-agent', async () => {
    const sock = join(tmp('ssh-agent-'), 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    await until('agent socket', 5000, async () => {
      if (!existsSync(sock)) throw new Error('no socket yet');
    }, 50);
    execFileSync('ssh-add', ['-q', L.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    const f = fleet({ identityFiles: [], agent: sock });
    expect((await f.exec('ims', ['hostname'])).stdout).toBe('ims\n');
    expect((await f.exec('bastion', ['true'])).code).toBe(0);
  });

  it('decrypts an encrypted key with the passphrase callback, asking once', async () => {
    let asked = 0;
    const f = fleet({
      identityFiles: [L.encryptedKey],
      passphrase: async () => {
        asked++;
        return L.encryptedKeyPassphrase;
      },
    });
    expect((await f.exec('ims', ['hostname'])).stdout).toBe('ims\n');
    expect((await f.exec('tracker', ['hostname'])).stdout).toBe('tracker\n');
    expect(asked).toBe(1);
  });

  it('says clearly when authentication fails', async () => {
    const wrong = fleet({ identityFiles: [L.encryptedKey], passphrase: async () => 'wrong' });
    const e = (await timed(wrong.exec('ims', ['true']))).error as SshError;
    expect(e).toBeInstanceOf(SshError);
    expect(e.message).toMatch(/bastion 10\.203\.0\.2:22: authentication as root failed/);
    expect(e.message).toMatch(/wrong passphrase/);
    const none = fleet({ identityFiles: ['/nonexistent/key'] });
    const e2 = (await timed(none.exec('bastion', ['true']))).error as SshError;
    expect(e2.code).toBe('auth');
    expect(e2.message).toMatch(/no agent, no readable identity file/);
  });
});

describe('channels', () => {
  it('runs 50 concurrent execs across the two nodes with MaxSessions 10', async () => {
    const f = fleet({ maxSessions: 10 });
    await Promise.all([f.exec('ims', ['true']), f.exec('tracker', ['true'])]);
    const names = ['bastion', 'ims', 'tracker'];
    const subscribers = async () => Promise.all(names.map(async (n) => (await f.connection(n)).listenerCount));
    const baseline = await subscribers();
    const t0 = performance.now();
    const rs = await Promise.all(
      Array.from({ length: 50 }, (_, i) => f.exec(i % 2 ? 'ims' : 'tracker', ['sh', '-c', `sleep 0.05; echo ${i} $(hostname)`])),
    );
    const ms = performance.now() - t0;
    rs.forEach((r, i) => expect(r).toEqual({ code: 0, stdout: `${i} ${i % 2 ? 'ims' : 'tracker'}\n`, stderr: '' }));
    console.log(`ssh: 50 concurrent execs in ${ms.toFixed(0)} ms`);
    // Nothing in flight any more: no per-command "dead" subscribers left behind.
    await new Promise((r) => setTimeout(r, 20));
    expect(await subscribers()).toEqual(baseline);
  });

  it('retries "open failed" when more sessions are open than the server allows', async () => {
    // Claim 20 sessions per connection against sshd's MaxSessions 10: the retry absorbs it.
    const f = fleet({ maxSessions: 20 });
    const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => f.exec('ims', ['sh', '-c', `sleep 0.2; echo ${i}`])));
    rs.forEach((r, i) => expect(r.stdout).toBe(`${i}\n`));
    const conn = await f.connection('ims');
    console.log(`ssh: 40 execs at 20 claimed sessions: ${conn.openRetries} open retries`);
    expect(conn.openRetries).toBeGreaterThan(0);
  });

  it('sftp put/get round trip with mode 0600', async () => {
    const f = fleet();
    const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    const path = `/root/opsconsole-sftp-${process.pid}.bin`;
    await f.sftpPut('ims', data, path, { mode: 0o600 });
    expect((await f.sftpGet('ims', path)).equals(data)).toBe(true);
    expect((await nodeExec('ims', ['stat', '-c', '%a %s', path])).stdout.trim()).toBe(`600 ${data.length}`);
    // Overwrite keeps it atomic and 0600; a local file works too.
    const local = join(tmp(), 'local.txt');
    writeFileSync(local, 'second\n', { mode: 0o644 });
    await f.sftpPut('ims', local, path, { mode: 0o600 });
    expect((await f.sftpGet('ims', path)).toString()).toBe('second\n');
    expect((await nodeExec('ims', ['stat', '-c', '%a', path])).stdout.trim()).toBe('600');
    expect((await nodeExec('ims', ['sh', '-c', `ls ${path}.opsconsole-* 2>/dev/null | wc -l`])).stdout.trim()).toBe('0');
    await nodeExec('ims', ['rm', '-f', path]);
    const missing = await timed(f.sftpGet('ims', '/nonexistent/file'));
    expect(missing.error?.message).toMatch(/node ims: sftp \/nonexistent\/file: No such file/);
  });

  it('forward() opens a TCP channel from a node, and from the bastion', async () => {
    const f = fleet();
    const banner = async (node: string, host: string) => {
      const s = await f.forward(node, host, 22);
      return new Promise<string>((resolve, reject) => {
        s.once('data', (d: Buffer) => {
          resolve(d.toString('latin1'));
          s.destroy();
        });
        s.once('error', reject);
      });
    };
    // From ims to tracker's sshd (node to node, inside the lab network), and from the bastion.
    expect(await banner('ims', '10.203.1.12')).toMatch(/^SSH-2\.0-/);
    expect(await banner('ims', '127.0.0.1')).toMatch(/^SSH-2\.0-/);
    expect(await banner('bastion', '10.203.1.11')).toMatch(/^SSH-2\.0-/);
    // Failures name the hop and the target.
    const refused = await timed(f.forward('ims', '127.0.0.1', 1));
    expect(refused.error?.message).toBe('node ims: cannot reach 127.0.0.1:1: Connection refused');
    const prohibited = await timed(f.forward('bastion', '10.203.1.11', 9));
    expect(prohibited.error?.message).toMatch(/^bastion 10\.203\.0\.2:22: cannot reach 10\.203\.1\.11:9: .*prohibited/);
    expect((await f.exec('ims', ['true'])).code).toBe(0);
  });

  it('stream() delivers lines and abort stops the remote process', async () => {
    const f = fleet();
    const marker = `301.${process.pid}`; // unique `sleep` argument to find the remote process
    const lines: string[] = [];
    const ac = new AbortController();
    const p = f.stream('ims', ['sh', '-c', `echo one; echo two >&2; printf 'x\\ny'; exec sleep ${marker}`], {
      onLine: (l, s) => {
        lines.push(`${s}:${l}`);
        if (lines.length === 3) setTimeout(() => ac.abort(), 100);
      },
      signal: ac.signal,
    });
    const r = await timed(p);
    expect(r.value).toEqual({ code: null, aborted: true });
    expect(lines.sort()).toEqual(['stderr:two', 'stdout:one', 'stdout:x']);
    await until('remote process gone', 3000, async () => {
      const ps = await nodeExec('ims', ['pgrep', '-f', `sleep ${marker}`]);
      if (ps.code === 0) throw new Error(`still running: ${ps.stdout}`);
    }, 100);
  });

  it('stream(): a throwing onLine rejects with its error and stops the command', async () => {
    const f = fleet();
    const marker = `304.${process.pid}`;
    const boom = new Error('boom');
    const t = await timed(
      f.stream('ims', ['sh', '-c', `echo a; exec sleep ${marker}`], {
        onLine: () => {
          throw boom;
        },
      }),
    );
    expect(t.error).toBe(boom);
    await until('remote process gone', 3000, async () => {
      if ((await nodeExec('ims', ['pgrep', '-f', `sleep ${marker}`])).code === 0) throw new Error('still running');
    }, 100);
    expect((await f.exec('ims', ['true'])).code).toBe(0); // the connection is fine
  });

  it('exec timeout rejects and stops the remote command', async () => {
    const f = fleet();
    const marker = `302.${process.pid}`;
    const t = await timed(f.exec('tracker', ['sh', '-c', `exec sleep ${marker}`], { timeoutMs: 500 }));
    expect(t.error?.message).toBe('node tracker unreachable: command timed out after 0.5 s');
    expect(t.ms).toBeLessThan(1500);
    await until('remote process gone', 3000, async () => {
      if ((await nodeExec('tracker', ['pgrep', '-f', `sleep ${marker}`])).code === 0) throw new Error('still running');
    }, 100);
  });
});

describe('OpenSSH handoff', () => {
  it('shellArgs() runs the real ssh through the bastion with our known_hosts', () => {
    const f = fleet();
    const argv = f.shellArgs('ims', ['hostname']);
    expect(argv).toContain('StrictHostKeyChecking=yes');
    const r = spawnSync(argv[0]!, ['-o', 'BatchMode=yes', '-F', '/dev/null', ...argv.slice(1)], { encoding: 'utf8', timeout: 15_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ims\n');
  });

  it('sshConfigBlocks() is a working OpenSSH config with ProxyJump', () => {
    const f = fleet();
    const text = f.sshConfigBlocks();
    expect(text).toContain('ProxyJump bastion');
    const file = join(tmp(), 'config');
    writeFileSync(file, text);
    const r = spawnSync('ssh', ['-F', file, '-o', 'BatchMode=yes', 'tracker', 'hostname'], { encoding: 'utf8', timeout: 15_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('tracker\n');
  });
});
