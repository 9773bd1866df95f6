// Entry point of the importers: pick the format, convert, and produce the YAML text. Pure: the
// caller reads the source and writes the result.
import { basename } from 'node:path';
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

/** Convert `text` (the file at `sourceFile`) into hearth.yaml text meant for `stackFile`. */
export function importStack(text: string, sourceFile: string, stackFile: string, format = detectImportFormat(sourceFile, text)): ImportResult {
  const source = basename(sourceFile);
  const { stack, notes } = format === 'procfile' ? procfileToStack(text, source) : processComposeToStack(text, source);
  if (Object.keys(stack.services).length === 0) throw new Error(`${source}: no processes found to import`);
  return { yaml: renderStackYaml(stack, schemaRefFor(stackFile)), notes, services: Object.keys(stack.services), format };
}
