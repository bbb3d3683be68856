/** JSON Schema of the config file for editor completion (yaml-language-server, VS Code). */
import { z } from 'zod';
import { configSchema } from './schema.ts';

export const CONFIG_SCHEMA_ID = 'https://opsconsole.dev/schema/config.json';

/**
 * The schema of what users write (zod's input side): durations and secret references are
 * strings with a pattern, defaults are shown, cross-references are not expressible and only
 * checked by loadConfig.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  // loadConfig ignores top-level x-… keys, a place for YAML anchors.
  return { ...schema, $id: CONFIG_SCHEMA_ID, title: 'opsconsole configuration', patternProperties: { '^x-': {} } };
}
