import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../../source/config/json-schema.ts';
import { configReferenceMarkdown } from '../../../source/config/reference.ts';

describe('configJsonSchema', () => {
  const schema = configJsonSchema() as { properties: Record<string, any>; required: string[] };
  const env = schema.properties['environments'].additionalProperties;

  it('describes the input side: environments required, durations and secrets as patterned strings', () => {
    expect(schema.required).toEqual(['environments']);
    expect(schema.properties['environments'].minProperties).toBe(1);
    expect(env.properties.refresh).toMatchObject({ type: 'string', pattern: '^(?:\\d+(?:ms|s|m|h|d))+$' });
    expect(env.properties.bastion.properties.passphrase).toMatchObject({ type: 'string', pattern: '^(keychain|env):([A-Za-z0-9][A-Za-z0-9._-]*)$' });
    expect(env.properties.protect).toMatchObject({ type: 'boolean', default: false });
    expect(env.additionalProperties).toBe(false);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(configJsonSchema()))).toEqual(configJsonSchema());
  });

  it('lists both cloud kinds', () => {
    expect(env.properties.clouds.items.oneOf.map((o: any) => o.properties.kind.const)).toEqual(['openstack', 'digitalocean']);
  });
});

describe('configReferenceMarkdown', () => {
  const md = configReferenceMarkdown();

  it('is a markdown table with a row per key', () => {
    const lines = md.trim().split('\n');
    expect(lines[0]).toBe('| Key | Type | Default | Description |');
    expect(lines.every((l) => l.startsWith('| ') && l.endsWith(' |'))).toBe(true);
    expect(md).toContain('| `environments.<name>.protect` | boolean | `false` | destructive actions need the name typed; red frame |');
    expect(md).toContain('| `environments.<name>.backups[].maxAge` | duration (`10s`, `500ms`, `26h`, `2d`) | required | the newest backup must be younger than this |');
    expect(md).toContain('`environments.<name>.clouds[] (kind: digitalocean).token`');
  });

  it('gives every key a description', () => {
    const rows = md.trim().split('\n').slice(2);
    const undescribed = rows.filter((r) => r.endsWith('|  |'));
    expect(undescribed).toEqual([]);
  });
});
