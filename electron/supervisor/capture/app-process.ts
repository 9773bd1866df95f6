// Which process of a service's tree a capture or debug session is of. A command like `npm start` (npx,
// yarn, pnpm, a shell, nodemon, tsx) runs the app as a child of the wrapper: profiling npm's own node
// would say nothing about the app. From the service's process, the walk goes down through known wrappers
// to the process that is the app (a Node or Python one first, then any other), the most recently started
// child at each step. A service whose own process is not a wrapper is captured as it is (a Node server
// with forked workers stays the server). The tree comes from the runner's ProcessPlatform (/proc, ps, CIM),
// whose table() shares one scan with the supervisor's other callers.
import { basename } from 'node:path';
import type { ProcessPlatform } from '../process/platform/types';
import { classifyRuntime, readProcessFacts, type ProcessFacts } from './runtime';

export interface TreeEntry {
  ppid: number;
  /** Start time in the table's unit: only compared with others of the same table. */
  start: number;
}

export interface PickedProcess {
  pid: number;
  /** Why this one: "node app.js (pid 12), under npm (pid 10) → sh (pid 11)"; just the name when it is the top. */
  why: string;
  /** The wrappers walked through, top first (empty when the service's process is the app). */
  via: string[];
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'fish', 'busybox', 'env', 'tini', 'dumb-init']);
/** Launchers run by node (their script's name, or the bin link's). */
const NODE_WRAPPERS: Array<[RegExp, string]> = [
  [/(^|[/\\])npm(-cli\.js)?$|[/\\]npm[/\\]bin[/\\]npm-cli\.js$/, 'npm'],
  [/(^|[/\\])npx(-cli\.js)?$|[/\\]npm[/\\]bin[/\\]npx-cli\.js$/, 'npx'],
  [/(^|[/\\])yarn(\.c?js)?$|[/\\]yarn[/\\]bin[/\\]yarn(\.js)?$/, 'yarn'],
  [/(^|[/\\])pnpm(\.c?js)?$|[/\\]pnpm[/\\]bin[/\\]pnpm\.c?js$/, 'pnpm'],
  [/(^|[/\\])corepack(\.c?js)?$/, 'corepack'],
  [/(^|[/\\])nodemon(\.js)?$|[/\\]nodemon[/\\]bin[/\\]nodemon\.js$/, 'nodemon'],
  [/(^|[/\\])tsx$|[/\\]tsx[/\\]dist[/\\]cli\.m?js$/, 'tsx'],
];
/** Launchers run by python that start the app as a child (`poetry run app`, `watchmedo auto-restart`). */
const PYTHON_WRAPPERS = /(^|[/\\])(poetry|pipenv|hatch|pdm|watchmedo)$/;

/** Pure: the wrapper this process is ("npm", "sh"), or null when it may be the app. */
export function wrapperName(facts: ProcessFacts): string | null {
  const exe = basename(facts.exe).toLowerCase().replace(/\.exe$/, '');
  if (SHELLS.has(exe)) return exe;
  if (exe === 'uv') return 'uv';
  const runtime = classifyRuntime(facts);
  const script = facts.argv.slice(1).find((a) => !a.startsWith('-')) ?? '';
  // npm, npx and yarn set process.title ("npm start"), which overwrites the command line: argv[0] is it.
  const title = (facts.argv[0] ?? '').split(' ')[0]!;
  if (runtime === 'node') for (const [re, name] of NODE_WRAPPERS) if (re.test(script) || re.test(title)) return name;
  if (runtime === 'python' && PYTHON_WRAPPERS.test(script)) return basename(script);
  return null;
}

function label(pid: number, facts: ProcessFacts | null): string {
  if (!facts) return `pid ${pid}`;
  const name = wrapperName(facts) ?? basename(facts.exe);
  return `${name} (pid ${pid})`;
}

/**
 * Pure: from `top`, down through wrappers. `tree` is pid -> parent and start; `factsOf` reads a process.
 * At each wrapper, its live children are ranked: not a wrapper and Node/Python, then not a wrapper, then
 * a wrapper; the newest first within a rank.
 */
export function pickAppProcess(top: number, tree: ReadonlyMap<number, TreeEntry>, factsOf: (pid: number) => ProcessFacts | null): PickedProcess {
  const children = new Map<number, number[]>();
  for (const [pid, e] of tree) {
    const list = children.get(e.ppid);
    if (list) list.push(pid);
    else children.set(e.ppid, [pid]);
  }
  const facts = new Map<number, ProcessFacts | null>();
  const read = (pid: number) => {
    if (!facts.has(pid)) facts.set(pid, factsOf(pid));
    return facts.get(pid)!;
  };
  const via: string[] = [];
  let current = top;
  const seen = new Set<number>([top]);
  for (;;) {
    const f = read(current);
    if (!f || wrapperName(f) === null) break;
    const kids = (children.get(current) ?? []).filter((k) => !seen.has(k) && read(k) !== null);
    if (kids.length === 0) break;
    const rank = (pid: number) => {
      const kf = read(pid)!;
      if (wrapperName(kf) !== null) return 2;
      const rt = classifyRuntime(kf);
      return rt === 'node' || rt === 'python' ? 0 : 1;
    };
    kids.sort((a, b) => rank(a) - rank(b) || (tree.get(b)?.start ?? 0) - (tree.get(a)?.start ?? 0));
    via.push(label(current, f));
    current = kids[0]!;
    seen.add(current);
  }
  const self = label(current, read(current));
  return { pid: current, why: via.length ? `${self}, under ${via.join(' → ')}` : self, via };
}

/**
 * The live process tree (pid -> parent, start) from the platform's table; zombies and dead entries are left
 * out (they run nothing to capture). Empty when the backend has no table (none) or its tool failed: then the
 * service's own process is what gets captured.
 */
export async function readTree(platform: ProcessPlatform): Promise<Map<number, TreeEntry>> {
  const tree = new Map<number, TreeEntry>();
  // A capture decides on the tree as it is now: a scan at most 100 ms old, shared with concurrent callers.
  const table = await platform.table(100);
  for (const [pid, e] of table ?? []) if (e.state !== 'Z' && e.state !== 'X') tree.set(pid, { ppid: e.ppid, start: e.startTime });
  return tree;
}

/** The service's app process, read from the system now. */
export async function findAppProcess(top: number, platform: ProcessPlatform): Promise<PickedProcess> {
  return pickAppProcess(top, await readTree(platform), readProcessFacts);
}
