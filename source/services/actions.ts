import { defineAction } from '../app/action.ts';
import type { Colour, ServiceInstance } from './model.ts';

export function parseColour(text: string): Colour | undefined {
  return text === 'blue' || text === 'green' ? text : undefined;
}

const badColour = (text: string) => ({ ok: false as const, message: `unknown colour "${text}"`, hint: 'use blue or green' });

export const cutoverService = defineAction<{ service: string; to: string }>({
  id: 'service.cutover',
  title: 'Cut over to',
  kind: 'services',
  key: 'X',
  cli: ['cutover'],
  params: [
    { name: 'service', description: 'service name, e.g. nmpi' },
    { name: 'to', description: 'colour to send traffic to: blue or green' },
  ],
  destructive: true,
  confirm: 'yes',
  lock: (a) => `service:${a.service}`,
  target: (a) => `${a.service}-${a.to}`,
  fromRow: (s: ServiceInstance) => ({ service: s.service, to: s.colour }),
  disabled: (s: ServiceInstance) =>
    s.live ? `${s.service}-${s.colour} is already live` : s.health !== 'healthy' ? `${s.service}-${s.colour} is ${s.health}` : undefined,
  run: async (ctx, a) => {
    const to = parseColour(a.to);
    return to ? ctx.backend.services.cutover(ctx, a.service, to) : badColour(a.to);
  },
});

export const terminateService = defineAction<{ service: string; colour: string }>({
  id: 'service.terminate',
  title: 'Terminate',
  kind: 'services',
  key: 'T',
  cli: ['terminate'],
  params: [
    { name: 'service', description: 'service name, e.g. nmpi' },
    { name: 'colour', description: 'colour to terminate: blue or green' },
  ],
  destructive: true,
  confirm: 'typed',
  lock: (a) => `service:${a.service}`,
  target: (a) => `${a.service}-${a.colour}`,
  fromRow: (s: ServiceInstance) => ({ service: s.service, colour: s.colour }),
  // The live colour serves the users; cut over first, then terminate the old one.
  disabled: (s: ServiceInstance) => (s.live ? `${s.service}-${s.colour} is live: cut over to the other colour first` : undefined),
  run: async (ctx, a) => {
    const colour = parseColour(a.colour);
    return colour ? ctx.backend.services.terminate(ctx, a.service, colour) : badColour(a.colour);
  },
});

export const serviceActions = [cutoverService, terminateService];
