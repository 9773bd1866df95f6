// Summarises a V8 .cpuprofile (from `node --cpu-prof`, or HEARTH_BENCH_PROF=DIR npm run bench): the
// functions with the most self time, and the heaviest call paths through Hearth's own files.
//   npx tsx bench/profile-top.ts FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, nArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/profile-top.ts FILE.cpuprofile [N]\n');
  process.exit(2);
}
const top = Number(nArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const label = (n: Node): string => {
  const url = n.callFrame.url.replace(/^.*\/(node_modules\/|electron\/|bench\/)/, '$1');
  return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
};

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  self.set(label(node), (self.get(label(node)) ?? 0) + us);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + us);
  }
}
const pct = (us: number): string => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const print = (title: string, m: Map<string, number>, filter: (l: string) => boolean = () => true): void => {
  process.stdout.write(`\n${title}\n`);
  for (const [l, us] of [...m].filter(([l]) => filter(l)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${l}\n`);
  }
};
process.stdout.write(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n`);
print('self time', self);
print('inclusive time, Hearth code', inclusive, (l) => /electron\/|shared\/|host\.mjs/.test(l));
