import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkHostKey,
  checkHostKeyIn,
  defaultOwnKnownHosts,
  fingerprint,
  keyTypeOf,
  knownKeyTypes,
  parseKnownHosts,
  patternsMatch,
  trustHostKey,
} from '../../../source/ssh/known-hosts.ts';

let dir: string;
interface Key {
  line: string; // "ssh-ed25519 AAAA…"
  blob: Buffer;
  fp: string; // from ssh-keygen -lf
}
let a: Key, b: Key, r: Key;

function makeKey(name: string, type: string): Key {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', path]);
  const line = readFileSync(`${path}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const fp = execFileSync('ssh-keygen', ['-lf', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { line, blob: Buffer.from(line.split(' ')[1]!, 'base64'), fp };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kh-'));
  a = makeKey('a', 'ed25519');
  b = makeKey('b', 'ed25519');
  r = makeKey('r', 'ecdsa');
});

describe('fingerprint', () => {
  it('matches ssh-keygen -l', () => {
    expect(fingerprint(a.blob)).toBe(a.fp);
    expect(fingerprint(r.blob)).toBe(r.fp);
    expect(keyTypeOf(a.blob)).toBe('ssh-ed25519');
    expect(keyTypeOf(r.blob)).toBe('ecdsa-sha2-nistp256');
  });
});

describe('patterns', () => {
  it('plain, comma lists, [host]:port, wildcards and negation', () => {
    expect(patternsMatch('ims,10.0.0.1', '10.0.0.1', 22)).toBe(true);
    expect(patternsMatch('ims,10.0.0.1', '10.0.0.1', 2222)).toBe(false);
    expect(patternsMatch('[10.0.0.1]:2222', '10.0.0.1', 2222)).toBe(true);
    expect(patternsMatch('[10.0.0.1]:2222', '10.0.0.1', 22)).toBe(false);
    expect(patternsMatch('*.example.org,!evil.example.org', 'a.example.org', 22)).toBe(true);
    expect(patternsMatch('*.example.org,!evil.example.org', 'evil.example.org', 22)).toBe(false);
    expect(patternsMatch('10.0.0.?', '10.0.0.7', 22)).toBe(true);
    expect(patternsMatch('IMS', 'ims', 22)).toBe(true);
  });
});

describe('checkHostKey', () => {
  it('known, unknown, changed (naming fingerprints), comments and markers', () => {
    const text = [
      '# comment',
      '',
      `ims,10.0.0.1 ${a.line} comment here`,
      `[tracker]:2222 ${b.line}`,
      `@cert-authority *.example.org ${r.line}`,
      `@revoked * ${r.line}`,
      'garbage line',
      `broken ssh-ed25519 not*base64`,
    ].join('\n');
    const e = parseKnownHosts(text, 'f');
    expect(e).toHaveLength(4);
    expect(checkHostKeyIn(e, 'ims', 22, a.blob)).toEqual({ state: 'known' });
    expect(checkHostKeyIn(e, '10.0.0.1', 22, a.blob)).toEqual({ state: 'known' });
    expect(checkHostKeyIn(e, 'tracker', 2222, b.blob)).toEqual({ state: 'known' });
    expect(checkHostKeyIn(e, 'tracker', 22, b.blob)).toEqual({ state: 'unknown', fingerprint: b.fp });
    expect(checkHostKeyIn(e, 'ims', 22, b.blob)).toEqual({ state: 'changed', expected: [a.fp], actual: b.fp });
    // The CA line is skipped: a host in *.example.org presenting the CA key is not "known".
    expect(checkHostKeyIn(e, 'x.example.org', 22, a.blob)).toEqual({ state: 'unknown', fingerprint: a.fp });
    // A revoked key is refused wherever it shows up.
    expect(checkHostKeyIn(e, 'x.example.org', 22, r.blob)).toEqual({ state: 'changed', expected: [], actual: r.fp, revoked: true });
  });

  it('hashed entries (ssh-keygen -H), including [host]:port', () => {
    const f = join(dir, 'hashed');
    writeFileSync(f, `10.203.1.11 ${a.line}\n[10.203.1.12]:2222 ${b.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', f], { stdio: 'ignore' });
    const text = readFileSync(f, 'utf8');
    expect(text).not.toContain('10.203');
    expect(text).toMatch(/^\|1\|/m);
    expect(checkHostKey([f], '10.203.1.11', 22, a.blob)).toEqual({ state: 'known' });
    expect(checkHostKey([f], '10.203.1.12', 2222, b.blob)).toEqual({ state: 'known' });
    expect(checkHostKey([f], '10.203.1.12', 22, b.blob).state).toBe('unknown');
    expect(checkHostKey([f], '10.203.1.11', 22, b.blob)).toEqual({ state: 'changed', expected: [a.fp], actual: b.fp });
    expect(knownKeyTypes([f], '10.203.1.11', 22)).toEqual(['ssh-ed25519']);
  });

  it('reads several files, skipping missing ones and non-regular files', () => {
    const f1 = join(dir, 'k1');
    writeFileSync(f1, `ims ${a.line}\n`);
    expect(checkHostKey([join(dir, 'nope'), dir, '/dev/null', f1], 'ims', 22, a.blob)).toEqual({ state: 'known' });
  });
});

describe('trustHostKey', () => {
  it('appends to the own file (0600 in a 0700 folder) without touching existing lines', () => {
    const own = join(dir, 'state', 'opsconsole', 'known_hosts');
    trustHostKey(own, 'ims', 22, a.blob);
    expect(statSync(own).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state', 'opsconsole')).mode & 0o777).toBe(0o700);
    writeFileSync(own, readFileSync(own, 'utf8') + '# user note, no newline');
    trustHostKey(own, '10.0.0.9', 2222, b.blob);
    const lines = readFileSync(own, 'utf8').split('\n');
    expect(lines).toEqual([`ims ${a.line}`, '# user note, no newline', `[10.0.0.9]:2222 ${b.line}`, '']);
    expect(checkHostKey([own], '10.0.0.9', 2222, b.blob)).toEqual({ state: 'known' });
    // OpenSSH agrees with what we wrote.
    const out = execFileSync('ssh-keygen', ['-F', '[10.0.0.9]:2222', '-f', own], { encoding: 'utf8' });
    expect(out).toContain(b.line);
  });

  it('refuses host names that would corrupt the file', () => {
    expect(() => trustHostKey(join(dir, 'x'), 'a b', 22, a.blob)).toThrow(/invalid host/);
    expect(() => trustHostKey(join(dir, 'x'), 'a,b', 22, a.blob)).toThrow(/invalid host/);
  });

  it('defaults to $XDG_STATE_HOME/opsconsole/known_hosts', () => {
    expect(defaultOwnKnownHosts({ XDG_STATE_HOME: '/s' })).toBe('/s/opsconsole/known_hosts');
    expect(defaultOwnKnownHosts({})).toMatch(/\.local\/state\/opsconsole\/known_hosts$/);
  });
});
