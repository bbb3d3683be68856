import type { ResourceKind } from '../app/kind.ts';
import type { Tone } from '../app/status.ts';
import { daysUntil, fromNow } from '../app/format.ts';
import type { Certificate } from './model.ts';
import { certActions } from './actions.ts';

const plural = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

export function expiresText(c: Certificate, now: Date): string {
  if (!c.notAfter) return '-';
  if (c.notAfter.getTime() <= now.getTime()) {
    const days = -daysUntil(c.notAfter, now);
    return days === 0 ? 'expired today' : `expired ${plural(days)} ago`;
  }
  const days = daysUntil(c.notAfter, now);
  return days === 0 ? `in ${fromNow(c.notAfter, now).slice(3)}` : `in ${plural(days)}`;
}

/** Let's Encrypt certificates last 90 days and renew at 30: under 14 days something is wrong. */
export function expiresTone(c: Certificate, now: Date): Tone {
  if (!c.notAfter) return 'error';
  const ms = c.notAfter.getTime() - now.getTime();
  const day = 86_400_000;
  return ms < 7 * day ? 'error' : ms < 14 * day ? 'warn' : 'ok';
}

export function certStatus(c: Certificate, now: Date): string {
  if (c.notAfter && c.notAfter.getTime() <= now.getTime()) return 'expired';
  if (!c.valid) return c.problem ?? 'invalid';
  return c.problem ?? 'valid';
}

const statusTone = (c: Certificate, now: Date): Tone =>
  certStatus(c, now) === 'expired' || !c.valid ? 'error' : c.problem ? 'warn' : 'ok';

export const certKind: ResourceKind<Certificate> = {
  id: 'certs',
  title: 'Certificates',
  rowId: (c) => `${c.env}/${c.domain}@${c.endpoint}`,
  searchText: (c) => [c.domain, c.endpoint, c.issuer, c.renewal, c.problem].filter(Boolean).join(' '),
  columns: [
    { key: 'domain', title: 'DOMAIN', grow: true, value: (c) => c.domain },
    { key: 'endpoint', title: 'ENDPOINT', value: (c) => c.endpoint },
    { key: 'notAfter', title: 'EXPIRES', value: (c) => c.notAfter, format: expiresText, tone: expiresTone },
    { key: 'issuer', title: 'ISSUER', maxWidth: 24, value: (c) => c.issuer ?? '-' },
    { key: 'renewal', title: 'RENEWAL', value: (c) => c.renewal, tone: (c) => (c.renewal === 'manual' ? 'warn' : 'normal') },
    { key: 'status', title: 'STATUS', maxWidth: 40, value: (c) => c.problem ?? (c.valid ? 'valid' : 'invalid'), format: certStatus, tone: statusTone },
  ],
  defaultSort: 'notAfter',
  details: (c, now) => [
    { label: 'Domain', value: c.domain },
    { label: 'Environment', value: c.env },
    { label: 'Endpoint', value: c.endpoint },
    { label: 'Issuer', value: c.issuer ?? '-' },
    { label: 'Expires', value: c.notAfter ? `${c.notAfter.toISOString()} (${expiresText(c, now)})` : '-', tone: expiresTone(c, now) },
    { label: 'Renewal', value: c.renewal },
    { label: 'Status', value: certStatus(c, now), tone: statusTone(c, now) },
  ],
  actions: certActions,
};
