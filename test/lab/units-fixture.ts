// Test units for the Timers panel, installed on the lab's real systemd nodes (seed 002's
// timers), and the capture of real systemd 252 output into test/fixtures/units/.
//
//   npx tsx test/lab/units-fixture.ts install    # bring up a lab, install (lab stays up)
//   npx tsx test/lab/units-fixture.ts capture    # bring up a lab, install, exercise, write the fixtures
//   CAPTURE=1 npx vitest run --project lab test/lab/units   # the same inside the lab tests
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireLabLock, labDown, labUp, nodeExec } from './lab.ts';
import { FAILED_SCRIPT, LIST_SCRIPT } from '../../source/units/commands.ts';

const DIR = '/etc/systemd/system';
const oneshot = (description: string, script: string) =>
  `[Unit]\nDescription=${description}\n\n[Service]\nType=oneshot\nExecStart=/bin/sh -c '${script}'\n`;
const timer = (description: string, lines: string[], unit?: string) =>
  `[Unit]\nDescription=${description}\n\n[Timer]\n${lines.join('\n')}\n${unit ? `Unit=${unit}\n` : ''}\n[Install]\nWantedBy=timers.target\n`;

export interface UnitFile {
  name: string;
  text: string;
}

/** The 5 s timer on every node: a real LastTriggerUSec within seconds. */
const tick: UnitFile[] = [
  { name: 'opsconsole-tick.service', text: oneshot('opsconsole test tick', 'echo tick') },
  { name: 'opsconsole-tick.timer', text: timer('opsconsole 5 s test timer', ['OnActiveSec=1s', 'OnUnitActiveSec=5s', 'AccuracySec=100ms']) },
];

export const UNITS: Record<string, UnitFile[]> = {
  ims: [
    ...tick,
    { name: 'postgres-backups.service', text: oneshot('wal-e backup of postgres', 'echo "wal-e backup-push starting"; sleep 1; echo "wal-e backup-push done"') },
    { name: 'postgres-backups.timer', text: timer('nightly postgres backup', ['OnCalendar=*-*-* 02:00:00', 'Persistent=true']) },
    // Fails with exit 3, with a line holding an escape sequence (journalctl -o json prints it as a byte array).
    { name: 'duplicity-backups.service', text: oneshot('duplicity backup of media', 'echo "duplicity: uploading media"; printf "\\033[31mS3 access denied\\033[0m\\n"; exit 3') },
    { name: 'duplicity-backups.timer', text: timer('nightly duplicity backup', ['OnCalendar=*-*-* 03:30:00']) },
    { name: 'ims-updates.service', text: oneshot('IMS import all', 'echo importing; sleep 8; echo imported') },
    { name: 'ims-updates.timer', text: timer('twice-daily IMS import', ['OnCalendar=*-*-* 00/12:00:00']) }, // installed, not enabled
    { name: 'ims-deploy.service', text: oneshot('IMS migrate and collectstatic', 'echo "migrate: start"; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 1; echo "step $$i/10"; done; echo "migrate: done"') },
    { name: 'postgres-restore.service', text: oneshot('wal-e restore (run by hand)', 'echo restore') },
  ],
  tracker: [
    ...tick,
    { name: 'mongodb-backups-s3.service', text: oneshot('mongodump to S3', 'echo "mongodump: done"') },
    // seed 002: the timer starts a service of another name.
    { name: 'mongodb-backups.timer', text: timer('weekly mongodb backup', ['OnCalendar=weekly', 'Persistent=true'], 'mongodb-backups-s3.service') },
    { name: 'tracker.service', text: oneshot('tracker analysis', 'echo tracking') },
    { name: 'tracker.timer', text: timer('tracker twice a day', ['OnCalendar=*-*-* 06,18:00:00']) },
  ],
};

/** Timers enabled (and started) after install; the rest stay installed but disabled. */
const ENABLED: Record<string, string[]> = {
  ims: ['opsconsole-tick.timer', 'postgres-backups.timer', 'duplicity-backups.timer'],
  tracker: ['opsconsole-tick.timer', 'mongodb-backups.timer', 'tracker.timer'],
};

/** Old stamps for Persistent=true timers: systemd runs the missed job as the timer starts. */
const STAMPS: Record<string, string[]> = { ims: ['postgres-backups.timer'], tracker: ['mongodb-backups.timer'] };

async function must(node: string, argv: string[]): Promise<string> {
  const r = await nodeExec(node, argv);
  if (r.code !== 0) throw new Error(`${node}: ${argv.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Installs (or re-installs, from a clean state) the test units on one node. */
export async function installUnits(node: string): Promise<void> {
  const units = UNITS[node];
  if (!units) throw new Error(`no test units for node ${node}`);
  const names = units.map((u) => u.name);
  await nodeExec(node, ['systemctl', 'stop', ...names]);
  await nodeExec(node, ['systemctl', 'disable', ...names.filter((n) => n.endsWith('.timer'))]);
  for (const u of units) await must(node, ['sh', '-c', 'printf "%s" "$2" > "$1"', 'sh', `${DIR}/${u.name}`, u.text]);
  for (const t of STAMPS[node] ?? []) {
    await must(node, ['sh', '-c', 'mkdir -p /var/lib/systemd/timers && touch -d "2020-01-01 00:00:00" "/var/lib/systemd/timers/stamp-$1"', 'sh', t]);
  }
  await must(node, ['systemctl', 'daemon-reload']);
  await nodeExec(node, ['systemctl', 'reset-failed', ...names]);
  await must(node, ['systemctl', 'enable', '--now', ...(ENABLED[node] ?? [])]);
  // The missed nightly jobs run now (Persistent=true + old stamp): let them finish.
  for (const t of STAMPS[node] ?? []) {
    const service = (await must(node, ['systemctl', 'show', '-p', 'Unit', '--value', t])).trim();
    const end = Date.now() + 10_000;
    while (Date.now() < end && (await must(node, ['systemctl', 'show', '-p', 'ExecMainExitTimestampMonotonic', '--value', service])).trim() === '0') await sleep(100);
    await waitInactive(node, service);
  }
}

export async function installAll(): Promise<void> {
  for (const node of Object.keys(UNITS)) await installUnits(node);
}

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/units');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitInactive(node: string, unit: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const s = (await nodeExec(node, ['systemctl', 'show', '-p', 'ActiveState', '--value', unit])).stdout.trim();
    if (s === 'inactive' || s === 'failed') return;
    await sleep(200);
  }
  throw new Error(`${node}: ${unit} still running after ${timeoutMs} ms`);
}

/**
 * Captures real output into test/fixtures/units/: the batched timers script and the failed-units
 * script (with a failed oneshot, a running one, never-run ones), the list-timers table, journal
 * JSON.
 */
export async function captureFixtures(dir = FIXTURES): Promise<string[]> {
  // Written to a temp folder first, moved in only when every capture worked: one consistent set.
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(join(dirname(dir), '.units-capture-'));
  const written: string[] = [];
  const put = (name: string, text: string) => {
    writeFileSync(join(tmp, name), text);
    written.push(name);
  };
  try {
    await capture(put);
    for (const name of written) renameSync(join(tmp, name), join(dir, name));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return written;
}

async function capture(put: (name: string, text: string) => void): Promise<void> {
  await installAll();
  await nodeExec('ims', ['systemctl', 'start', 'duplicity-backups.service']); // fails: exit 3
  await waitInactive('ims', 'duplicity-backups.service');
  await waitInactive('ims', 'postgres-backups.service');
  await sleep(6000); // the tick timer fires at least once
  for (const node of Object.keys(UNITS)) {
    put(`${node}.list-timers.json`, await must(node, ['systemctl', 'list-timers', '--all', '--output=json', '--no-pager']));
    put(`${node}.list-timers.txt`, await must(node, ['systemctl', 'list-timers', '--all', '--no-pager', '--full']));
    put(`${node}.list.out`, await must(node, ['sh', '-c', LIST_SCRIPT, 'sh']));
    put(`${node}.failed.out`, await must(node, ['sh', '-c', FAILED_SCRIPT, 'sh']));
    // the table older systemctl prints when it ignores --output=json
    put(`${node}.failed.txt`, (await nodeExec(node, ['systemctl', '--failed', '--no-pager'])).stdout);
  }
  put('ims.journal-duplicity.json', await must('ims', ['journalctl', '-u', 'duplicity-backups.service', '-o', 'json', '--no-pager', '-n', '50']));
  put('ims.journal-postgres.json', await must('ims', ['journalctl', '-u', 'postgres-backups.service', '-o', 'json', '--no-pager', '-n', '50']));
  put('ims.show-local-time.out', await must('ims', ['systemctl', 'show', '-p', 'Id,ActiveState,Result,ExecMainStatus,ExecMainCode,ExecMainStartTimestamp,ExecMainExitTimestamp', 'duplicity-backups.service', 'postgres-backups.service']));
  // Local time, as systemctl without --timestamp (older systemd) prints it on a node not in UTC.
  const props = ['-p', 'Id,ExecMainStartTimestamp,ExecMainExitTimestamp,StateChangeTimestamp', 'postgres-backups.service'];
  put('ims.show-cet.out', await must('ims', ['env', 'TZ=CET-1', 'systemctl', 'show', ...props]));
  put('ims.show-utc.out', await must('ims', ['systemctl', '--timestamp=us+utc', 'show', ...props]));
  put('ims.list-timers-cet.txt', await must('ims', ['env', 'TZ=CET-1', 'systemctl', 'list-timers', '--all', '--no-pager', '--full']));
  put('ims.date-cet.txt', await must('ims', ['env', 'TZ=CET-1', 'date', '+%z']));
  // A timer's oneshot while it runs (activating/start), for the `running` result and the refusal.
  await must('ims', ['systemctl', 'start', '--no-block', 'ims-updates.service']);
  await sleep(1500);
  put('ims.list-running.out', await must('ims', ['sh', '-c', LIST_SCRIPT, 'sh']));
  put('ims.show-running.out', await must('ims', ['systemctl', '--timestamp=us+utc', 'show', '-p', 'Id,Type,ActiveState,SubState,Result,ExecMainStatus,ExecMainStartTimestamp,StateChangeTimestamp,InvocationID', 'ims-updates.service']));
  await waitInactive('ims', 'ims-updates.service');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Standalone: a lab of our own, under the lab lock (a vitest run in progress is waited for).
  const cmd = process.argv[2];
  if (cmd !== 'install' && cmd !== 'capture') {
    console.error('usage: tsx test/lab/units-fixture.ts install|capture   (or CAPTURE=1 npx vitest run --project lab test/lab/units)');
    process.exit(2);
  }
  const release = await acquireLabLock(20 * 60_000, console.log);
  try {
    await labUp(console.log);
    if (cmd === 'install') await installAll();
    else console.log((await captureFixtures()).join('\n'));
  } finally {
    if (cmd === 'capture' && process.env.OPSCONSOLE_LAB_KEEP !== '1') await labDown();
    release();
  }
}
