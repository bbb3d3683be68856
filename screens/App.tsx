import { useCallback, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Box, useInput } from 'ink';
import type { Action } from '../source/app/action.ts';
import type { KindId, ResourceKind } from '../source/app/kind.ts';
import type { AppServices } from '../source/app/services.ts';
import type { Tone } from '../source/app/status.ts';
import { ClockProvider, useClock } from '../hooks/useClock.ts';
import { StoreProvider, useResource, useServices } from '../hooks/useStore.ts';
import { useTerminalSize } from '../hooks/useTerminalSize.ts';
import { resolveCursor, useKeyInput, useUiState } from '../hooks/useKeys.ts';
import { effectiveSort, useTableRows } from '../hooks/useTableRows.ts';
import { useActionRun } from '../hooks/useActionRun.ts';
import { useCommands } from '../hooks/useCommands.ts';
import { useTunnels } from '../hooks/useTunnels.ts';
import { paletteCommands } from '../hooks/palette.ts';
import { Header } from './Header.tsx';
import { Tabs } from './Tabs.tsx';
import { Body } from './Body.tsx';
import { StatusLine } from './Panel.tsx';
import { Footer } from './Footer.tsx';
import { BottomLine } from './BottomLine.tsx';
import type { Flash } from './BottomLine.tsx';
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

/** Header, tabs, the bordered body, status line, input/flash line and footer; rows - 1 high. */
function Frame({ kinds, initialEnv, initialPanel, onQuit, handOver }: AppProps) {
  const services = useServices();
  const size = useTerminalSize();
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
  const tunnels = useTunnels(services.tunnels, env);
  const { handedOver } = useCommands({ ui, dispatch, kinds, selected, run, say, onQuit, handOver: handOver ?? handOverTerminal, tunnels });

  const envNames = useMemo(() => services.environments.map((e) => e.name), [services]);
  const commands = useMemo(() => paletteCommands(kinds, envNames), [kinds, envNames]);
  const commandTexts = useMemo(() => commands.map((c) => c.text), [commands]);
  const small = isTooSmall(size);
  const layout = frameLayout(size);

  useKeyInput(
    dispatch,
    { ids, page: Math.max(1, layout.bodyHeight - 1), columns: kind.columns.length, sort, commands: commandTexts, envs: envNames, tunnelItems: tunnels.items },
    // A dialog of the running action owns the keys while it is up.
    !small && run.state.phase === 'idle' && !handedOver,
  );
  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
    },
    { isActive: small && !handedOver },
  );

  if (handedOver) return null;
  if (small) return <SmallTerminal columns={size.columns} rows={size.rows} />;

  const refusal = (a: Action<any>) => runner.refusal(a, selected?.row);
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Ticking>
        {(now) => <Header env={env} protect={protect} demo={services.demo} readonly={services.readonly || runner.readonly} now={now} sources={snap.sources} width={layout.width} />}
      </Ticking>
      <Tabs kinds={kinds} current={ui.panel} width={layout.width} />
      <Box borderStyle="round" borderColor={theme.border(protect)} width={layout.width} height={layout.bodyHeight + 2} flexDirection="column">
        <Ticking>
          {(now) => (
            <Body
              ui={ui}
              run={run}
              kind={kind}
              snap={snap}
              rows={rows}
              cursor={cursor}
              sort={sort}
              environments={services.environments}
              refusal={refusal}
              tunnels={tunnels}
              now={now}
              width={layout.bodyWidth}
              height={layout.bodyHeight}
            />
          )}
        </Ticking>
      </Box>
      <Ticking>{(now) => <StatusLine kind={kind} snap={snap} rows={rows} filter={filter} now={now} />}</Ticking>
      <Ticking>{(now) => <BottomLine mode={ui.mode} filter={filter} palette={ui.palette} commands={commands} flash={flash} now={now} />}</Ticking>
      <Footer actions={kind.actions} refusal={refusal} openTunnels={tunnels.open.length} />
    </Box>
  );
}

/**
 * The parts that read the clock. The frame itself does not, so a tick re-renders these
 * and nothing else: no key context, commands or palette list are rebuilt once a second.
 */
function Ticking({ children }: { children: (now: Date) => ReactNode }) {
  return children(useClock());
}
