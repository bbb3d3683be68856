import { describe, expect, it } from 'vitest';
import { certKind } from '../../../source/certs/kind.ts';
import type { Certificate } from '../../../source/certs/model.ts';
import { cell } from '../demo/cells.ts';

const now = new Date('2026-12-01T07:00:00Z');
const DAY = 86_400_000;
const cert = (domain: string, days: number): Certificate => ({
  env: 'production', domain, endpoint: '193.62.54.96:443', issuer: "Let's Encrypt R11", notAfter: new Date(now.getTime() + days * DAY + 3_600_000),
  valid: days > 0, renewal: 'certbot',
});

describe('certKind', () => {
  it('has the columns of the Certificates panel', () => {
    expect(certKind.columns.map((c) => c.title)).toEqual(['DOMAIN', 'ENDPOINT', 'EXPIRES', 'ISSUER', 'RENEWAL', 'STATUS']);
  });

  it('warns under 14 days and alarms under 7', () => {
    expect(cell(certKind, 'EXPIRES', cert('ims.ebisc.org', 60), now)).toEqual({ text: 'in 60 days', tone: 'ok' });
    expect(cell(certKind, 'EXPIRES', cert('tracker.ebisc.org', 9), now)).toEqual({ text: 'in 9 days', tone: 'warn' });
    expect(cell(certKind, 'EXPIRES', cert('nmpi.hbpneuromorphic.eu', 5), now)).toEqual({ text: 'in 5 days', tone: 'error' });
  });

  it('says when a certificate has expired', () => {
    const old = cert('old.ebisc.org', -3);
    expect(cell(certKind, 'EXPIRES', old, now).text).toBe('expired 2 days ago');
    expect(cell(certKind, 'STATUS', old, now)).toEqual({ text: 'expired', tone: 'error' });
  });

  it('renews the domain of the row under a per-domain lock', () => {
    const renew = certKind.actions.find((a) => a.id === 'cert.renew')!;
    expect(renew.fromRow!(cert('ims.ebisc.org', 60))).toEqual({ domain: 'ims.ebisc.org' });
    expect(renew.lock!({ domain: 'ims.ebisc.org' })).toBe('cert:ims.ebisc.org');
    expect(renew.key).toBe('n');
  });
});
