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

/** cmd.exe's own commands: a word among these is left to the shell on Windows. */
const CMD_WORDS = new Set(
  (
    'assoc break call cd chdir cls color copy date del dir echo endlocal erase exit for ftype goto if md mkdir mklink ' +
    'move path pause popd prompt pushd rd rem ren rename rmdir set setlocal shift start time title type ver verify vol'
  ).split(' '),
);

/** The command word names no program that can be found: the start fails, and this says why. */
export interface MissingCommand {
  missing: string;
  reason: string;
}

/** How names are looked up: POSIX (PATH with ':', the X bit) or Windows (PATH with ';', PATHEXT, cwd first). */
export type LookupRules = 'posix' | 'win32';

/**
 * The direct form of `cmd`, a MissingCommand when its program cannot be found at all, or null when the
 * shell must run it: any shell syntax, a builtin or keyword, an assignment prefix, an environment the
 * shell would change, or (Windows) a .cmd/.bat file, which only cmd.exe can run. Costs a few stat calls.
 */
export function planCommand(
  cmd: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  cwdStat?: Stats,
  rules: LookupRules = process.platform === 'win32' ? 'win32' : 'posix',
): DirectCommand | MissingCommand | null {
  if (!PLAIN_WORDS.test(cmd)) return null;
  const words = cmd.trim().split(/[ \t]+/);
  const word = words[0]!;
  // NAME=value before the command is an assignment; a word with '=' is left to the shell either way.
  if (word.includes('=')) return null;
  // `%NAME%` is cmd.exe's variable syntax: such a line is cmd's.
  if (rules === 'win32') return cmd.includes('%') ? null : planWindows(word, words, cwd, env);
  if (SHELL_WORDS.has(word)) return null;
  for (const key in env) {
    if (!VALID_NAME.test(key) || SHELL_VARS.has(key) || key.startsWith('BASH_FUNC_')) return null;
  }
  // Without PATH each shell falls back to its own built-in default; not worth copying.
  if (!word.includes('/') && env.PATH === undefined) return null;
  const file = word.includes('/') ? executable(resolve(cwd, word)) : searchPath(word, env.PATH!.split(':'), cwd, ['']);
  if (file === null) return { missing: word, reason: word.includes('/') ? whyNot(resolve(cwd, word)) : 'not found on PATH' };
  return { file, args: words.slice(1), argv0: word, env: { ...env, PWD: shellPwd(cwd, env.PWD, cwdStat) } };
}

/** planCommand's direct form only (null for anything else). */
export function directCommand(cmd: string, cwd: string, env: NodeJS.ProcessEnv, cwdStat?: Stats, rules?: LookupRules): DirectCommand | null {
  const plan = planCommand(cmd, cwd, env, cwdStat, rules);
  return plan && 'file' in plan ? plan : null;
}

/**
 * Windows: cmd.exe looks in the working folder first, then PATH, trying each PATHEXT extension for a
 * word without one. An .exe or .com found runs directly; a .cmd or .bat (npx, npm, yarn) must go through
 * cmd.exe, which Node refuses to skip; a word found nowhere cannot start.
 */
function planWindows(word: string, words: string[], cwd: string, env: NodeJS.ProcessEnv): DirectCommand | MissingCommand | null {
  if (CMD_WORDS.has(word.toLowerCase())) return null;
  const path = envValue(env, 'PATH');
  if (path === undefined) return null;
  // As written and in lower case: the same file on Windows' case-insensitive disks, and found by the
  // tests on Linux, which run these rules on real files.
  const exts = [...new Set((envValue(env, 'PATHEXT') ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean).flatMap((e) => [e, e.toLowerCase()]))];
  const hasExt = exts.some((ext) => word.toLowerCase().endsWith(ext.toLowerCase()));
  const dirs = word.includes('/') ? [''] : ['', ...path.split(';').filter(Boolean)];
  const file = searchPath(word, dirs, cwd, hasExt ? [''] : exts, true);
  if (file === null) return { missing: word, reason: word.includes('/') ? 'no such program' : 'not found on PATH (with PATHEXT)' };
  if (!/\.(exe|com)$/i.test(file)) return null;
  return { file, args: words.slice(1), argv0: word, env };
}

/** A Windows environment name, matched without regard to case (a copied env object is case-sensitive). */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  for (const [key, value] of Object.entries(env)) if (key.toUpperCase() === name) return value;
  return undefined;
}

/** The first `dir/word+ext` that is a runnable file, as the shell's search; empty entries mean the cwd. */
function searchPath(word: string, dirs: readonly string[], cwd: string, exts: readonly string[], anyFile = false): string | null {
  for (const dir of dirs) {
    for (const ext of exts) {
      const found = executable(resolve(cwd, dir || '.', word + ext), anyFile);
      if (found !== null) return found;
    }
  }
  return null;
}

/** Why a path named as the command cannot run, in the words of the shell's own errors. */
function whyNot(file: string): string {
  try {
    return statSync(file).isFile() ? 'permission denied (not executable)' : 'not a file';
  } catch {
    return 'no such file';
  }
}

function executable(file: string, anyFile = false): string | null {
  try {
    if (!statSync(file).isFile()) return null;
    // Windows has no execute bit: a file with a PATHEXT extension runs.
    if (!anyFile) accessSync(file, constants.X_OK);
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
