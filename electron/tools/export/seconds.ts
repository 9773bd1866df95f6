// Shared number handling for exports: targets want whole seconds, Hearth allows fractions.
import type { Notes } from '../notes';

/** Whole seconds, rounded up (a shorter interval than asked would check more often than meant). */
export function wholeSecs(value: number, min: number, where: string, field: string, notes: Notes): number {
  const out = Math.max(min, Math.ceil(value));
  if (out !== value) notes.add(where, `${field} ${value} written as ${out} (whole seconds${min > 0 ? `, at least ${min}` : ''})`);
  return out;
}
