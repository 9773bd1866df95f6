// Names from other tools made into valid Hearth service names (lowercase, digits, "-", "_"; start
// with a letter or digit; at most 64), unique within the stack.
import { SERVICE_NAME_PATTERN } from '../../../shared/types';

export function toServiceName(raw: string, taken: ReadonlySet<string>): string {
  let base = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64);
  if (!SERVICE_NAME_PATTERN.test(base)) base = 'service';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 60)}-${i}`;
  return name;
}
