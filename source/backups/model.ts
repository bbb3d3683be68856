export type BackupSetKind = 'wal-g' | 'wal-e' | 'pg_dump' | 'mongodump' | 'duplicity' | 'files';

/** A backup set in the object store and how fresh its newest backup is. */
export interface BackupSet {
  env: string;
  name: string;
  kind: BackupSetKind;
  location: string; // s3://bucket/prefix
  latest?: Date;
  latestSize?: number;
  count: number;
  totalSize: number;
  maxAgeMs: number;
  complete: boolean;
  producedBy?: string; // node/unit of the linked timer
}
