import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  FAILED_SCRIPT,
  LIST_SCRIPT,
  START_SCRIPT,
  UnitNameError,
  enableTimer,
  followJournalCmd,
  isUnitName,
  listAll,
  readJournalCmd,
  readJournalSinceCmd,
  resetFailed,
  showUnits,
  startUnit,
  startUnitAt,
  unitName,
} from '../../../source/units/commands.ts';

const hostile = ['a;reboot.service', '$(id).timer', '`id`.service', '--help', '-x.service', '--now.timer', 'a\nb.service', 'a b.service', "it's.service", 'a|b.timer', '../etc.service', '', 'postgres-backups', 'x.sh', 'a\\x2d.service', '.hidden.service', 'a'.repeat(300) + '.service'];
const good = ['postgres-backups.timer', 'postgres-backups.service', 'getty@tty1.service', 'dev-disk-by-uuid.mount', 'a:b_c.d-e.target', 'sshd.socket', 'x.path'];

describe('unit names', () => {
  it.each(hostile)('rejects %j before any command is built', (name) => {
    expect(isUnitName(name)).toBe(false);
    expect(() => unitName(name)).toThrow(UnitNameError);
    expect(() => startUnit(name)).toThrow(/invalid unit name/);
    expect(() => startUnitAt(name)).toThrow(UnitNameError);
    expect(() => showUnits([name])).toThrow(UnitNameError);
    expect(() => readJournalCmd(name)).toThrow(UnitNameError);
    expect(() => followJournalCmd(name)).toThrow(UnitNameError);
    expect(() => enableTimer(name, true)).toThrow(UnitNameError);
    expect(() => resetFailed(name)).toThrow(UnitNameError);
  });
  it.each(good)('accepts %s', (name) => expect(unitName(name)).toBe(name));
  it('says what is wrong', () => {
    expect(() => unitName('a;reboot.service')).toThrow('invalid unit name "a;reboot.service": expected e.g. postgres-backups.service');
  });
});

describe('argv builders', () => {
  it('builds the documented commands', () => {
    expect(startUnit('ims-updates.service')).toEqual(['systemctl', 'start', '--no-block', '--', 'ims-updates.service']);
    expect(enableTimer('tracker.timer', true)).toEqual(['systemctl', 'enable', '--now', '--', 'tracker.timer']);
    expect(enableTimer('tracker.timer', false)).toEqual(['systemctl', 'disable', '--now', '--', 'tracker.timer']);
    expect(resetFailed('duplicity-backups.service')).toEqual(['systemctl', 'reset-failed', '--', 'duplicity-backups.service']);
    expect(readJournalCmd('ims-postgres.service')).toEqual(['journalctl', '-u', 'ims-postgres.service', '-o', 'json', '--no-pager', '-n', '50']);
    expect(followJournalCmd('x.service', { sinceSec: 1796110240.5 })).toEqual(['journalctl', '-u', 'x.service', '-o', 'json', '--no-pager', '-f', '--since', '@1796110240.5', '-n', 'all']);
    expect(followJournalCmd('x.service', { sinceSec: 1796110240 })).toContain('@1796110240');
    expect(readJournalSinceCmd('x.service', 1796110240.25)).toEqual(['journalctl', '-u', 'x.service', '-o', 'json', '--no-pager', '--since', '@1796110240.25', '-n', 'all']);
    expect(() => readJournalCmd('x.service', 0)).toThrow();
  });

  it('batches with fixed scripts: names only ever arrive as "$@"', () => {
    expect(listAll()).toEqual(['sh', '-c', LIST_SCRIPT, 'sh']);
    const show = showUnits(['a.service', 'b.timer'], ['Id', 'ActiveState']);
    expect(show.slice(0, 4)).toEqual(['sh', '-c', show[2], 'sh']);
    expect(show.slice(4)).toEqual(['-p', 'Id,ActiveState', '--', 'a.service', 'b.timer']);
    expect(startUnitAt('a.service')).toEqual(['sh', '-c', START_SCRIPT, 'sh', 'a.service']);
    for (const s of [LIST_SCRIPT, FAILED_SCRIPT, START_SCRIPT, show[2]!]) expect(s).not.toMatch(/a\.service|b\.timer/);
    expect(() => showUnits(['a.service'], ['Id;reboot'])).toThrow();
  });

  it('the scripts are valid POSIX sh (dash -n)', () => {
    for (const s of [LIST_SCRIPT, FAILED_SCRIPT, START_SCRIPT, showUnits(['a.service'])[2]!]) {
      const r = spawnSync('sh', ['-n', '-c', s]);
      expect(r.status, r.stderr.toString()).toBe(0);
    }
  });

  it('START_SCRIPT passes a name through "$1" without evaluating it', () => {
    // Run the script with a fake systemctl first on PATH: it only prints its argv.
    const dir = spawnSync('mktemp', ['-d']).stdout.toString().trim();
    spawnSync('sh', ['-c', 'printf "#!/bin/sh\\nprintf \\"<%%s>\\" \\"\\$@\\"\\n" > "$1/systemctl"; chmod +x "$1/systemctl"', 'sh', dir]);
    const r = spawnSync('sh', ['-c', START_SCRIPT, 'sh', '$(id).service'], { env: { PATH: `${dir}:/usr/bin:/bin` } });
    const [clock, args] = r.stdout.toString().split('\n');
    expect(clock).toMatch(/^\d+\.\d+$/);
    expect(args).toBe('<start><--no-block><--><$(id).service>');
  });
});
