// Writes schema/hearth.schema.json from the zod schema (npm run schema). A test compares the
// committed file with a fresh generation, so forgetting to run this fails the build.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchema } from '../electron/supervisor/config/json-schema';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'hearth.schema.json');
writeFileSync(out, renderJsonSchema());
console.log(`wrote ${out}`);
