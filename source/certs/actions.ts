import { defineAction } from '../app/action.ts';
import type { Certificate } from './model.ts';

export const renewCert = defineAction<{ domain: string }>({
  id: 'cert.renew',
  title: 'Renew certificate',
  kind: 'certs',
  key: 'n',
  cli: ['renew'],
  params: [{ name: 'domain', description: 'domain, e.g. ims.ebisc.org' }],
  destructive: false,
  confirm: 'yes',
  lock: (a) => `cert:${a.domain}`,
  target: (a) => a.domain,
  fromRow: (c: Certificate) => ({ domain: c.domain }),
  run: (ctx, a) => ctx.backend.certs.renew(ctx, a.domain),
});

export const certActions = [renewCert];
