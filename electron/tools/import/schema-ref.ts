// Where a written hearth.yaml should point yaml-language-server for completion and validation: the
// JSON schema shipped with this Hearth installation.
import { dirname, isAbsolute, join, parse, relative, sep } from 'node:path';
import { APP_ROOT } from '../../host/app-root';

/** schema/hearth.schema.json of the installed package. */
export const SCHEMA_FILE = join(APP_ROOT, 'schema', 'hearth.schema.json');

/**
 * Relative to the stack file's folder when both share more than the filesystem root (a checkout,
 * a project with hearth in node_modules), as the bundled example does; absolute otherwise, since
 * `../../usr/lib/…` would only be a longer way to write the same path.
 */
export function schemaRefFor(stackFile: string, schemaFile: string = SCHEMA_FILE): string {
  const from = dirname(stackFile);
  const rel = relative(from, schemaFile);
  const ups = rel.split(sep).filter((part) => part === '..').length;
  const depth = from.slice(parse(from).root.length).split(sep).filter(Boolean).length;
  if (rel === '' || isAbsolute(rel) || ups >= depth) return schemaFile;
  return rel.split(sep).join('/');
}
