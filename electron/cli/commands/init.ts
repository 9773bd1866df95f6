// `hearth init`: write a starter hearth.yaml, or import one from a Procfile / process-compose.yaml.
// What an import could not map is listed on stderr; the written file is validated right away.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { formatNotes } from '../../tools/notes';
import { CliError } from '../instance';
import type { CommandSpec } from './types';

export const initCommand: CommandSpec = {
  summary: 'write a starter stack file, or import one (--from Procfile | process-compose.yaml)',
  usage: 'init [-f FILE] [--from SOURCE] [--force]',
  help: [
    'Writes FILE (default ./hearth.yaml): a commented starter stack, or with --from an import of a',
    'Procfile (foreman/overmind: each process gets a port named http, $PORT becomes',
    '{{thermos.ports[http]}}; ${PORT:-N} prefers N; release: runs first) or a process-compose.yaml',
    '(processes, probes, depends_on, availability, replicas, env_file, watch; $$, extends and',
    'templates resolved as process-compose does).',
    'What could not be mapped is listed on stderr.',
    '',
    '  --from SOURCE  import SOURCE (Procfile* or a process-compose YAML file)',
    '  --force        overwrite FILE if it exists',
  ],
  options: { from: { type: 'string' }, force: { type: 'boolean' } },
  run: async (ctx, values) => {
    const { io, file } = ctx;
    const from = values.from as string | undefined;
    let text: string;
    let summary: string;
    if (from !== undefined) {
      const { importStack } = await import('../../tools/import/import-stack');
      const sourcePath = resolve(io.cwd, from);
      let source: string;
      try {
        source = await readFile(sourcePath, 'utf8');
      } catch (error) {
        throw new CliError(`hearth init: cannot read ${from}: ${(error as Error).message}`, 1);
      }
      // Files the source points at (an extended project, .overmind.env) are read as the tool would.
      const { readFileSync } = await import('node:fs');
      const result = importStack(source, sourcePath, file.path, { readFile: (path) => readFileSync(path, 'utf8') });
      text = result.yaml;
      summary = `${result.services.length} service${result.services.length === 1 ? '' : 's'} from ${from} (${result.format})`;
      io.err.write(formatNotes(`not mapped from ${from}`, result.notes));
    } else {
      const { starterStackYaml } = await import('../../tools/import/starter');
      const { schemaRefFor } = await import('../../tools/import/schema-ref');
      text = starterStackYaml(schemaRefFor(file.path), basename(dirname(file.path)));
      summary = 'a starter stack';
    }
    try {
      // 'wx' refuses an existing file atomically, not after a separate existence check.
      await writeFile(file.path, text, { flag: values.force ? 'w' : 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new CliError(`hearth init: ${file.given} already exists (use --force to overwrite it)`, 1);
      }
      throw new CliError(`hearth init: cannot write ${file.given}: ${(error as Error).message}`, 1);
    }
    io.out.write(`wrote ${file.given}: ${summary}\n`);
    const { loadStackFile } = await import('../../supervisor/config/load');
    const { formatIssue } = await import('../../supervisor/config/issues');
    const loaded = await loadStackFile(file.path);
    if (!loaded.ok) {
      io.err.write(`${file.given} needs fixing before it can run:\n`);
      for (const issue of loaded.errors) io.err.write(`${formatIssue(issue, io.cwd)}\n`);
      return 1;
    }
    return 0;
  },
};
