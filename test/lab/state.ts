// The lab's contract for tests: where everything lives once `npm run lab:up` (or the vitest
// `lab` project's globalSetup) has brought it up. Tests call readLab() before touching any lab
// address, so a missing lab fails loudly instead of sending traffic to the real network.
import { existsSync, readFileSync } from 'node:fs';

export interface LabNode {
  name: string;
  ns: string;
  address: string;
  port: number;
  hostKeyFingerprint: string /* SHA256:... */;
  hostKeyPublic: string /* "ssh-ed25519 AAAA..." */;
  leaderPid: number;
}

export interface LabState {
  dir: string;
  configPath: string;
  clientKey: string;
  encryptedKey: string;
  encryptedKeyPassphrase: string;
  knownHosts: string;
  knownHostsHashed: string;
  sshConfig: string;
  internalPrefix: string;
  bastion: LabNode & { sshdPid: number };
  nodes: LabNode[];
}

/** Lab directory (keys, configs, logs, state.json). Not under /run: the bastion sshd gets a private tmpfs there. */
export const LAB_DIR = '/tmp/opsconsole-lab';
export const STATE_FILE = `${LAB_DIR}/state.json`;

const NOT_UP = 'lab is not up: run `npm run lab:up` as root';

export function readLab(): LabState {
  if (!existsSync(STATE_FILE)) throw new Error(`${NOT_UP} (no ${STATE_FILE})`);
  const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as LabState;
  // A state file can outlive its namespaces (e.g. a reboot clears /run/netns but not /tmp).
  if (!existsSync(`/run/netns/${state.bastion.ns}`)) throw new Error(`${NOT_UP} (bastion namespace ${state.bastion.ns} is gone)`);
  return state;
}
