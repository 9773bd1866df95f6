// `hearth completion bash`: the shell script that completes commands, their options, and service names
// (from the stack file, through `hearth check --services`), generated from the same command table the CLI
// dispatches with, so a new command or option completes without anyone editing the script.
import type { CommandSpec } from './commands/types';

/** The options people see: long forms (and short ones), without the internal background flag. */
function optionWords(spec: CommandSpec, hidden: ReadonlySet<string>): { all: string[]; takingValue: string[] } {
  const all: string[] = [];
  const takingValue: string[] = [];
  for (const [name, option] of Object.entries(spec.options ?? {})) {
    if (hidden.has(name)) continue;
    const words = [`--${name}`, ...(option.short ? [`-${option.short}`] : [])];
    all.push(...words);
    if (option.type === 'string') takingValue.push(...words);
  }
  return { all: [...all, '-f', '--file', '-h', '--help'], takingValue: [...takingValue, '-f', '--file'] };
}

/**
 * Which positionals are service names: every one, only the first (run SERVICE COMMAND…), every one after a
 * first of fixed words (signal SIGNAL SERVICE…), or none.
 */
function servicePositionals(spec: CommandSpec): 'all' | 'first' | 'rest' | 'none' {
  const name = spec.positionals?.name ?? '';
  if (name === 'SERVICE') return 'all';
  if (spec.positionals?.first) return 'rest';
  return name.startsWith('SERVICE ') ? 'first' : 'none';
}

export function bashCompletion(commands: Readonly<Record<string, CommandSpec>>, hidden: ReadonlySet<string>): string {
  const cases = Object.entries(commands).map(([name, spec]) => {
    const { all, takingValue } = optionWords(spec, hidden);
    const first = spec.positionals?.first ? ` first="${spec.positionals.first.join(' ')}";` : '';
    return `    ${name}) opts="${all.join(' ')}"; valued="${takingValue.join(' ')}"; services=${servicePositionals(spec)};${first} ;;`;
  });
  return `# hearth completion for bash. Load it with:  source <(hearth completion bash)
# (zsh: autoload -U +X bashcompinit && bashcompinit, then the same line)
_hearth_services() {
  hearth \${1:+-f "$1"} check --services 2>/dev/null
}
_hearth() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local i word cmd="" file="" positionals=0 opts valued services first
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    case $word in
      -f|--file) file=\${COMP_WORDS[i+1]}; ((i++)) ;;
      --file=*) file=\${word#--file=} ;;
      -*) ;;
      *) if [[ -z $cmd ]]; then cmd=$word; else ((positionals++)); fi ;;
    esac
  done
  if [[ $prev == -f || $prev == --file ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi
  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "-f --file -h --help --version" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "${Object.keys(commands).join(' ')}" -- "$cur"))
    fi
    return
  fi
  case $cmd in
${cases.join('\n')}
    *) return ;;
  esac
  if [[ " $valued " == *" $prev "* ]]; then
    COMPREPLY=()
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ $services == rest && $positionals == 0 ]]; then
    COMPREPLY=($(compgen -W "$first" -- "$cur"))
  elif [[ $services == all || $services == rest || ( $services == first && $positionals == 0 ) ]]; then
    COMPREPLY=($(compgen -W "$(_hearth_services "$file")" -- "$cur"))
  elif [[ $services == first ]]; then
    COMPREPLY=($(compgen -c -- "$cur"))
  fi
}
complete -F _hearth hearth
`;
}
