import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../source/config/errors.ts';
import { loadConfig } from '../../../source/config/load.ts';

const BAD = 'test/fixtures/config/bad';
const tmp = mkdtempSync(join(tmpdir(), 'opsconsole-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The formatted error of loading `file`, checking it came within a second. */
function failure(file: string): string {
  const t0 = performance.now();
  let error: unknown;
  try {
    loadConfig(file);
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  expect(error, `${file} loaded without error`).toBeInstanceOf(ConfigError);
  expect(ms, `${file} took ${ms.toFixed(0)} ms`).toBeLessThan(1000);
  return (error as ConfigError).format();
}

function tmpFile(name: string, content: string | Uint8Array): string {
  const file = join(tmp, name);
  writeFileSync(file, content);
  return file;
}

const SECRET_HINT = '(hint: write keychain:NAME or env:NAME; set it with `opsconsole secrets set NAME`)';

describe('loadConfig refuses malformed YAML files with file:line:col', () => {
  const cases: [string, string][] = [
    ['syntax-unclosed-flow', '4:3: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['tab-indent', '3:1: tab in indentation (hint: YAML indentation uses spaces, not tabs)'],
    ['duplicate-key', '4:5: duplicate key "protect" (hint: each key may appear once in a mapping)'],
    ['python-tag', '5:18: unknown tag "!!python/object/apply:os.system" (hint: opsconsole reads plain YAML: remove the tag)'],
    ['alias-bomb', '3:20: alias "*b" expands too often (over 50 aliases): refusing a possible alias bomb (hint: repeat the values instead of nesting aliases)'],
    ['undefined-alias', '4:9: undefined alias "*ims" (hint: define the anchor &ims before using it)'],
    ['two-documents', '3:1: a second YAML document (hint: a config file holds one document: remove the "---" line)'],
    ['alias-self', '2:6: alias "*x" refers to a node that contains it (hint: an alias cannot repeat its own parent)'],
  ];
  it.each(cases)('%s', (name, expected) => {
    expect(failure(`${BAD}/${name}.yaml`)).toBe(`${BAD}/${name}.yaml:${expected}`);
  });

  it('an empty file', () => {
    const file = tmpFile('empty.yaml', '');
    expect(failure(file)).toBe(`${file}: the file is empty (hint: run \`opsconsole config init\`)`);
  });

  it('a file of comments only counts as empty', () => {
    expect(failure(`${BAD}/comments-only.yaml`)).toBe(`${BAD}/comments-only.yaml: the file is empty (hint: run \`opsconsole config init\`)`);
  });

  it('10,000 levels of nesting, before yaml overflows its stack', () => {
    const file = tmpFile('deep.yaml', 'environments:\n  x: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n');
    expect(failure(file)).toBe(`${file}:2:70: nesting deeper than 64 levels (hint: a config never needs this; is this the right file?)`);
  });

  it('10,000 levels of block nesting (compact sequences)', () => {
    const file = tmpFile('deep-block.yaml', `${'- '.repeat(10_000)}x\n`);
    expect(failure(file)).toBe(`${file}:1:129: nesting deeper than 64 levels (hint: a config never needs this; is this the right file?)`);
  });

  it('nesting by indentation', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`);
    const file = tmpFile('deep-indent.yaml', `a:\n${lines.join('\n')} 1\n`);
    expect(failure(file)).toBe(`${file}:65:65: nesting deeper than 64 levels (hint: a config never needs this; is this the right file?)`);
  });
});

describe('loadConfig refuses bad bytes', () => {
  it('invalid UTF-8, with the position of the bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('environments:\n  production:\n    protect: é'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n')]);
    const file = tmpFile('latin1.yaml', bytes);
    expect(failure(file)).toBe(`${file}:3:15: invalid UTF-8 (byte 0xff at offset 43) (hint: save the file as UTF-8)`);
  });

  it('a truncated multi-byte sequence at the end', () => {
    const file = tmpFile('truncated.yaml', Buffer.concat([Buffer.from('a: b'), Buffer.from([0xe2, 0x82])]));
    expect(failure(file)).toBe(`${file}:1:5: invalid UTF-8 (byte 0xe2 at offset 4) (hint: save the file as UTF-8)`);
  });

  it('binary data with NUL bytes', () => {
    const file = tmpFile('binary.yaml', Buffer.concat([Buffer.from('environments:\n  x: '), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00])]));
    expect(failure(file)).toBe(`${file}:2:13: the file contains a NUL byte (binary data?) (hint: a config file is YAML text)`);
  });

  it('UTF-16 with a BOM', () => {
    const file = tmpFile('utf16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('environments:\n  production: {}\n', 'utf16le')]));
    expect(failure(file)).toBe(`${file}: the file is UTF-16, not UTF-8 (hint: save it as UTF-8, e.g. \`iconv -f UTF-16 -t UTF-8\`)`);
  });

  it('UTF-16 without a BOM', () => {
    const file = tmpFile('utf16-nobom.yaml', Buffer.from('environments:\n  production: {}\n', 'utf16le'));
    expect(failure(file)).toBe(`${file}: the file is UTF-16, not UTF-8 (hint: save it as UTF-8, e.g. \`iconv -f UTF-16 -t UTF-8\`)`);
  });

  it('control characters that yaml would keep as text', () => {
    const file = tmpFile('bell.yaml', 'environments:\n  production:\n    refresh: 1\x07s\n');
    expect(failure(file)).toBe(`${file}:3:15: control character U+0007 in the file (hint: a config file is YAML text)`);
  });

  it('a UTF-8 BOM is fine', () => {
    const file = tmpFile('bom.yaml', '\ufeffenvironments:\n  production: {}\n');
    expect(loadConfig(file).config.environments['production']?.protect).toBe(false);
  });
});

describe('loadConfig refuses what is not a readable regular file', () => {
  it('a nonexistent file', () => {
    const file = join(tmp, 'nope.yaml');
    expect(failure(file)).toBe(`${file}: no such file (hint: create one with \`opsconsole config init\` or pass -c FILE)`);
  });

  it('a directory, naming the path', () => {
    const dir = join(tmp, 'conf.d');
    mkdirSync(dir);
    expect(failure(dir)).toBe(`${dir}: a directory, not a config file (hint: pass the path of a YAML file)`);
  });

  it('a FIFO, without blocking on it', () => {
    const fifo = join(tmp, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(failure(fifo)).toBe(`${fifo}: a FIFO, not a config file (hint: pass the path of a YAML file)`);
  });

  it('/dev/zero, without reading forever', () => {
    expect(failure('/dev/zero')).toBe('/dev/zero: a character device, not a config file (hint: pass the path of a YAML file)');
  });

  it('a file over 1 MiB', () => {
    const file = tmpFile('huge.yaml', `environments:\n  production:\n    nodes:\n${'      - { name: n, address: 10.0.0.1 }\n'.repeat(2 * 1024 * 1024 / 40)}`);
    expect(failure(file)).toMatch(new RegExp(`^${file}: the file is too large \\(\\d+ bytes; the limit is 1 MiB\\) \\(hint: is this the right file\\?\\)$`));
  });

  it('a regular file whose read fails (/proc/self/mem gives EIO, even to root)', () => {
    expect(failure('/proc/self/mem')).toBe('/proc/self/mem: cannot read the file (EIO)');
  });

  it('a file without read permission (checked as an unprivileged user, since root reads anything)', () => {
    const file = tmpFile('locked.yaml', 'environments:\n  production: {}\n');
    chmodSync(file, 0o000);
    chmodSync(tmp, 0o755);
    const expected = `${file}: permission denied (hint: check the owner and mode of the file and its folders (ls -l))`;
    if (process.getuid?.() !== 0) {
      expect(failure(file)).toBe(expected);
      return;
    }
    const probe = tmpFile('probe.ts', [
      `import { loadConfig } from ${JSON.stringify(fileURLToPath(new URL('../../../source/config/load.ts', import.meta.url)))};`,
      'const t0 = performance.now();',
      'try { loadConfig(process.argv[2]); console.log("loaded"); } catch (e) { console.log(e.format()); }',
      'console.log(Math.round(performance.now() - t0));',
    ].join('\n'));
    chmodSync(probe, 0o644);
    const r = spawnSync(process.execPath, ['--import', 'tsx', probe, file], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: process.cwd(), timeout: 9000 });
    const [message, ms] = r.stdout.trim().split('\n');
    expect(message, r.stderr).toBe(expected);
    expect(Number(ms)).toBeLessThan(1000);
  });
});

describe('loadConfig checks the schema and reports the first problem by position', () => {
  const cases: [string, string][] = [
    ['protect-string', '3:14: protect must be true or false, not the string "yes please" (hint: write true or false)'],
    ['port-string', '4:47: port must be a number, not the string "twenty"'],
    ['port-range', '4:47: port must be at most 65535, not 70000'],
    ['unknown-key-top', '1:1: unknown key "enviroments" (hint: did you mean "environments"?)'],
    ['unknown-key-nested', '3:5: unknown key "protcet" (hint: did you mean "protect"?)'],
    ['unknown-key-bastion', '3:32: unknown key "usr" (hint: did you mean "user"?)'],
    ['unknown-key-cloud', '4:41: unknown key "tokn" (hint: did you mean "token"?)'],
    ['unknown-key-health', '10:11: unknown key "timout" (hint: did you mean "timeout"?)'],
    ['misspelt-required-key', '3:24: unknown key "adress" (hint: did you mean "address"?)'],
    ['node-without-address', '4:9: missing required key "address"'],
    ['duplicate-node', '5:17: duplicate node "ims" (first at nodes[0]) (hint: node names must be unique within an environment)'],
    ['unknown-colour-node', '10:26: unknown node "drcockroach" (hint: known nodes: ginormica)'],
    ['unknown-store', '5:51: unknown object store "embassy" (hint: known object stores: embassy-s3)'],
    ['unknown-router', '5:44: unknown router "main" (hint: this environment has no routers)'],
    ['unknown-timer-backup', '4:55: unknown backup set "nightly" (hint: this environment has no backup sets)'],
    ['unknown-tunnel-node', '4:32: unknown node "nope" (hint: known nodes: bastion)'],
    ['plain-password', `4:66: a secret must be a reference, not the value itself ${SECRET_HINT}`],
    ['service-plain-secret', `4:127: a secret must be a reference, not the value itself ${SECRET_HINT}`],
    ['vault-secret', `3:44: unknown secret store "vault" ${SECRET_HINT}`],
    ['number-secret', `3:37: passphrase must be a secret reference (keychain:NAME or env:NAME) ${SECRET_HINT}`],
    ['colon-password', `3:37: a secret must be a reference, not the value itself ${SECRET_HINT}`],
    ['bad-secret-name', `3:37: invalid secret name after "keychain:" ${SECRET_HINT}`],
    ['bad-duration', '9:17: invalid duration "26 hours" (hint: write a number and a unit with no space: 500ms, 10s, 5m, 26h, 2d (or 1h30m))'],
    ['duration-number', '3:28: connectTimeout must be a duration such as 10s, 500ms, 26h or 2d, not the number 10'],
    ['bad-unit', '5:28: invalid systemd unit name "foo;rm -rf /.timer" (hint: a unit is NAME.service, NAME.timer, NAME.target, NAME.socket, NAME.path or NAME.mount with letters, digits and :_.@-)'],
    ['environments-empty', '1:15: no environments (hint: add at least one environment, e.g. environments: { production: { nodes: [...] } })'],
    ['environment-name', '2:3: invalid environment name "Production" (hint: environment names use lower-case letters, digits and "-")'],
    ['unknown-cloud-kind', '3:33: kind must be openstack or digitalocean'],
    ['bad-backup-kind', '4:32: kind must be one of wal-g, wal-e, pg_dump, mongodump, duplicity, files, not the string "pgdump" (hint: did you mean "pg_dump"?)'],
    ['top-level-list', '1:1: the config must be a mapping, not a list (hint: start with environments:)'],
    ['nodes-null', '3:11: nodes must be a list, not empty'],
    ['via-without-bastion', '3:50: via: bastion but this environment has no bastion (hint: add a bastion or write via: direct)'],
  ];
  it.each(cases)('%s', (name, expected) => {
    expect(failure(`${BAD}/${name}.yaml`)).toBe(`${BAD}/${name}.yaml:${expected}`);
  });

  it('never repeats a would-be secret in the message', () => {
    for (const name of ['plain-password', 'number-secret', 'colon-password', 'service-plain-secret']) {
      expect(failure(`${BAD}/${name}.yaml`).slice(`${BAD}/${name}.yaml`.length)).not.toMatch(/hunter2|31337|plain/i);
    }
  });
});
