// Maps a path in the parsed data back to a line/column of the YAML text, so every issue points at
// the real spot. Missing fields fall back to the nearest existing parent's key.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { Path, RawIssue } from './issues';

interface Step {
  key: Node | null;
  value: Node | null;
}

// With `merge: true` the `<<` key's value is a Symbol; name it by its source text.
const keyText = (key: unknown): string | undefined =>
  isScalar(key) ? (typeof key.value === 'symbol' ? '<<' : String(key.value)) : undefined;

export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly text: string,
  ) {}

  position(issue: RawIssue): { line: number; col: number } {
    return this.linePos(this.offsetOf(issue));
  }

  private linePos(offset: number): { line: number; col: number } {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line, col };
  }

  private offsetOf(issue: RawIssue): number {
    if (issue.offset !== undefined) return issue.offset;
    const path = issue.locate ?? issue.path;
    const steps = this.walk(path);
    const last = steps[steps.length - 1];
    if (!last) return this.doc.contents?.range?.[0] ?? 0;
    const found = steps.length === path.length;
    const keyStart = last.key?.range?.[0];
    if (found && issue.at !== 'key' && last.value?.range && !isEmptyScalar(last.value)) {
      const [start, end] = last.value.range;
      if (issue.within) {
        const idx = this.text.slice(start, end).indexOf(issue.within);
        if (idx >= 0) return start + idx;
      }
      return start;
    }
    return keyStart ?? last.value?.range?.[0] ?? 0;
  }

  /** The nodes along `path`, as far as they exist. */
  private walk(path: Path): Step[] {
    const steps: Step[] = [];
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      const step = this.child(node, seg);
      if (!step) break;
      steps.push(step);
      node = step.value;
    }
    return steps;
  }

  private child(node: unknown, seg: string | number, depth = 0): Step | undefined {
    if (depth > 8) return undefined;
    if (isAlias(node)) node = node.resolve(this.doc);
    if (isSeq(node)) {
      const item = typeof seg === 'number' ? node.items[seg] : undefined;
      return item === undefined ? undefined : { key: null, value: item as Node };
    }
    if (!isMap(node)) return undefined;
    const pairs = node.items as Array<Pair<unknown, unknown>>;
    // The last pair wins, as in toJS().
    const pair = pairs.findLast((p) => keyText(p.key) === String(seg));
    if (pair) return { key: pair.key as Node, value: (pair.value as Node | null) ?? null };
    // A key brought in by a `<<: *anchor` merge: point at the anchor's definition.
    for (const merge of pairs.filter((p) => keyText(p.key) === '<<')) {
      const sources = isSeq(merge.value) ? merge.value.items : [merge.value];
      for (const source of sources) {
        const step = this.child(source, seg, depth + 1);
        if (step) return step;
      }
    }
    return undefined;
  }
}

function isEmptyScalar(node: Node): boolean {
  return isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
}

/** Duplicate keys in any mapping (the parser is told to allow them so we can report each with its path). */
export function findDuplicateKeys(doc: Document): RawIssue[] {
  const issues: RawIssue[] = [];
  const visit = (node: unknown, path: Array<string | number>, depth: number): void => {
    if (depth > 200) return;
    if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i], depth + 1));
    } else if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items as Array<Pair<unknown, unknown>>) {
        const key = keyText(pair.key);
        if (key !== undefined && key !== '<<') {
          if (seen.has(key)) {
            const offset = (pair.key as Node).range?.[0];
            issues.push({ path: [...path, key], message: `duplicate key "${key}"`, at: 'key', ...(offset !== undefined && { offset }) });
          }
          seen.add(key);
        }
        visit(pair.value, key === undefined ? path : [...path, key], depth + 1);
      }
    }
  };
  visit(doc.contents, [], 0);
  return issues;
}
