import type { Duplex } from 'node:stream';

export interface ExecResult {
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

/**
 * What drivers need from the SSH fleet layer (source/ssh's Fleet implements it): commands are
 * argv arrays, quoted once by the SSH layer, never shell strings.
 */
export interface Remote {
  exec(node: string, argv: string[], opts?: { stdin?: string | Buffer; timeoutMs?: number; signal?: AbortSignal }): Promise<ExecResult>;
  stream(
    node: string,
    argv: string[],
    opts: { onLine: (line: string, stream: 'stdout' | 'stderr') => void; signal?: AbortSignal },
  ): Promise<{ code: number | null; signal?: string }>;
  forward(node: string, host: string, port: number): Promise<Duplex>;
}
