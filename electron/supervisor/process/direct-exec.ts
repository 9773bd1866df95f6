// Running a command without the shell when the shell would do nothing but exec it (as supervisord runs
// its `command=`): one exec instead of two, which is most of a restart's latency after the fork
// (bench "restart latency": /bin/sh starting up and exec'ing the command took ~1 ms of ~5).
// The rule is deliberately narrow: every case the shell could treat differently goes to the shell.
import { accessSync, constants, realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export interface DirectCommand {
  /** Absolute path of the executable, found the way the shell finds it. */
  file: string;
  /** The words after the command word. */
  args: string[];
  /** argv[0] as the shell passes it: the command word as written. */
  argv0: string;
  /** The environment the shell would hand over (PWD set, as every POSIX shell does). */
  env: NodeJS.ProcessEnv;
}

/**
 * Plain words only: characters no POSIX shell (dash, bash as sh) gives any meaning to, anywhere in a
 * word — no quotes, escapes, `$`, globs, `~`, `#`, redirections, separators, braces or non-ASCII —
 * separated by spaces or tabs. For such a command the shell's parse is exactly a split on blanks.
 */
const PLAIN_WORDS = /^[ \t]*[\w@%+=:,./-]+(?:[ \t]+[\w@%+=:,./-]+)*[ \t]*$/;

/**
 * Command words the shell would not look up in PATH: reserved words and builtins of dash and of bash
 * (which is /bin/sh on some systems), the ones that also exist as programs (echo, printf, test, kill,
 * pwd, true, false…) included, since the builtin may behave differently from the program.
 */
const SHELL_WORDS = new Set(
  (
    'if then else elif fi do done case esac while until for in function select time coproc ' +
    'alias bg bind break builtin caller cd command compgen complete compopt continue declare dirs disown echo enable ' +
    'eval exec exit export false fc fg getopts hash help history jobs kill let local logout mapfile popd printf ' +
    'pushd pwd read readarray readonly return set shift shopt source suspend test times trap true type typeset ' +
    'ulimit umask unalias unset wait'
  ).split(' '),
);

/** Environment names a shell rewrites or acts on at start-up; with any of them present the shell runs it. */
const SHELL_VARS = new Set(['IFS', 'OPTIND', 'PPID', 'BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'POSIXLY_CORRECT']);
/** A shell drops variables whose names it cannot hold; rather than guess how, such an env goes to the shell. */
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The direct form of `cmd`, or null when /bin/sh must run it: any shell syntax, a builtin or keyword,
 * an assignment prefix, a command not found as an executable file (the shell prints the error and
 * exits 126/127 as before), or an environment the shell would change. Costs a few stat calls.
 */
export function directCommand(cmd: string, cwd: string, env: NodeJS.ProcessEnv, cwdStat?: Stats): DirectCommand | null {
  if (!PLAIN_WORDS.test(cmd)) return null;
  const words = cmd.trim().split(/[ \t]+/);
  const word = words[0]!;
  // NAME=value before the command is an assignment; a word with '=' is left to the shell either way.
  if (word.includes('=') || SHELL_WORDS.has(word)) return null;
  for (const key in env) {
    if (!VALID_NAME.test(key) || SHELL_VARS.has(key) || key.startsWith('BASH_FUNC_')) return null;
  }
  const file = word.includes('/') ? executable(resolve(cwd, word)) : searchPath(word, env.PATH, cwd);
  if (file === null) return null;
  return { file, args: words.slice(1), argv0: word, env: { ...env, PWD: shellPwd(cwd, env.PWD, cwdStat) } };
}

/** The first PATH entry holding an executable regular file, as the shell's search; empty entries mean the cwd. */
function searchPath(word: string, path: string | undefined, cwd: string): string | null {
  // Without PATH each shell falls back to its own built-in default; not worth copying.
  if (path === undefined) return null;
  for (const dir of path.split(':')) {
    const found = executable(resolve(cwd, dir || '.', word));
    if (found !== null) return found;
  }
  return null;
}

function executable(file: string): string | null {
  try {
    if (!statSync(file).isFile()) return null;
    accessSync(file, constants.X_OK);
    return file;
  } catch {
    return null;
  }
}

/**
 * What a POSIX shell exports as PWD at start-up (dash's getpwd): the inherited PWD when it is absolute
 * and names the working directory itself (a symlinked path is kept), else the physical path.
 */
function shellPwd(cwd: string, inherited: string | undefined, cwdStat?: Stats): string {
  if (inherited !== undefined && isAbsolute(inherited)) {
    try {
      const here = cwdStat ?? statSync(cwd);
      const there = statSync(inherited);
      if (here.dev === there.dev && here.ino === there.ino) return inherited;
    } catch {
      // not a usable PWD
    }
  }
  return realpathSync.native(resolve(cwd));
}
