import type { KindId } from './kind.ts';
import type { ActionResult } from './status.ts';
import type { ActionContext } from './action.ts';
import type { Colour } from '../services/model.ts';

/** A source of rows of one kind (e.g. the timers of one node); it polls on its own interval. */
export interface SourceSpec {
  id: string; // e.g. `timers@ims`: a failing source dims only its own rows
  kind: KindId;
  intervalMs: number;
  fetch: (signal: AbortSignal) => Promise<unknown[]>;
}

/**
 * What the console runs against: the live drivers (SSH, S3, cloud APIs) or the demo fleet.
 * Screens and actions see only this interface.
 */
export interface Backend {
  readonly mode: 'live' | 'demo';
  environments(): { name: string; protect: boolean }[];
  sources(env: string): SourceSpec[];
  nodes: {
    reboot(ctx: ActionContext, node: string, hard: boolean): Promise<ActionResult>;
    /** Trusts the host key the node offers, only if it is still the one the user was shown. */
    trust(ctx: ActionContext, node: string, fingerprint: string): Promise<ActionResult>;
  };
  timers: {
    runNow(ctx: ActionContext, node: string, unit: string): Promise<ActionResult>;
    /** Streams a unit's journal as progress log lines until cancelled: from `since`, else the last `lines`. */
    journal(ctx: ActionContext, node: string, unit: string, opts: { lines: number; since?: Date }): Promise<ActionResult>;
    enable(ctx: ActionContext, node: string, timer: string, on: boolean): Promise<ActionResult>;
    resetFailed(ctx: ActionContext, node: string, unit: string): Promise<ActionResult>;
  };
  services: {
    cutover(ctx: ActionContext, service: string, to: Colour): Promise<ActionResult>;
    terminate(ctx: ActionContext, service: string, colour: Colour): Promise<ActionResult>;
  };
  backups: {
    restore(ctx: ActionContext, set: string, target: string): Promise<ActionResult>;
  };
  certs: {
    renew(ctx: ActionContext, domain: string): Promise<ActionResult>;
  };
  tunnels: TunnelPort;
  secrets: {
    /** Stores a value in the OS keychain; the value never reaches a log, the audit or the screen. */
    set(ctx: ActionContext, name: string, value: string): Promise<ActionResult>;
    delete(ctx: ActionContext, name: string): Promise<ActionResult>;
  };
  close(): Promise<void>;
}

/** An open tunnel as the app lists it: `http://127.0.0.1:LOCAL -> NODE:PORT`. */
export interface TunnelView {
  id: number;
  name?: string;
  node: string;
  remotePort: number;
  localPort: number;
  url: string;
  description: string;
  connections: number;
  failures: number;
  lastError?: string;
  warning?: string;
}

/** Tunnels through the bastion: opened by an action, listed by the app, closed on exit. */
export interface TunnelPort {
  open(ctx: ActionContext, node: string, port: number, localPort?: number): Promise<ActionResult>;
  list(env: string): TunnelView[];
  close(env: string, id: number): Promise<void>;
  /** Tunnels named in the config, opened with one key. */
  named(env: string): { name: string; node: string; port: number; localPort?: number }[];
  subscribe(listener: () => void): () => void;
}
