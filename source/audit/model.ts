/** One line of the audit log (JSONL): an action's start or its end. */
export interface AuditEntry {
  time: string; // ISO 8601
  phase: 'start' | 'end';
  id: string; // run id, shared by start and end
  user: string;
  host: string;
  env: string;
  action: string; // kind.verb
  target: string;
  result?: 'ok' | 'failed' | 'cancelled' | 'refused';
  message?: string;
  durationMs?: number;
}
