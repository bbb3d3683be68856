import { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, useInput } from 'ink';
import type { Action } from '../source/app/action.ts';
import type { KindId, ResourceKind } from '../source/app/kind.ts';
import type { AppServices } from '../source/app/services.ts';
import type { Tone } from '../source/app/status.ts';
import { ClockProvider, useClock } from '../hooks/useClock.ts';
import { StoreProvider, useResource, useServices } from '../hooks/useStore.ts';
import { useTerminalSize } from '../hooks/useTerminalSize.ts';
import { resolveCursor, useKeyInput, useUiState } from '../hooks/useKeys.ts';
import { effectiveSort, tableRows, useTableRows } from '../hooks/useTableRows.ts';
import { useActionRun } from '../hooks/useActionRun.ts';
import { useEffectQueue } from '../hooks/useEffects.ts';
import { paletteCommands, parsePalette } from '../hooks/palette.ts';
import { Header } from './Header.tsx';
import { Tabs } from './Tabs.tsx';
import { Panel, StatusLine } from './Panel.tsx';
import { Footer } from './Footer.tsx';
import { BottomLine } from './BottomLine.tsx';
import type { Flash } from './BottomLine.tsx';
import { HelpOverlay } from './overlays/HelpOverlay.tsx';
import { DetailsOverlay } from './overlays/DetailsOverlay.tsx';
import { EnvPicker } from './overlays/EnvPicker.tsx';
import { ConfirmDialog } from './dialogs/ConfirmDialog.tsx';
import { ProgressPane } from './dialogs/ProgressPane.tsx';
import { SmallTerminal, isTooSmall } from './SmallTerminal.tsx';
import { frameLayout } from './layout.ts';
import { handOverTerminal } from './terminal.ts';
import type { HandOverResult } from './terminal.ts';
import { theme } from './theme.ts';

export interface AppProps {
  services: AppServices;
  kinds: Record<KindId, ResourceKind<any>>;
  initialEnv: string;
  initialPanel?: KindId;
  onQuit(): void;
  /** Runs argv on the real terminal and returns when it exits (default: handOverTerminal). */
  handOver?: (argv: string[]) => HandOverResult;
  /** A frozen clock (tests). */
  now?: Date;
}

export function App(props: AppProps) {
  return (
    <StoreProvider services={props.services}>
      <ClockProvider {...(props.now ? { now: props.now } : {})}>
        <Frame {...props} />
      </ClockProvider>
    </StoreProvider>
  );
}

/** Node name of a nodes-panel row, for the shell handoff. */
function nodeName(row: unknown): string | undefined {
  const name = (row as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

function Frame({ kinds, initialEnv, initialPanel, onQuit, handOver }: AppProps) {
  const services = useServices();
  const size = useTerminalSize();
  const now = useClock();
  const [ui, dispatch] = useUiState(initialEnv, initialPanel);
  const env = ui.env;
  const protect = services.environments.find((e) => e.name === env)?.protect ?? false;
  const runner = services.runnerFor(env);
  const kind = kinds[ui.panel];
  const snap = useResource(ui.panel, env);
  const filter = ui.filters[ui.panel] ?? '';
  const sort = effectiveSort(kind, ui.sorts[ui.panel]);
  const rows = useTableRows(kind, snap, filter, sort);
  const ids = useMemo(() => rows.map((r) => r.id), [rows]);
  const cursor = resolveCursor(ui.cursors[ui.panel], ids);
  const selected = rows[cursor];

  const [flash, setFlash] = useState<Flash | undefined>(undefined);
  const say = useCallback((text: string, tone: Tone = 'info') => setFlash({ text, tone, at: Date.now() }), []);
  const run = useActionRun(runner, {
    onResult: (r, title) => say(r.ok ? `✓ ${title}: ${r.message}` : `✗ ${title}: ${r.message}${r.hint ? ` — ${r.hint}` : ''}`, r.ok ? 'ok' : 'error'),
  });
  // While set, the terminal belongs to this argv (ssh): nothing drawn, no input read.
  const [handedOver, setHandedOver] = useState<{ argv: string[]; node: string } | undefined>(undefined);

  const envNames = useMemo(() => services.environments.map((e) => e.name), [services]);
  const commands = useMemo(() => paletteCommands(kinds, envNames), [kinds, envNames]);
  const commandTexts = useMemo(() => commands.map((c) => c.text), [commands]);
  const small = isTooSmall(size);
  const layout = frameLayout(size);
  const dialog = run.state.phase !== 'idle';

  useKeyInput(
    dispatch,
    { ids, page: Math.max(1, layout.bodyHeight - 1), columns: kind.columns.length, sort, commands: commandTexts, envs: envNames },
    !small && !dialog && !handedOver,
  );
  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
    },
    { isActive: small && !handedOver },
  );

  const refusal = (a: Action<any>) => runner.refusal(a, selected?.row);

  const selectedOf = (k: KindId): unknown => {
    if (k === ui.panel) return selected?.row;
    const other = kinds[k];
    const list = tableRows(other, services.storeFor(env).snapshot(k), ui.filters[k] ?? '', effectiveSort(other, ui.sorts[k]));
    return list[resolveCursor(ui.cursors[k], list.map((r) => r.id))]?.row;
  };

  const startAction = (action: Action<any>, row: unknown) => {
    if (action.fromRow && row === undefined) {
      say(`${action.title}: no row selected`, 'warn');
      return;
    }
    const refused = runner.refusal(action, row);
    if (refused) {
      say(`${action.title}: ${refused}`, 'warn');
      return;
    }
    let args: unknown;
    try {
      args = action.fromRow ? action.fromRow(row) : {};
    } catch (err) {
      say(`${action.title}: ${err instanceof Error ? err.message : String(err)}`, 'error');
      return;
    }
    if (!run.start(action, args)) say('another action is still running', 'warn');
  };

  useEffectQueue(ui, dispatch, {
    quit: () => onQuit(),
    refresh: () => {
      services.storeFor(env).refresh(ui.panel);
      say(`refreshing ${kind.title.toLowerCase()}…`, 'muted');
    },
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
      setHandedOver({ argv: target.argv, node });
    },
    palette: (e) => {
      const target = parsePalette(e.text, kinds, envNames);
      switch (target.type) {
        case 'panel':
          return dispatch({ type: 'setPanel', panel: target.kind });
        case 'env':
          return dispatch({ type: 'setEnv', env: target.env });
        case 'global':
          if (target.command === 'quit') return onQuit();
          if (target.command === 'help') return dispatch({ type: 'setMode', mode: 'help' });
          services.storeFor(env).refresh(ui.panel);
          return say(`refreshing ${kind.title.toLowerCase()}…`, 'muted');
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
  });

  useEffect(() => {
    if (!handedOver) return;
    // The app rendered nothing and its inputs let go of raw mode before this runs.
    const result = (handOver ?? handOverTerminal)(handedOver.argv);
    setHandedOver(undefined);
    say(
      result.error ? `shell on ${handedOver.node}: ${result.error}` : `shell on ${handedOver.node} ended (exit ${result.status ?? '?'})`,
      result.error || result.status ? 'warn' : 'muted',
    );
  }, [handedOver, handOver, say]);

  if (handedOver) return null;
  if (small) return <SmallTerminal columns={size.columns} rows={size.rows} />;

  const w = layout.bodyWidth;
  const h = layout.bodyHeight;
  let body;
  if (run.state.phase === 'confirm' && run.state.confirm) {
    const request = run.state.confirm;
    body = (
      <Box width={w} height={h} alignItems="center" justifyContent="center">
        <ConfirmDialog key={`${request.actionId} ${request.target}`} request={request} onAnswer={run.answer} width={w} />
      </Box>
    );
  } else if (run.state.phase === 'running' || run.state.phase === 'done') {
    body = <ProgressPane run={run.state} width={w} height={h} onCancel={run.cancel} onDismiss={run.dismiss} />;
  } else if (ui.mode === 'help') {
    body = <HelpOverlay title={kind.title} actions={kind.actions} refusal={refusal} width={w} height={h} />;
  } else if (ui.mode === 'details' && selected) {
    body = <DetailsOverlay kind={kind} row={selected} now={now} width={w} height={h} />;
  } else if (ui.mode === 'env') {
    body = <EnvPicker envs={services.environments} cursor={ui.envCursor} current={env} height={h} />;
  } else {
    body = <Panel key={`${env}/${ui.panel}`} kind={kind} env={env} snap={snap} rows={rows} cursor={cursor} filter={filter} sort={sort} width={w} height={h} now={now} />;
  }

  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header env={env} protect={protect} demo={services.demo} readonly={services.readonly || runner.readonly} now={now} sources={snap.sources} width={layout.width} />
      <Tabs kinds={kinds} current={ui.panel} width={layout.width} />
      <Box borderStyle="round" borderColor={theme.border(protect)} width={layout.width} height={h + 2} flexDirection="column">
        {body}
      </Box>
      <StatusLine kind={kind} snap={snap} rows={rows} filter={filter} now={now} />
      <BottomLine mode={ui.mode} filter={filter} palette={ui.palette} commands={commands} flash={flash} now={now} />
      <Footer actions={kind.actions} refusal={refusal} />
    </Box>
  );
}
