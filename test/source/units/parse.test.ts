// Parsers on output captured from the lab's real systemd 252 (test/lab/units-fixture.ts capture).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  parseClock,
  parseFailed,
  parseJournal,
  parseJournalLine,
  parseListTimersJson,
  parseListTimersText,
  parseListUnits,
  parseShow,
  parseTimers,
  parseTimestamp,
  splitSections,
  unitResult,
} from '../../../source/units/parse.ts';

const fx = (name: string) => readFileSync(new URL(`../../fixtures/units/${name}`, import.meta.url), 'utf8');
const at = (iso: string) => new Date(iso);
/** The raw list-timers JSON rows inside a captured script output (or a .json capture). */
const rawTimers = (name: string): { unit: string; next: number | null; last: number }[] =>
  JSON.parse(name.endsWith('.json') ? fx(name) : splitSections(fx(name)).get('timers-json')!);
const raw = (name: string, unit: string) => rawTimers(name).find((r) => r.unit === unit)!;
const usDate = (us: number | null) => (us ? new Date(Math.floor(us / 1000)) : undefined);
/** `Tue 2026-12-01 07:38:17.990931 UTC` read independently of the parser under test (ms). */
const utcMs = (v: string) => Date.parse(v.replace(/^\w{3} /, '').replace(' UTC', 'Z').replace(' ', 'T'));
const utcUs = (v: string) => Date.parse(v.replace(/^\w{3} /, '').replace(/\.\d+/, '').replace(' UTC', 'Z').replace(' ', 'T')) * 1000 + Number((v.match(/\.(\d+)/)?.[1] ?? '').padEnd(6, '0'));
const prop = (file: string, section: string, id: string, key: string) => parseShow(splitSections(fx(file)).get(section)).find((b) => b.id === id)!.get(key)!;

describe('timestamps', () => {
  it('parses the forms systemd prints', () => {
    expect(parseTimestamp('Tue 2026-12-01 02:00:00 UTC')).toEqual(at('2026-12-01T02:00:00Z'));
    expect(parseTimestamp('Tue 2026-12-01 07:30:40.349117 UTC')).toEqual(at('2026-12-01T07:30:40.349Z'));
    expect(parseTimestamp('Tue 2026-12-01 03:00:00 CET', 60)).toEqual(at('2026-12-01T02:00:00Z'));
    expect(parseTimestamp('Tue 2026-12-01 03:00:00 +0100')).toEqual(at('2026-12-01T02:00:00Z'));
    expect(parseTimestamp('@1796110240')).toEqual(at('2026-12-01T07:30:40Z'));
    expect(parseTimestamp('1796110240351098')).toEqual(new Date(1796110240351));
    for (const none of ['', 'n/a', '0', undefined, 'garbage']) expect(parseTimestamp(none)).toBeUndefined();
  });
});

describe('local time (systemctl without --timestamp on a node in CET)', () => {
  it('reads CET timestamps with the node offset the script prints', () => {
    const { offsetMin } = parseClock(`1796110240\n${fx('ims.date-cet.txt').trim()}`);
    expect(offsetMin).toBe(60);
    const cet = parseShow(fx('ims.show-cet.out'))[0]!;
    const utc = parseShow(fx('ims.show-utc.out'))[0]!;
    expect(cet.get('ExecMainStartTimestamp')).toMatch(/ CET$/);
    for (const k of ['ExecMainStartTimestamp', 'ExecMainExitTimestamp', 'StateChangeTimestamp']) {
      const sec = (d?: Date) => (d ? Math.floor(d.getTime() / 1000) : undefined);
      expect(sec(parseTimestamp(cet.get(k), offsetMin)), k).toBe(sec(parseTimestamp(utc.get(k))));
    }
    const table = parseListTimersText(fx('ims.list-timers-cet.txt'), offsetMin);
    expect(table.find((t) => t.unit === 'postgres-backups.timer')!.next).toEqual(at('2026-12-02T02:00:00Z'));
    expect(table.find((t) => t.unit === 'duplicity-backups.timer')!.next).toEqual(at('2026-12-02T03:30:00Z'));
  });
});

describe('list-timers', () => {
  it('JSON (systemd 252: left/passed absolute, last 0 when never, next null while inactive)', () => {
    const rows = parseListTimersJson(fx('ims.list-timers.json'))!;
    const tick = rows.find((r) => r.unit === 'opsconsole-tick.timer')!;
    const r = raw('ims.list-timers.json', 'opsconsole-tick.timer');
    expect(r.next).toBeGreaterThan(r.last); // µs timestamps, not "left"/"passed" spans
    expect(tick).toEqual({ unit: 'opsconsole-tick.timer', activates: 'opsconsole-tick.service', next: usDate(r.next), last: usDate(r.last) });
    expect(raw('ims.list-timers.json', 'fstrim.timer')).toMatchObject({ next: null, last: 0 });
    expect(rows.find((r) => r.unit === 'fstrim.timer')).toEqual({ unit: 'fstrim.timer', activates: 'fstrim.service' });
    expect(rows.find((r) => r.unit === 'duplicity-backups.timer')!.last).toBeUndefined();
    expect(parseListTimersJson(fx('ims.list-timers.txt'))).toBeUndefined();
  });

  it('the text table agrees with the JSON (to the second)', () => {
    for (const node of ['ims', 'tracker']) {
      const json = parseListTimersJson(fx(`${node}.list-timers.json`))!;
      const text = parseListTimersText(fx(`${node}.list-timers.txt`));
      const sec = (d?: Date) => (d ? Math.floor(d.getTime() / 1000) : undefined);
      expect(text.map((t) => [t.unit, t.activates, sec(t.next), sec(t.last)])).toEqual(json.map((t) => [t.unit, t.activates, sec(t.next), sec(t.last)]));
    }
  });
});

describe('systemctl show', () => {
  it('splits Key=value blocks, keeps repeated keys', () => {
    const blocks = parseShow(splitSections(fx('ims.list.out')).get('show-timers'));
    const tick = blocks.find((b) => b.id === 'opsconsole-tick.timer')!;
    expect(tick.all('TimersMonotonic')).toEqual([expect.stringMatching(/^\{ OnUnitActiveUSec=5s ; next_elapse=.+ \}$/), expect.stringMatching(/^\{ OnActiveUSec=1s ; next_elapse=.+ \}$/)]);
    expect(tick.get('LastTriggerUSec')).toMatch(/^\w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  });

  it('results: exit-code, success, never, running, signal', () => {
    const s = new Map(parseShow(fx('ims.show-local-time.out')).map((b) => [b.id, b]));
    expect(unitResult(s.get('duplicity-backups.service'))).toEqual({ kind: 'exit-code', code: 3 });
    expect(unitResult(s.get('postgres-backups.service'))).toEqual({ kind: 'success' });
    const running = parseShow(fx('ims.show-running.out'))[0]!;
    expect(running.get('ActiveState')).toBe('activating');
    expect(unitResult(running)).toEqual({ kind: 'running' });
    const killed = parseShow('Id=x.service\nResult=signal\nExecMainCode=2\nExecMainStatus=9\nActiveState=failed\nExecMainStartTimestamp=Tue 2026-12-01 07:30:40 UTC\n')[0]!;
    expect(unitResult(killed)).toEqual({ kind: 'signal', signal: 'SIGKILL' });
    expect(unitResult(parseShow('Id=x.service\nResult=timeout\nActiveState=failed\n')[0])).toEqual({ kind: 'other', text: 'timeout' });
    expect(unitResult(undefined)).toEqual({ kind: 'never' });
  });
});

describe('parseTimers (the batched script, real output)', () => {
  const ims = parseTimers(fx('ims.list.out'), 'prod', 'ims');
  const by = (u: string) => ims.find((t) => t.unit === u)!;

  it('lists loaded and installed-but-disabled timers once each', () => {
    expect(ims.map((t) => t.unit)).toEqual([
      'apt-daily-upgrade.timer',
      'apt-daily.timer',
      'dpkg-db-backup.timer',
      'duplicity-backups.timer',
      'e2scrub_all.timer',
      'fstrim.timer',
      'ims-updates.timer',
      'opsconsole-tick.timer',
      'postgres-backups.timer',
      'systemd-tmpfiles-clean.timer',
    ]);
  });

  it('the 5 s timer: real next/last, success, duration', () => {
    const r = raw('ims.list.out', 'opsconsole-tick.timer');
    const started = prop('ims.list.out', 'show-services', 'opsconsole-tick.service', 'ExecMainStartTimestamp');
    const exited = prop('ims.list.out', 'show-services', 'opsconsole-tick.service', 'ExecMainExitTimestamp');
    expect(by('opsconsole-tick.timer')).toEqual({
      env: 'prod',
      node: 'ims',
      unit: 'opsconsole-tick.timer',
      service: 'opsconsole-tick.service',
      schedule: 'every 5 s (first 1 s after the timer started)',
      calendar: 'OnUnitActiveSec=5s; OnActiveSec=1s',
      next: usDate(r.next),
      last: usDate(r.last),
      lastDurationMs: Math.round((utcUs(exited) - utcUs(started)) / 1000),
      result: { kind: 'success' },
      enabled: true,
      failed: false,
      serviceState: 'inactive/dead',
    });
  });

  it('nightly persistent backup ran at start; failed duplicity; never-run and disabled timers', () => {
    const pg = by('postgres-backups.timer');
    expect(pg).toMatchObject({ schedule: 'daily 02:00', calendar: 'OnCalendar=*-*-* 02:00:00', result: { kind: 'success' }, failed: false, enabled: true });
    expect(pg.lastDurationMs).toBeGreaterThanOrEqual(1000); // `sleep 1`
    expect(pg.lastDurationMs).toBeLessThan(1500);
    expect(pg.last).toEqual(usDate(raw('ims.list.out', 'postgres-backups.timer').last));
    expect(pg.next).toEqual(at('2026-12-02T02:00:00Z'));
    const dup = by('duplicity-backups.timer');
    expect(dup).toMatchObject({ service: 'duplicity-backups.service', result: { kind: 'exit-code', code: 3 }, failed: true, enabled: true });
    expect(dup.lastDurationMs).toBeLessThan(500);
    expect(dup.last).toBeUndefined(); // started by hand, not by the timer
    const upd = by('ims-updates.timer');
    expect(upd).toMatchObject({ schedule: 'twice a day 00:00, 12:00', result: { kind: 'never' }, enabled: false, failed: false });
    expect(upd.next).toBeUndefined();
    expect(by('fstrim.timer')).toMatchObject({ schedule: 'weekly', enabled: true, result: { kind: 'never' } });
    expect(by('fstrim.timer').next).toBeUndefined();
    expect(by('systemd-tmpfiles-clean.timer')).toMatchObject({ schedule: 'every 1 d (first 15 min after boot)', enabled: true });
    expect(by('apt-daily.timer').schedule).toBe('twice a day 06:00, 18:00');
  });

  it('a timer that starts a service of another name (seed 002: mongodb-backups.timer)', () => {
    const tracker = parseTimers(fx('tracker.list.out'), 'prod', 'tracker');
    const mongo = tracker.find((t) => t.unit === 'mongodb-backups.timer')!;
    expect(mongo).toMatchObject({ service: 'mongodb-backups-s3.service', schedule: 'weekly', result: { kind: 'success' }, enabled: true });
    expect(mongo.last).toBeDefined();
    expect(tracker.find((t) => t.unit === 'tracker.timer')).toMatchObject({ schedule: 'twice a day 06:00, 18:00', result: { kind: 'never' } });
  });

  it('a running oneshot', () => {
    const upd = parseTimers(fx('ims.list-running.out'), 'prod', 'ims').find((t) => t.unit === 'ims-updates.timer')!;
    expect(upd).toMatchObject({ result: { kind: 'running' }, failed: false, serviceState: 'activating/start' });
    expect(upd.lastDurationMs).toBeUndefined();
  });

  it('older systemctl ignores --output=json and prints the table: same rows (to the second)', () => {
    const full = fx('ims.list.out');
    const json = splitSections(full).get('timers-json')!;
    const older = parseTimers(full.replace(json, fx('ims.list-timers.txt').trim()), 'prod', 'ims');
    const sec = (d?: Date) => (d ? Math.floor(d.getTime() / 1000) : undefined);
    // The table comes from a moment later than the script's JSON: compare with the table's own JSON twin.
    const twin = parseListTimersJson(fx('ims.list-timers.json'))!;
    for (const t of twin) {
      const row = older.find((r) => r.unit === t.unit)!;
      expect([t.unit, sec(row.next), sec(row.last)]).toEqual([t.unit, sec(t.next), sec(t.last)]);
    }
    expect(older.map((r) => r.unit)).toEqual(ims.map((r) => r.unit));
  });

  it('cut-short output is an error, not an empty list', () => {
    const full = fx('ims.list.out');
    expect(() => parseTimers(full.slice(0, full.indexOf('@@opsconsole:show-services')), 'prod', 'ims')).toThrow(/ims: unexpected output/);
  });
});

describe('failed units', () => {
  it('lists the failed oneshot with its result and since when', () => {
    expect(parseFailed(fx('ims.failed.out'), 'ims')).toEqual([
      {
        node: 'ims',
        unit: 'duplicity-backups.service',
        type: 'service',
        load: 'loaded',
        active: 'failed',
        sub: 'failed',
        description: 'duplicity backup of media',
        result: { kind: 'exit-code', code: 3 },
        since: new Date(utcMs(prop('ims.failed.out', 'show-failed', 'duplicity-backups.service', 'StateChangeTimestamp'))),
      },
    ]);
    expect(parseFailed(fx('tracker.failed.out'), 'tracker')).toEqual([]);
    // older systemctl: the table (legend, bullets and all) instead of JSON
    const fromTable = parseFailed(fx('ims.failed.out').replace(/\[\{"unit".*\]/, fx('ims.failed.txt').trim()), 'ims');
    expect(fromTable).toEqual(parseFailed(fx('ims.failed.out'), 'ims'));
    expect(parseListUnits(fx('tracker.failed.txt'))).toEqual([]);
    // the panel's one command per node carries the same sections
    expect(parseFailed(fx('ims.list.out'), 'ims').map((f) => [f.unit, f.result])).toEqual([['duplicity-backups.service', { kind: 'exit-code', code: 3 }]]);
    expect(parseFailed(fx('tracker.list.out'), 'tracker')).toEqual([]);
  });
});

describe('journal JSON', () => {
  it('decodes MESSAGE byte arrays, priority and time', () => {
    const entries = parseJournal(fx('ims.journal-duplicity.json'));
    expect(entries.map((e) => e.message)).toEqual([
      'Starting duplicity-backups.service - duplicity backup of media...',
      'duplicity: uploading media',
      '\x1b[31mS3 access denied\x1b[0m',
      'duplicity-backups.service: Main process exited, code=exited, status=3/NOTIMPLEMENTED',
      "duplicity-backups.service: Failed with result 'exit-code'.",
      'Failed to start duplicity-backups.service - duplicity backup of media.',
    ]);
    const first = JSON.parse(fx('ims.journal-duplicity.json').split('\n')[0]!) as { __REALTIME_TIMESTAMP: string; MESSAGE: unknown };
    expect(entries[0]!.us).toBe(Number(first.__REALTIME_TIMESTAMP));
    expect(entries[0]!.time).toEqual(new Date(Math.floor(Number(first.__REALTIME_TIMESTAMP) / 1000)));
    // the escape sequence line is a byte array in the real output
    expect(fx('ims.journal-duplicity.json')).toContain('"MESSAGE":[27,91,51,49,109,83,51');
    expect(entries.map((e) => e.priority)).toEqual([6, 6, 6, 5, 4, 3]);
    expect(entries[1]!.identifier).toBe('sh');
  });
  it('ignores what is not an entry', () => {
    expect(parseJournalLine('-- No entries --')).toBeUndefined();
    expect(parseJournalLine('{"MESSAGE":"no time"}')).toBeUndefined();
    expect(parseJournalLine('{"__REALTIME_TIMESTAMP":"1796110240351098","MESSAGE":null}')).toMatchObject({ message: '', priority: 6 });
  });
});
