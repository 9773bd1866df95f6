// JSON Schema for editors (yaml-language-server), generated from the same zod schema that
// validates files, so the two cannot disagree. scripts/gen-schema.ts writes it to schema/.
// As a namespace: bundled (bin/cli-bundle.js), esbuild then keeps only what is used ({ z } keeps all of zod).
import * as z from 'zod';
import { stackFileSchema } from './schema';

export const JSON_SCHEMA_ID = 'https://hearth.local/schema/hearth.schema.json';

export function buildJsonSchema(): Record<string, unknown> {
  // draft-7: what yaml-language-server and most editors understand best.
  // io "input": describe what a person writes (optional fields stay optional).
  const schema = z.toJSONSchema(stackFileSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return { ...schema, $id: JSON_SCHEMA_ID };
}

/** The committed file's exact text: stable key order, two-space indent, trailing newline. */
export function renderJsonSchema(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}
