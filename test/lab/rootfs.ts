// The nodes' shared, read-only Debian rootfs (booted with --volatile=overlay, so runs never
// change it). Built once with debootstrap (~60-80 s), also kept as a tarball for CI caches.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync, mkdirSync, statSync } from 'node:fs';
import { must } from './proc.ts';

// OPSCONSOLE_LAB_CACHE moves it (e.g. onto a CI cache volume).
export const CACHE_DIR = process.env.OPSCONSOLE_LAB_CACHE || '/var/cache/opsconsole-lab';
// Bump the version when the package list or the stripping changes.
export const ROOTFS = `${CACHE_DIR}/rootfs-v1`;
export const ROOTFS_TARBALL = `${CACHE_DIR}/rootfs-v1.tar.zst`;
const READY = '.opsconsole-lab-ready';
const PACKAGES = ['systemd', 'systemd-sysv', 'dbus', 'openssh-server', 'busybox-static'];

/** The Debian mirror this machine uses (deb822 or one-line sources), else deb.debian.org. */
export function debianMirror(): string {
  if (process.env.OPSCONSOLE_LAB_MIRROR) return process.env.OPSCONSOLE_LAB_MIRROR;
  const files = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const f of files) {
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    // deb822 stanza whose Suites include plain "bookworm" (not -security/-updates)
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
      if (uri && /^Suites:.*\bbookworm(\s|$)/m.test(stanza)) return uri;
    }
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text)?.[1];
    if (line) return line;
  }
  return 'http://deb.debian.org/debian';
}

/** Makes sure the unpacked rootfs exists; returns its path and what it had to do. */
export async function ensureRootfs(log: (line: string) => void): Promise<string> {
  if (existsSync(`${ROOTFS}/${READY}`)) return ROOTFS;
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${ROOTFS}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  rmSync(ROOTFS, { recursive: true, force: true });
  if (existsSync(ROOTFS_TARBALL)) {
    log(`lab: unpacking ${ROOTFS_TARBALL}`);
    mkdirSync(tmp);
    await must('tar', ['--zstd', '-xpf', ROOTFS_TARBALL, '-C', tmp, '--numeric-owner']);
  } else {
    const mirror = debianMirror();
    log(`lab: building the node rootfs with debootstrap from ${mirror} (once, ~80 s)`);
    await must('debootstrap', ['--variant=minbase', `--include=${PACKAGES.join(',')}`, 'bookworm', tmp, mirror]);
    strip(tmp);
    // Tarball first (into a temp name), so a half-written one is never mistaken for a cache.
    await must('tar', ['--zstd', '-cpf', `${ROOTFS_TARBALL}.tmp`, '-C', tmp, '--numeric-owner', '.']);
    renameSync(`${ROOTFS_TARBALL}.tmp`, ROOTFS_TARBALL);
  }
  writeFileSync(`${tmp}/${READY}`, `${new Date().toISOString()}\n`);
  renameSync(tmp, ROOTFS);
  return ROOTFS;
}

/** Removes the build host's identity; each node binds its own in at boot. */
function strip(root: string): void {
  for (const f of readdirSync(`${root}/etc/ssh`)) if (f.startsWith('ssh_host_')) rmSync(`${root}/etc/ssh/${f}`);
  writeFileSync(`${root}/etc/machine-id`, ''); // empty: bound per node
  rmSync(`${root}/var/lib/dbus/machine-id`, { force: true }); // systemd would copy it into /etc/machine-id
  writeFileSync(`${root}/etc/hostname`, 'localhost\n');
  writeFileSync(`${root}/etc/hosts`, '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n');
  rmSync(`${root}/etc/resolv.conf`, { force: true });
  writeFileSync(`${root}/etc/resolv.conf`, '');
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
    for (const f of readdirSync(`${root}/${dir}`)) {
      const p = `${root}/${dir}/${f}`;
      if (statSync(p).isFile() && f !== 'lock') rmSync(p);
    }
  }
  rmSync(`${root}/var/log/bootstrap.log`, { force: true });
  mkdirSync(`${root}/root/.ssh`, { recursive: true, mode: 0o700 });
}
