// `hearth export kubernetes|aurora|compose`: the stack for another runner, on stdout or to -o FILE.
// What has no equivalent there is listed on stderr (the output stays clean for a pipe).
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatIssue } from '../../supervisor/config/issues';
import { formatNotes, type Note } from '../../tools/notes';
import { CliError } from '../instance';
import type { CommandSpec } from './types';

const FORMATS: Record<string, 'kubernetes' | 'aurora' | 'compose'> = {
  kubernetes: 'kubernetes',
  k8s: 'kubernetes',
  aurora: 'aurora',
  compose: 'compose',
};

export const exportCommand: CommandSpec = {
  summary: 'write the stack as Kubernetes objects, an Aurora config or a Compose file',
  usage: 'export kubernetes|aurora|compose [-f FILE] [-o OUT]',
  help: [
    'kubernetes  Deployments (services), Jobs (jobs) and Services; health_check as startup,',
    '            liveness and readiness probes. Images are REPLACE_ME/<service>:latest placeholders.',
    'aurora      a .aurora file: Process, Task, Service/Job with HealthCheckConfig; every port allocated,',
    '            an HTTP check on a port not named health aliased to it (Announcer portmap).',
    'compose     a Compose file: command, environment, ports, depends_on conditions, healthcheck, restart.',
    'What has no equivalent in the target is listed on stderr.',
    '',
    '  -o, --output OUT  write to OUT instead of stdout',
    '  --cluster NAME    aurora: cluster (default devcluster)',
    '  --role NAME       aurora: role (default $USER)',
    '  --env NAME        aurora: environment (default devel)',
  ],
  options: {
    output: { type: 'string', short: 'o' },
    cluster: { type: 'string' },
    role: { type: 'string' },
    env: { type: 'string' },
  },
  positionals: { min: 1, max: 1, name: 'format (kubernetes, aurora or compose)' },
  run: async (ctx, values, positionals) => {
    const { io, file } = ctx;
    const format = FORMATS[positionals[0]!.toLowerCase()];
    if (!format) throw new CliError(`hearth export: unknown format "${positionals[0]}" (use kubernetes, aurora or compose)`, 2);
    const { loadStackFile } = await import('../../supervisor/config/load');
    const loaded = await loadStackFile(file.path);
    if (!loaded.ok) {
      for (const issue of loaded.errors) io.err.write(`${formatIssue(issue, io.cwd)}\n`);
      return 1;
    }
    const output = values.output as string | undefined;
    const outPath = output === undefined ? undefined : resolve(io.cwd, output);
    let text: string;
    let notes: Note[];
    if (format === 'kubernetes') {
      const { exportKubernetes } = await import('../../tools/export/kubernetes');
      ({ yaml: text, notes } = exportKubernetes(loaded.stack));
    } else if (format === 'aurora') {
      const { exportAurora } = await import('../../tools/export/aurora');
      const role = (values.role as string | undefined) ?? io.env.USER ?? 'www-data';
      ({ text, notes } = exportAurora(loaded.stack, { cluster: values.cluster as string | undefined, role, environment: values.env as string | undefined }));
    } else {
      const { exportCompose } = await import('../../tools/export/compose');
      ({ yaml: text, notes } = exportCompose(loaded.stack, { baseDir: outPath ? dirname(outPath) : loaded.stack.dir }));
    }
    if (outPath) {
      try {
        await writeFile(outPath, text);
      } catch (error) {
        throw new CliError(`hearth export: cannot write ${output}: ${(error as Error).message}`, 1);
      }
      io.err.write(`wrote ${output}\n`);
    } else io.out.write(text);
    io.err.write(formatNotes(`no ${format} equivalent`, notes));
    return 0;
  },
};
