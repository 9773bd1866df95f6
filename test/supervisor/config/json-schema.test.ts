import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildJsonSchema, renderJsonSchema } from '../../../electron/supervisor/config/json-schema';

const COMMITTED = fileURLToPath(new URL('../../../schema/hearth.schema.json', import.meta.url));

describe('schema/hearth.schema.json', () => {
  it('equals a fresh generation (run `npm run schema` after changing the zod schema)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(renderJsonSchema());
  });

  it('describes the fields editors complete', () => {
    const schema = buildJsonSchema() as {
      $schema: string;
      required: string[];
      additionalProperties: boolean;
      properties: { services: { propertyNames: { pattern: string }; additionalProperties: { required: string[]; properties: Record<string, { description?: string }> } } };
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['services']);
    expect(schema.additionalProperties).toBe(false);
    const service = schema.properties.services.additionalProperties;
    expect(service.required).toEqual(['cmd']);
    expect(service.properties.cmd!.description).toContain('{{thermos.ports[NAME]}}');
    expect(schema.properties.services.propertyNames.pattern).toBe('^[a-z0-9][a-z0-9_-]*$');
  });
});
