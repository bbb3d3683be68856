import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeSshHost, parseJumpSpec, readSshHost, resolveSshHost } from '../../../source/ssh/ssh-config.ts';

const text = readFileSync(new URL('../../fixtures/ssh/ssh_config', import.meta.url), 'utf8');
const HOME = '/home/u';

describe('resolveSshHost', () => {
  it('reads HostName, User, Port, IdentityFile for a host', () => {
    expect(resolveSshHost(text, 'bastion-prod', HOME)).toEqual({
      hostName: '203.0.113.10',
      user: 'ops',
      port: 2222,
      identityFiles: ['/home/u/.ssh/id_ops'],
    });
  });

  it('expands %h and %r, keeps first-match order, takes the first ProxyJump hop', () => {
    expect(resolveSshHost(text, 'ims', HOME)).toEqual({
      hostName: 'ims.internal',
      user: 'deploy',
      identityFiles: ['/home/u/.ssh/id_deploy_ims.internal', '/home/u/.ssh/id_fallback'],
      proxyJump: 'ops@bastion-prod:2222',
    });
  });

  it('handles wildcards, ProxyJump none and IdentityFile none', () => {
    expect(resolveSshHost(text, 'db-1', HOME)).toEqual({ port: 5022, user: 'fallback' });
    expect(resolveSshHost(text, 'unrelated', HOME)).toEqual({ user: 'fallback' });
  });

  it('opsconsole values win over ~/.ssh/config', () => {
    const fromSsh = resolveSshHost(text, 'ims', HOME);
    expect(mergeSshHost({ user: 'root', port: undefined, identityFiles: [] }, fromSsh)).toEqual({ ...fromSsh, user: 'root' });
    expect(mergeSshHost({ hostName: '10.0.0.5', identityFiles: ['/k'] }, fromSsh).identityFiles).toEqual(['/k']);
  });

  it('reads a file, and a missing file means no settings', async () => {
    const d = mkdtempSync(join(tmpdir(), 'sshcfg-'));
    writeFileSync(join(d, 'config'), 'Host x\n  Port 2200\n');
    expect(await readSshHost('x', join(d, 'config'))).toEqual({ port: 2200 });
    expect(await readSshHost('x', join(d, 'missing'))).toEqual({});
  });
});

describe('parseJumpSpec', () => {
  it('parses user@host:port forms', () => {
    expect(parseJumpSpec('ops@bastion:2222')).toEqual({ user: 'ops', host: 'bastion', port: 2222 });
    expect(parseJumpSpec('bastion')).toEqual({ host: 'bastion' });
    expect(parseJumpSpec('[2001:db8::1]:22')).toEqual({ host: '2001:db8::1', port: 22 });
    expect(parseJumpSpec('ssh://a@b:1')).toEqual({ user: 'a', host: 'b', port: 1 });
  });
});
