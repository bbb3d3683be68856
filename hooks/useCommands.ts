import { useEffect, useState } from 'react';
import type { Dispatch } from 'react';
import type { Action } from '../source/app/action.ts';
import type { KindId, ResourceKind } from '../source/app/kind.ts';
import type { Tone } from '../source/app/status.ts';
import type { ActionRun } from './useActionRun.ts';
import { useEffectQueue } from './useEffects.ts';
import { resolveCursor } from './useKeys.ts';
import type { UiEvent, UiState } from './useKeys.ts';
import { paletteCommands, parsePalette } from './palette.ts';
import { useServices } from './useStore.ts';
import { effectiveSort, tableRows } from './useTableRows.ts';
import type { TunnelsView } from './useTunnels.ts';
import { actionById } from '../source/app/registry.ts';
import { errorMessage } from '../source/app/status.ts';
import type { TableRow } from './useTableRows.ts';

export interface CommandDeps {
  ui: UiState;
  dispatch: Dispatch<UiEvent>;
  kinds: Record<KindId, ResourceKind<any>>;
  /** The selected row of the current panel. */
  selected: TableRow | undefined;
  run: ActionRun;
  say: (text: string, tone?: Tone) => void;
  onQuit: () => void;
  /** Gives the terminal to argv (screens/terminal.ts handOverTerminal) and returns when it exits. */
  handOver: (argv: string[]) => { status: number | null; error?: string };
  /** What the tunnels overlay lists (useTunnels). */
  tunnels?: TunnelsView;
}

/** Node name of a nodes-panel row, for the shell handoff. */
function nodeName(row: unknown): string | undefined {
  const name = (row as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * What the keys reducer's effects do: run an Action through the runner (refusals go to the
 * flash line), the palette, refresh, quit, and the shell handoff. Returns the argv the
 * terminal is handed to, while it is.
 */
export function useCommands({ ui, dispatch, kinds, selected, run, say, onQuit, handOver, tunnels }: CommandDeps): { handedOver: boolean } {
  const services = useServices();
  const env = ui.env;
  const runner = services.runnerFor(env);
  const kind = kinds[ui.panel];
  const envNames = services.environments.map((e) => e.name);
  // While set, the terminal belongs to this argv (ssh): nothing drawn, no input read.
  const [shell, setShell] = useState<{ argv: string[]; node: string } | undefined>(undefined);

  const selectedOf = (k: KindId): unknown => {
    if (k === ui.panel) return selected?.row;
    const other = kinds[k];
    const list = tableRows(other, services.storeFor(env).snapshot(k), ui.filters[k] ?? '', effectiveSort(other, ui.sorts[k]));
    return list[resolveCursor(ui.cursors[k], list.map((r) => r.id))]?.row;
  };

  const startAction = (action: Action<any>, row: unknown) => {
    if (action.fromRow && row === undefined) return say(`${action.title}: no row selected`, 'warn');
    const refused = runner.refusal(action, row);
    if (refused) return say(`${action.title}: ${refused}`, 'warn');
    let args: unknown;
    try {
      args = action.fromRow ? action.fromRow(row) : {};
    } catch (err) {
      return say(`${action.title}: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
    if (!run.start(action, args)) say('another action is still running', 'warn');
  };

  const refresh = () => {
    services.storeFor(env).refresh(ui.panel);
    say(`refreshing ${kind.title.toLowerCase()}…`, 'muted');
  };

  useEffectQueue(ui, dispatch, {
    quit: () => onQuit(),
    refresh,
    action: (e) => {
      const action = kind.actions.find((a: Action<any>) => a.key === e.key);
      if (action) startAction(action, selected?.row);
      else say(`${e.key}: no such key on ${kind.title} (? lists them)`, 'muted');
    },
    shell: () => {
      const node = ui.panel === 'nodes' ? nodeName(selected?.row) : undefined;
      if (!node) return say('s opens a shell on the node selected in the Nodes panel', 'muted');
      if (!services.shell) return say('shell: not available here', 'warn');
      const target = services.shell(env, node);
      if ('error' in target) return say(`shell on ${node}: ${target.error}`, 'error');
      setShell({ argv: target.argv, node });
    },
    palette: (e) => {
      let target = parsePalette(e.text, kinds, envNames);
      if (target.type === 'unknown') {
        // A prefix of exactly one command runs it, as `:ti` would complete to `timers`.
        const t = e.text.toLowerCase();
        const only = paletteCommands(kinds, envNames).filter((c) => c.text.toLowerCase().startsWith(t));
        if (only.length === 1) target = parsePalette(only[0]!.text, kinds, envNames);
      }
      switch (target.type) {
        case 'panel':
          return dispatch({ type: 'setPanel', panel: target.kind });
        case 'env':
          return dispatch({ type: 'setEnv', env: target.env });
        case 'global':
          if (target.command === 'quit') return onQuit();
          if (target.command === 'help') return dispatch({ type: 'setMode', mode: 'help' });
          return refresh();
        case 'action': {
          const k = target.action.kind;
          if (k !== 'global' && k !== ui.panel) dispatch({ type: 'setPanel', panel: k });
          return startAction(target.action, k === 'global' ? undefined : selectedOf(k));
        }
        case 'unknown':
          return say(`:${target.text}: no such command (Tab completes)`, 'warn');
      }
    },
    envChanged: (e) => say(`environment ${e.env}`, 'info'),
    tunnel: (e) => {
      const port = services.tunnels;
      if (!port) return say('tunnels: not available here', 'warn');
      if (e.item.startsWith('open:')) {
        const id = Number(e.item.slice('open:'.length));
        const t = tunnels?.open.find((o) => o.id === id);
        // Not the overlay's `URL -> NODE:PORT` line: the flash must not look like it stayed open.
        const what = t ? `the tunnel to ${t.node}:${t.remotePort} (local port ${t.localPort})` : `tunnel ${id}`;
        port.close(env, id).then(
          () => say(`closed ${what}`, 'muted'),
          (err: unknown) => say(`closing ${what}: ${errorMessage(err)}`, 'error'),
        );
        return;
      }
      const name = e.item.slice('named:'.length);
      const named = tunnels?.named.find((t) => t.name === name);
      if (!named) return say(`tunnel ${name}: not in the config`, 'warn');
      // Through the runner like any key: refused, audited and reported the same way.
      const action = (kinds.nodes.actions as Action<any>[]).find((a) => a.id === 'node.tunnel') ?? actionById('node.tunnel');
      if (!action) return say('tunnels: no node.tunnel action', 'error');
      const refused = runner.refusal(action);
      if (refused) return say(`${action.title}: ${refused}`, 'warn');
      const args = { node: named.node, port: String(named.port), ...(named.localPort !== undefined ? { local: String(named.localPort) } : {}) };
      if (!run.start(action, args, { ask: false })) say('another action is still running', 'warn');
    },
  });

  useEffect(() => {
    if (!shell) return;
    // By now the frame rendered nothing and every useInput let go of raw mode.
    const result = handOver(shell.argv);
    setShell(undefined);
    say(
      result.error ? `shell on ${shell.node}: ${result.error}` : `shell on ${shell.node} ended (exit ${result.status ?? '?'})`,
      result.error || result.status ? 'warn' : 'muted',
    );
  }, [shell, handOver, say]);

  return { handedOver: shell !== undefined };
}
