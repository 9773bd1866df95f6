// Entry point of the importers: pick the format, convert, and produce the YAML text. Pure: the
// caller reads the source, hands over a reader for the files beside it (an extended
// process-compose project, overmind's .overmind.env), and writes the result.
import { basename, dirname } from 'node:path';
import { parse } from 'yaml';
import type { Note } from '../notes';
import { processComposeToStack } from './process-compose';
import { procfileToStack } from './procfile';
import { schemaRefFor } from './schema-ref';
import { renderStackYaml } from './stack-yaml';

export type ImportFormat = 'procfile' | 'process-compose';

export interface ImportResult {
  yaml: string;
  notes: Note[];
  services: string[];
  format: ImportFormat;
}

/** Procfile by name (Procfile, Procfile.dev…), process-compose for YAML with `processes:`. */
export function detectImportFormat(sourceFile: string, text: string): ImportFormat {
  if (/^procfile/i.test(basename(sourceFile))) return 'procfile';
  try {
    const doc: unknown = parse(text);
    if (typeof doc === 'object' && doc !== null && 'processes' in doc) return 'process-compose';
  } catch {
    // not YAML: a Procfile by content
  }
  return 'procfile';
}

export interface ImportOptions {
  format?: ImportFormat;
  /** Reads a file the source refers to; without one, such files count as missing. */
  readFile?: (path: string) => string;
}

/** Convert `text` (the file at `sourceFile`, absolute) into hearth.yaml text meant for `stackFile`. */
export function importStack(text: string, sourceFile: string, stackFile: string, opts: ImportOptions = {}): ImportResult {
  const format = opts.format ?? detectImportFormat(sourceFile, text);
  const source = basename(sourceFile);
  const readFile = opts.readFile ?? ((path: string): string => {
    throw new Error(`${path}: not read (no reader given)`);
  });
  const { stack, notes } =
    format === 'procfile'
      ? procfileToStack(text, source, { dir: dirname(sourceFile), readFile })
      : processComposeToStack(text, source, { file: sourceFile, stackDir: dirname(stackFile), readFile });
  if (Object.keys(stack.services).length === 0) throw new Error(`${source}: no processes found to import`);
  return { yaml: renderStackYaml(stack, schemaRefFor(stackFile)), notes, services: Object.keys(stack.services), format };
}
