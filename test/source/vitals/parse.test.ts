import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VITALS_SCRIPT, vitalsCommand } from '../../../source/vitals/commands.ts';
import { isPseudoFs, isRuntimePath, parseDf, parseMounts, parseVitals, splitSections, VitalsParseError } from '../../../source/vitals/parse.ts';

// Captured from the lab's systemd-nspawn nodes over SSH (test/lab/vitals.lab.test.ts with
// OPSCONSOLE_CAPTURE_FIXTURES=1; re-capturing changes the numbers asserted here).
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/vitals/${name}`, import.meta.url), 'utf8');

describe('vitalsCommand', () => {
  it('is one fixed sh -c script, the same every time', () => {
    expect(vitalsCommand()).toEqual(['sh', '-c', VITALS_SCRIPT]);
    for (const probe of ['nproc', '/proc/loadavg', '/proc/meminfo', '/proc/uptime', 'uname -sr', 'PRETTY_NAME', 'is-system-running', 'list-units --failed', 'df -PT', 'df -PTi']) {
      expect(VITALS_SCRIPT).toContain(probe);
    }
    expect(VITALS_SCRIPT.trimEnd().endsWith('exit 0')).toBe(true);
  });
});

describe('parseVitals on a running lab node', () => {
  const v = parseVitals(fixture('ims-running.txt'), new Date(0));
  it('reads load, cores, memory, uptime, kernel, OS and system state', () => {
    expect(v).toMatchObject({
      cores: 2,
      load1: 7.25,
      load5: 6.12,
      load15: 3.3,
      memTotalKb: 24683584,
      swapTotalKb: 0,
      swapUsedPct: 0,
      uptimeSec: 1199,
      kernel: 'Linux 6.18.44-fc-v1045',
      os: 'Debian GNU/Linux 12 (bookworm)',
      system: 'running',
      failedUnits: 0,
      failedUnitNames: [],
    });
    // (24683584 - 23400604) / 24683584
    expect(v.memUsedPct).toBe(5.2);
    expect(v.memAvailablePct).toBe(94.8);
  });
  it('leaves out the overlay root, tmpfs and friends, and the runtime\'s own bind mounts under /run', () => {
    // The only ext4 entry of this capture is nspawn's bind mount of the host's os-release file
    // onto /run/host/os-release: the host's disk, not one of the node's.
    expect(v.mounts).toEqual([]);
    expect(v.fullestMount).toBeUndefined();
  });
});

describe('parseVitals on a degraded node with a nearly full disk', () => {
  const v = parseVitals(fixture('ims-degraded-full.txt'));
  it('reports degraded and the failed unit by name', () => {
    expect(v.system).toBe('degraded');
    expect(v.failedUnitNames).toContain('opsconsole-fail.service');
    expect(v.failedUnits).toBe(v.failedUnitNames?.length);
  });
  it('sees /srv/data as the fullest mount', () => {
    const srv = v.mounts?.find((m) => m.path === '/srv/data');
    expect(srv?.type).toBe('ext4');
    expect(srv?.usedPct).toBeGreaterThanOrEqual(90);
    expect(srv?.inodesUsedPct).toBeLessThan(10);
    expect(v.fullestMount?.path).toBe('/srv/data');
  });
});

describe('parse helpers (hand-written input)', () => {
  it('splits sections and ignores text before the first marker', () => {
    const s = splitSections('motd noise\n::opsconsole:a::\n1\n2\n::opsconsole:b::\r\n\n::opsconsole:end::\n');
    expect([...s.entries()]).toEqual([
      ['a', '1\n2'],
      ['b', ''],
      ['end', ''],
    ]);
  });
  it('keeps mount points with spaces and reads "-" as unknown', () => {
    const df = 'Filesystem Type 1024-blocks Used Available Capacity Mounted on\n/dev/sdb1 vfat 1000 500 500 50% /media/my disk\n';
    const dfi = 'Filesystem Type Inodes IUsed IFree IUse% Mounted on\n/dev/sdb1 vfat 0 0 0 - /media/my disk\n';
    expect(parseDf(dfi)[0]).toEqual({ filesystem: '/dev/sdb1', type: 'vfat', total: 0, used: 0, avail: 0, path: '/media/my disk' });
    const [m] = parseMounts(df, dfi);
    expect(m).toMatchObject({ path: '/media/my disk', usedPct: 50 });
    expect(m?.inodesUsedPct).toBeUndefined();
  });
  it('knows the pseudo filesystems', () => {
    for (const t of ['tmpfs', 'devtmpfs', 'overlay', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'squashfs', 'ramfs', 'nsfs', 'autofs', 'fuse.lxcfs', 'fuse.portal']) expect(isPseudoFs(t)).toBe(true);
    for (const t of ['ext4', 'xfs', 'btrfs', 'nfs4', 'zfs']) expect(isPseudoFs(t)).toBe(false);
  });
  it('knows the runtime\'s mount points from real disks', () => {
    for (const p of ['/run/host/os-release', '/proc/sys', '/sys/fs/cgroup', '/dev/shm', '/run']) expect(isRuntimePath(p)).toBe(true);
    for (const p of ['/', '/srv/data', '/var/lib/postgresql', '/running', '/home/run']) expect(isRuntimePath(p)).toBe(false);
  });
  it('rejects output that was cut short or lacks the essentials', () => {
    const full = fixture('ims-running.txt');
    expect(() => parseVitals(full.slice(0, full.indexOf('::opsconsole:end::')))).toThrow(VitalsParseError);
    expect(() => parseVitals('::opsconsole:nproc::\n\n::opsconsole:end::\n')).toThrow(/nproc/);
    expect(() => parseVitals('bash: sh: not found')).toThrow(/incomplete/);
  });
  it('falls back to free + buffers + cached without MemAvailable, and "unknown" without systemd', () => {
    const text = [
      '::opsconsole:nproc::', '4', '::opsconsole:loadavg::', '0.5 0.4 0.3 1/100 42',
      '::opsconsole:meminfo::', 'MemTotal: 1000 kB', 'MemFree: 100 kB', 'Buffers: 50 kB', 'Cached: 50 kB', 'SwapTotal: 200 kB', 'SwapFree: 150 kB',
      '::opsconsole:system::', '', '::opsconsole:end::', '',
    ].join('\n');
    const v = parseVitals(text);
    expect(v).toMatchObject({ cores: 4, memAvailablePct: 20, memUsedPct: 80, swapUsedPct: 25, system: 'unknown', failedUnits: 0, mounts: [] });
    expect(v.fullestMount).toBeUndefined();
    expect(v.uptimeSec).toBeUndefined();
  });
});
