// `hearth check`: validate the stack file without running anything.
import { formatIssue } from '../../supervisor/config/issues';
import { groupNames } from '../select-services';
import { loadStack } from './open-host';
import type { CommandSpec } from './types';

export const checkCommand: CommandSpec = {
  summary: 'validate the stack file (nothing is started)',
  usage: 'check [-f FILE] [--services]',
  help: ['  --services   print the service names, one per line (for scripts and shell completion)'],
  options: { services: { type: 'boolean' } },
  run: async (ctx, values) => {
    const result = await loadStack(ctx); // its errors, one per line, exit 1
    if (values.services) {
      // The names as the file has them (a replicated service once, by its group name).
      ctx.io.out.write(groupNames(Object.values(result.stack.services)).map((name) => `${name}\n`).join(''));
      return 0;
    }
    const warnings = result.warnings ?? [];
    for (const issue of warnings) ctx.io.err.write(`warning: ${formatIssue(issue, ctx.io.cwd)}\n`);
    const count = Object.keys(result.stack.services).length;
    const noted = warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : '';
    ctx.io.out.write(`ok: ${count} service${count === 1 ? '' : 's'}${noted}\n`);
    return 0;
  },
};
