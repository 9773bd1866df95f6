// What a YAML file's aliases cost once expanded. yaml's own `maxAliasCount` bounds how many times
// aliases are used (weighted by the aliases inside them), not how big the aliased nodes are: 90 uses
// of one 40,000-item list pass it and hand 3.6 million nodes to the schema and the semantic checks
// (seconds of CPU, hundreds of MB, and once a stack overflow). This counts the nodes every alias
// expands to, on the parsed document and before anything is expanded, and names the alias that
// crosses the budget so the message can point at its line.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

/**
 * Nodes all aliases together may add. An honest stack file shares a few env maps or lists
 * (`env: *common` under 50 services is about 1,000 nodes); a bomb is orders of magnitude above.
 */
export const MAX_ALIAS_EXPANSION_NODES = 20_000;

export interface AliasOverrun {
  /** Offset of the alias at which the expansion crossed the budget. */
  offset: number;
  /** Its source text, e.g. `*list`. */
  alias: string;
  /** Nodes that one alias expands to. */
  nodes: number;
}

/** The first alias past the budget, or null when every alias together stays within it. */
export function aliasOverrun(doc: Document, max = MAX_ALIAS_EXPANSION_NODES): AliasOverrun | null {
  const sizes = new Map<unknown, number>();
  const inProgress = new Set<unknown>();
  let expanded = 0;
  let overrun: AliasOverrun | null = null;

  /** Nodes `node` stands for with every alias in it expanded (memoized; a cycle is infinite). */
  const sizeOf = (node: unknown): number => {
    if (node == null) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (inProgress.has(node)) return Infinity;
    inProgress.add(node);
    let size = 1;
    if (isAlias(node)) size = sizeOf(node.resolve(doc));
    else if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        size += isPair(item) ? sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
        if (size === Infinity) break;
      }
    }
    inProgress.delete(node);
    sizes.set(node, size);
    return size;
  };

  /** Walks the document as written (each node once), charging every alias the size of what it repeats. */
  const walk = (node: unknown): void => {
    if (overrun || node == null || isScalar(node)) return;
    if (isAlias(node)) {
      const nodes = sizeOf(node.resolve(doc));
      expanded += nodes;
      if (expanded > max) overrun = { offset: node.range?.[0] ?? 0, alias: `*${node.source}`, nodes };
      return;
    }
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          walk(item.key);
          walk(item.value);
        } else walk(item);
      }
    }
  };
  walk(doc.contents as Node | null);
  return overrun;
}
