// `hearth completion bash|zsh`: prints the completion script (see ../completion.ts).
import { bashCompletion } from '../completion';
import { BACKGROUND_FLAG } from '../detach';
import { CliError } from '../instance';
import type { CommandSpec } from './types';

export const completionCommand: CommandSpec = {
  summary: 'print the shell completion script: commands, options, service names',
  usage: 'completion bash|zsh',
  help: ['  in ~/.bashrc:  source <(hearth completion bash)', '  in ~/.zshrc:   source <(hearth completion zsh)'],
  positionals: { min: 1, max: 1, name: 'SHELL' },
  run: async (ctx, _values, [shell]) => {
    if (shell !== 'bash' && shell !== 'zsh') throw new CliError(`hearth completion: bash or zsh, not "${shell}"`, 2);
    // Loaded here: the command table imports this module.
    const { COMMANDS } = await import('../main');
    const script = bashCompletion(COMMANDS, new Set([BACKGROUND_FLAG]));
    // zsh runs bash completion functions through its bashcompinit layer.
    ctx.io.out.write(shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${script}` : script);
    return 0;
  },
};
