// fetch.ts over a Remote that replays captured output: one command per node, clear errors.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ExecResult, Remote } from '../../../source/app/remote.ts';
import { fetchFailedUnits, fetchNodeUnits, fetchTimers } from '../../../source/units/fetch.ts';
import { LIST_SCRIPT } from '../../../source/units/commands.ts';

const fx = (name: string) => readFileSync(new URL(`../../fixtures/units/${name}`, import.meta.url), 'utf8');

function replay(answer: ExecResult) {
  const calls: { node: string; argv: string[]; timeoutMs?: number }[] = [];
  const remote: Remote = {
    exec: async (node, argv, opts) => (calls.push({ node, argv, ...(opts?.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }), answer),
    stream: () => Promise.reject(new Error('no stream')),
    forward: () => Promise.reject(new Error('no forward')),
  };
  return { remote, calls };
}

describe('fetch', () => {
  it('timers and failed units of a node from ONE command', async () => {
    const { remote, calls } = replay({ code: 0, stdout: fx('ims.list.out'), stderr: '' });
    const { timers, failed } = await fetchNodeUnits(remote, 'ims', 'prod');
    expect(calls).toEqual([{ node: 'ims', argv: ['sh', '-c', LIST_SCRIPT, 'sh'], timeoutMs: 15_000 }]);
    expect(timers.find((t) => t.unit === 'duplicity-backups.timer')).toMatchObject({ env: 'prod', node: 'ims', failed: true });
    expect(failed.map((f) => f.unit)).toEqual(['duplicity-backups.service']);
    expect(await fetchTimers(remote, 'ims', 'prod')).toEqual(timers);
  });

  it('a node without systemctl (or cut-short output) is a clear error', async () => {
    const { remote } = replay({ code: 127, stdout: '\n@@opsconsole:clock\n1796110240\n+0000\n', stderr: 'sh: 1: systemctl: not found\n' });
    await expect(fetchTimers(remote, 'ims', 'prod')).rejects.toThrow('ims: listing timers failed: sh: 1: systemctl: not found');
    await expect(fetchFailedUnits(remote, 'ims')).rejects.toThrow('ims: listing failed units failed: sh: 1: systemctl: not found');
  });
});
