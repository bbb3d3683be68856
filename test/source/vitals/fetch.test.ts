import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExecResult, Remote } from '../../../source/app/remote.ts';
import { VITALS_SCRIPT } from '../../../source/vitals/commands.ts';
import { fetchVitals, fetchVitalsAll } from '../../../source/vitals/fetch.ts';
import { VitalsParseError } from '../../../source/vitals/parse.ts';

const fixture = readFileSync(new URL('../../fixtures/vitals/tracker-running.txt', import.meta.url), 'utf8');

function fakeRemote(result: ExecResult | Error, calls: Array<{ node: string; argv: string[] }> = []): Remote {
  return {
    exec: async (node, argv) => {
      calls.push({ node, argv });
      if (result instanceof Error) throw result;
      return result;
    },
    stream: async () => ({ code: 0 }),
    forward: async () => {
      throw new Error('unused');
    },
  };
}

describe('fetchVitals', () => {
  it('runs exactly one fixed command and parses it', async () => {
    const calls: Array<{ node: string; argv: string[] }> = [];
    const v = await fetchVitals(fakeRemote({ code: 0, stdout: fixture, stderr: '' }, calls), 'tracker', { now: () => new Date(5) });
    expect(calls).toEqual([{ node: 'tracker', argv: ['sh', '-c', VITALS_SCRIPT] }]);
    expect(v).toMatchObject({ cores: 2, system: 'running', failedUnits: 0, sampledAt: new Date(5) });
  });
  it('passes connection errors through unchanged', async () => {
    const err = new Error('node tracker unreachable: keepalive timeout');
    await expect(fetchVitals(fakeRemote(err), 'tracker')).rejects.toBe(err);
  });
  it('names the node when the command fails or prints something else', async () => {
    await expect(fetchVitals(fakeRemote({ code: 127, stdout: '', stderr: 'sh: not found\n' }), 'tracker')).rejects.toThrow('tracker: vitals command failed: sh: not found');
    await expect(fetchVitals(fakeRemote({ code: 0, stdout: 'hello', stderr: '' }), 'tracker')).rejects.toThrow(VitalsParseError);
    await expect(fetchVitals(fakeRemote({ code: 0, stdout: 'hello', stderr: '' }), 'tracker')).rejects.toThrow(/^tracker: vitals: output is incomplete/);
  });

  it('fetchVitalsAll reports each node on its own', async () => {
    const remote: Remote = {
      ...fakeRemote({ code: 0, stdout: fixture, stderr: '' }),
      exec: async (node) => {
        if (node === 'down') throw new Error('node down unreachable: keepalive timeout');
        return { code: 0, stdout: fixture, stderr: '' };
      },
    };
    const all = await fetchVitalsAll(remote, ['tracker', 'down']);
    expect(all.map((r) => [r.node, r.ok, r.ok ? r.vitals.cores : r.error])).toEqual([
      ['tracker', true, 2],
      ['down', false, 'node down unreachable: keepalive timeout'],
    ]);
  });
});
