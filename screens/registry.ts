import type { ComponentType } from 'react';
import type { KindId } from '../source/app/kind.ts';
import { Panel } from './Panel.tsx';
import type { PanelProps } from './Panel.tsx';

/** What draws a kind's panel inside the frame. */
export type PanelScreen = ComponentType<PanelProps>;

/**
 * One screen per kind, matching source/app/registry.ts. Every kind is the generic table for
 * now; a kind with something special to show gets its own component here, around ResourceTable.
 */
export const screens: Record<KindId, PanelScreen> = {
  nodes: Panel,
  services: Panel,
  timers: Panel,
  backups: Panel,
  certs: Panel,
  secrets: Panel,
  audit: Panel,
};
