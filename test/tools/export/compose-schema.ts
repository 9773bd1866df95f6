// The compose-spec JSON schema Docker Compose validates with (vendored unmodified, see
// ../fixtures/compose-spec/README.md), checked by a real JSON-schema validator (ajv, draft 2020-12).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';

const SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/compose-spec/compose-spec.json'), 'utf8')) as object;

// strict: false because the schema is written for JSON-schema semantics, not ajv's extra strictness
// (union types, `additionalProperties` without `type: object`), which would refuse to compile it.
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(SCHEMA);

/** Schema violations of one compose document, as "path: message" lines (empty when valid). */
export function composeSchemaErrors(doc: unknown): string[] {
  if (validate(doc)) return [];
  // oneOf failures repeat what their branches said; the branch errors are the useful ones.
  return (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf').map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
}
