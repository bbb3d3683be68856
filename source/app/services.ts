import type { Store } from './store.ts';
import type { ActionRunner } from './runner.ts';
import type { TunnelPort } from './backend.ts';

/** What the app frame is given: everything it may touch, passed in (no module singletons). */
export interface AppServices {
  environments: { name: string; protect: boolean }[];
  demo: boolean;
  readonly: boolean;
  storeFor(env: string): Store;
  runnerFor(env: string): ActionRunner;
  /** The argv that opens a shell on a node through the bastion, for the terminal handoff. */
  shell?(env: string, node: string): { argv: string[] } | { error: string };
  /** Open tunnels and the config's named ones; opening goes through the `node.tunnel` action. */
  tunnels?: TunnelPort;
}
