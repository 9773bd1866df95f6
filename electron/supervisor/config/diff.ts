// What a reload changes, by service fingerprint (which covers resolved defaults and dependencies).
import type { StackConfig } from './types';

export interface StackDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}

export function diffStacks(prev: StackConfig, next: StackConfig): StackDiff {
  const diff: StackDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const [name, svc] of Object.entries(next.services)) {
    const old = Object.hasOwn(prev.services, name) ? prev.services[name] : undefined;
    if (!old) diff.added.push(name);
    else if (old.fingerprint !== svc.fingerprint) diff.changed.push(name);
    else diff.unchanged.push(name);
  }
  for (const name of Object.keys(prev.services)) if (!Object.hasOwn(next.services, name)) diff.removed.push(name);
  return diff;
}
