import { Box } from 'ink';
import type { Action } from '../source/app/action.ts';
import type { ResourceKind } from '../source/app/kind.ts';
import type { KindSnapshot } from '../source/app/store.ts';
import type { ActionRun } from '../hooks/useActionRun.ts';
import type { SortState, UiState } from '../hooks/useKeys.ts';
import type { TableRow } from '../hooks/useTableRows.ts';
import { AskDialog } from './dialogs/AskDialog.tsx';
import { ConfirmDialog } from './dialogs/ConfirmDialog.tsx';
import { ProgressPane } from './dialogs/ProgressPane.tsx';
import { HelpOverlay } from './overlays/HelpOverlay.tsx';
import { DetailsOverlay } from './overlays/DetailsOverlay.tsx';
import { EnvPicker } from './overlays/EnvPicker.tsx';
import { TunnelsOverlay } from './overlays/TunnelsOverlay.tsx';
import type { TunnelsView } from '../hooks/useTunnels.ts';
import { screens } from './registry.ts';

export interface BodyProps {
  ui: UiState;
  run: ActionRun;
  kind: ResourceKind<any>;
  snap: KindSnapshot;
  rows: TableRow[];
  cursor: number;
  sort?: SortState | undefined;
  environments: readonly { name: string; protect: boolean }[];
  refusal: (a: Action<any>) => string | undefined;
  tunnels?: TunnelsView;
  now: Date;
  width: number;
  height: number;
}

/** Inside the frame's border: a dialog of the running action, an overlay, or the panel. */
export function Body({ ui, run, kind, snap, rows, cursor, sort, environments, refusal, tunnels, now, width: w, height: h }: BodyProps) {
  const selected = rows[cursor];
  if (run.state.phase === 'ask' && run.state.ask) {
    const request = run.state.ask;
    return (
      <Box width={w} height={h} alignItems="center" justifyContent="center">
        <AskDialog key={request.actionId} request={request} onSubmit={run.submit} onCancel={run.cancelAsk} width={w} />
      </Box>
    );
  }
  if (run.state.phase === 'confirm' && run.state.confirm) {
    const request = run.state.confirm;
    return (
      <Box width={w} height={h} alignItems="center" justifyContent="center">
        <ConfirmDialog key={`${request.actionId} ${request.target}`} request={request} onAnswer={run.answer} width={w} />
      </Box>
    );
  }
  if (run.state.phase === 'running' || run.state.phase === 'done') {
    return <ProgressPane run={run.state} width={w} height={h} onCancel={run.cancel} onDismiss={run.dismiss} />;
  }
  if (ui.mode === 'help') return <HelpOverlay title={kind.title} actions={kind.actions} refusal={refusal} width={w} height={h} />;
  if (ui.mode === 'details' && selected) return <DetailsOverlay kind={kind} row={selected} now={now} width={w} height={h} />;
  if (ui.mode === 'tunnels') return <TunnelsOverlay open={tunnels?.open ?? []} named={tunnels?.named ?? []} cursor={ui.tunnelCursor} width={w} height={h} />;
  if (ui.mode === 'env') return <EnvPicker envs={environments} cursor={ui.envCursor} current={ui.env} height={h} />;
  const filter = ui.filters[ui.panel] ?? '';
  const Screen = screens[ui.panel];
  return <Screen key={`${ui.env}/${ui.panel}`} kind={kind} env={ui.env} snap={snap} rows={rows} cursor={cursor} filter={filter} sort={sort} width={w} height={h} now={now} />;
}
