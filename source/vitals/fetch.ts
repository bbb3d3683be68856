/** Driver at the edge: runs the vitals command on one node through a Remote and parses it. */
import type { Remote } from '../app/remote.ts';
import type { NodeVitals } from '../nodes/model.ts';
import { vitalsCommand } from './commands.ts';
import { parseVitals, VitalsParseError } from './parse.ts';

export interface FetchVitalsOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

/**
 * One round trip: `sh -c VITALS_SCRIPT` on `node`. Rejects with the Remote's error when the node
 * cannot be reached, and with VitalsParseError when the output is not what the script prints.
 */
export async function fetchVitals(remote: Remote, node: string, opts: FetchVitalsOptions = {}): Promise<NodeVitals> {
  const r = await remote.exec(node, vitalsCommand(), { timeoutMs: opts.timeoutMs ?? 15_000, signal: opts.signal });
  if (r.code !== 0 && !r.stdout.includes('::opsconsole:end::')) {
    const why = r.stderr.trim().split('\n').slice(-1)[0] || (r.signal ? `signal ${r.signal}` : `exit code ${r.code}`);
    throw new VitalsParseError(`${node}: vitals command failed: ${why}`);
  }
  try {
    return parseVitals(r.stdout, opts.now?.() ?? new Date());
  } catch (e) {
    if (e instanceof VitalsParseError) throw new VitalsParseError(`${node}: ${e.message}`, { cause: e });
    throw e;
  }
}

export type VitalsResult =
  | { node: string; ok: true; vitals: NodeVitals; ms: number }
  | { node: string; ok: false; error: string; ms: number };

/** fetchVitals on every node at once; one slow or dead node never holds up or fails the others. */
export async function fetchVitalsAll(remote: Remote, nodes: readonly string[], opts: FetchVitalsOptions = {}): Promise<VitalsResult[]> {
  return Promise.all(
    nodes.map(async (node): Promise<VitalsResult> => {
      const t0 = performance.now();
      try {
        const vitals = await fetchVitals(remote, node, opts);
        return { node, ok: true, vitals, ms: performance.now() - t0 };
      } catch (e) {
        return { node, ok: false, error: e instanceof Error ? e.message : String(e), ms: performance.now() - t0 };
      }
    }),
  );
}
