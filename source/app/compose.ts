import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { Backend, SourceSpec } from './backend.ts';
import type { AppServices } from './services.ts';
import { Store } from './store.ts';
import { ActionRunner } from './runner.ts';
import { localLocks } from './lock.ts';
import { UserError } from './status.ts';
import { auditRuns, defaultAuditPath, openAuditLog, type AuditLog } from '../audit/log.ts';

export interface Composition {
  services: AppServices;
  backend: Backend;
  audit: AuditLog;
  initialEnv: string;
  close(): Promise<void>;
}

export interface ComposeInput {
  backend: Backend;
  auditPath: string;
  env?: string;
  readonly: boolean;
  redact?: (text: string) => string;
  shell?: AppServices['shell'];
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The audit log is a source like any other: the Audit panel polls it. */
function auditSource(audit: AuditLog, env: string): SourceSpec {
  return {
    id: 'audit@log',
    kind: 'audit',
    intervalMs: 2000,
    fetch: async () => auditRuns(audit.read(2000)).filter((r) => r.env === env),
  };
}

export function compose(input: ComposeInput): Composition {
  const { backend } = input;
  const environments = backend.environments();
  if (environments.length === 0) throw new UserError('no environments configured', 'add one under `environments:` in the config', 2);
  const initialEnv = input.env ?? environments[0]!.name;
  if (!environments.some((e) => e.name === initialEnv)) {
    throw new UserError(`unknown environment "${initialEnv}"`, `known: ${environments.map((e) => e.name).join(', ')}`, 2);
  }
  const redact = input.redact ?? ((t: string) => t);
  const audit = openAuditLog(input.auditPath, redact);
  const locks = localLocks(join(dirname(input.auditPath), 'locks'));
  const stores = new Map<string, Store>();
  const runners = new Map<string, ActionRunner>();
  const user = currentUser();
  const host = hostname();
  const protectOf = (env: string) => environments.find((e) => e.name === env)?.protect ?? false;

  const services: AppServices = {
    environments,
    demo: backend.mode === 'demo',
    readonly: input.readonly,
    storeFor(env) {
      let store = stores.get(env);
      if (!store) {
        store = new Store(env, [...backend.sources(env), auditSource(audit, env)]);
        stores.set(env, store);
      }
      return store;
    },
    runnerFor(env) {
      let runner = runners.get(env);
      if (!runner) {
        runner = new ActionRunner({ env, protect: protectOf(env), readonly: input.readonly, backend, audit, locks, user, host, redact });
        runners.set(env, runner);
      }
      return runner;
    },
    ...(input.shell ? { shell: input.shell } : {}),
    tunnels: backend.tunnels,
  };
  return {
    services,
    backend,
    audit,
    initialEnv,
    async close() {
      for (const s of stores.values()) s.stop();
      await backend.close();
    },
  };
}

export function demoAuditPath(env: NodeJS.ProcessEnv = process.env): string {
  // The demo's actions are audited like real ones, in a file of their own.
  return join(dirname(defaultAuditPath(env)), 'demo-audit.jsonl');
}
