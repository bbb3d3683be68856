export { openTunnel, describeTunnel, bindWarning, Tunnel, DEFAULT_BIND } from './tunnel.ts';
export type { TunnelOptions, TunnelConnectionEvent, TunnelErrorEvent } from './tunnel.ts';
export { TunnelRegistry } from './registry.ts';
export type { TunnelInfo } from './registry.ts';
