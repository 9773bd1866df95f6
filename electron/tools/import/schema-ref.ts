// Where a written hearth.yaml should point yaml-language-server for completion and validation: the
// JSON schema shipped with this Hearth installation, relative to the file when that is short.
import { dirname, isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** schema/hearth.schema.json of the installed package (this file is electron/tools/import/). */
export const SCHEMA_FILE = fileURLToPath(new URL('../../../schema/hearth.schema.json', import.meta.url));

/** Relative from the stack file's folder (as the bundled example does), absolute if on another root. */
export function schemaRefFor(stackFile: string, schemaFile: string = SCHEMA_FILE): string {
  const rel = relative(dirname(stackFile), schemaFile);
  if (rel === '' || isAbsolute(rel)) return schemaFile;
  return rel.split('\\').join('/');
}
