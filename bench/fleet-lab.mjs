// Shared by bench/fleet.js and bench/fleet-cold.mjs (not a benchmark itself: run.js only picks
// up *.js). The caller registers tsx first; this loads TypeScript sources.
import { existsSync, writeFileSync } from 'node:fs';
import { readLab } from '../test/lab/state.ts';
import { EXTRA_DIR, readExtraNodes } from '../test/lab/extra-nodes.ts';
import { Fleet } from '../source/ssh/fleet.ts';
import { quoteArgv } from '../source/ssh/quote.ts';

/** The fleet round, on the nodes with real systemd. docker is not on the lab nodes: `|| true` keeps it a stand-in. */
export const ROUND_CMD = "systemctl list-timers --all --output=json; docker ps --format '{{json .}}' 2>/dev/null || true";
/** Stand-in on the plain sshd nodes (no systemd there). */
export const STANDIN_CMD = 'cat /proc/loadavg';

export function labAndExtra() {
  const lab = readLab();
  const extra = readExtraNodes();
  for (const a of [lab.bastion.address, ...lab.nodes.map((n) => n.address), ...extra.nodes.map((n) => n.address)]) {
    if (!/^10\.203\./.test(a)) throw new Error(`refusing non-lab address ${a}`);
  }
  return { lab, extra };
}

/** argv run on `name` in a round: the real command on systemd nodes, the stand-in elsewhere. */
export function argvFor(lab, name) {
  return ['sh', '-c', lab.nodes.some((n) => n.name === name) ? ROUND_CMD : STANDIN_CMD];
}

/** The same argv as one remote command string (what Fleet.exec sends), for OpenSSH. */
export const remoteCommand = (lab, name) => quoteArgv(argvFor(lab, name));

/** A Fleet over the lab's bastion with every lab node plus the extra nodes (options as test/fixtures/ssh/lab-fleet.ts). */
export function benchFleet(lab, extra) {
  const own = `${EXTRA_DIR}/own_known_hosts`;
  if (!existsSync(own)) writeFileSync(own, '');
  const identityFiles = [lab.clientKey];
  return new Fleet({
    bastion: { name: 'bastion', host: lab.bastion.address, port: lab.bastion.port, user: 'root', identityFiles },
    nodes: [...lab.nodes, ...extra.nodes].map((n) => ({ name: n.name, host: n.address, port: n.port, user: 'root', identityFiles, via: 'bastion' })),
    knownHosts: [lab.knownHosts, extra.knownHosts],
    ownKnownHosts: own,
    maxSessions: 10,
    connectTimeoutMs: 4000,
    keepaliveIntervalMs: 1000,
    keepaliveCountMax: 3,
  });
}

/**
 * One fleet round: every node in parallel. Throws unless every node answered with exit 0 and some
 * output. By default with a timeout, as the app calls exec (source/units, source/vitals): the
 * command then runs under quote.ts's cancellableCommand wrapper. `{}` runs it plain.
 */
export async function fleetRound(fleet, lab, names, execOpts = { timeoutMs: 10_000 }) {
  const rs = await Promise.all(names.map((n) => fleet.exec(n, argvFor(lab, n), execOpts)));
  rs.forEach((r, i) => {
    if (r.code !== 0 || !r.stdout.trim()) throw new Error(`${names[i]}: exit ${r.code}, ${r.stdout.length} bytes out, stderr ${r.stderr.trim()}`);
  });
  return rs;
}
