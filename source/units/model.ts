export type UnitResult =
  | { kind: 'success' }
  | { kind: 'exit-code'; code: number }
  | { kind: 'signal'; signal: string }
  | { kind: 'running' }
  | { kind: 'never' }
  | { kind: 'other'; text: string };

/** A systemd timer and the service it starts (seed 002's `postgres-backups.timer`). */
export interface Timer {
  env: string;
  node: string;
  unit: string; // postgres-backups.timer
  service: string; // postgres-backups.service
  schedule: string; // OnCalendar as written
  next?: Date;
  last?: Date;
  lastDurationMs?: number;
  result: UnitResult;
  enabled: boolean;
  failed: boolean;
  /** The schedule as systemd reports it, e.g. `OnCalendar=*-*-* 02:00:00` (schedule is its human form). */
  calendar?: string;
  /** The service's ActiveState/SubState, e.g. `activating/start` while it runs. */
  serviceState?: string;
}
