// Turns zod's issues into the messages `hearth check` prints ("expected a number, got "fast"",
// "unknown key "helth_check" (did you mean "health_check"?)"), each with the path it is about.
import type { z } from 'zod';
import { describeValue, didYouMean, type Path, type RawIssue } from './issues';

type Issue = z.core.$ZodIssue;

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  array: 'a list',
  tuple: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  null: 'null',
};

const expectedName = (e: string): string => EXPECTED[e] ?? e;

function joinOr(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

function bound(value: number | bigint, inclusive: boolean | undefined, op: '>' | '<'): string {
  return `${op}${inclusive === false ? '' : '='} ${String(value)}`;
}

function sizeOf(input: unknown): string {
  if (typeof input === 'string' || Array.isArray(input)) return String(input.length);
  return '?';
}

/** What one root-level failure of a union member expected, for "expected X or Y". */
function expectation(issue: Issue): string | undefined {
  if (issue.code === 'invalid_type') return expectedName(issue.expected);
  if (issue.code === 'invalid_value') return `one of ${issue.values.map(String).join(', ')}`;
  return undefined;
}

interface SchemaLike {
  _zod: {
    def: {
      type: string;
      innerType?: SchemaLike;
      shape?: Record<string, SchemaLike>;
      valueType?: SchemaLike;
      element?: SchemaLike;
      options?: SchemaLike[];
      in?: SchemaLike;
    };
  };
}

/** Keys the schema allows for the mapping at `path` (for did-you-mean), if it is an object there. */
export function allowedKeysAt(schema: unknown, path: Path): string[] | undefined {
  const def = (schema as SchemaLike)._zod.def;
  const [head, ...rest] = path;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return allowedKeysAt(def.innerType, path);
    case 'pipe':
      return allowedKeysAt(def.in, path);
    case 'union':
      for (const option of def.options ?? []) {
        const keys = allowedKeysAt(option, path);
        if (keys) return keys;
      }
      return undefined;
    case 'object':
      if (head === undefined) return Object.keys(def.shape ?? {});
      return def.shape && Object.hasOwn(def.shape, head) ? allowedKeysAt(def.shape[head], rest) : undefined;
    case 'record':
      return head === undefined ? undefined : allowedKeysAt(def.valueType, rest);
    case 'array':
      return head === undefined ? undefined : allowedKeysAt(def.element, rest);
    default:
      return undefined;
  }
}

export function translateZodIssues(issues: readonly Issue[], schema: unknown, base: Path = []): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) {
    const path: Path = [...base, ...(issue.path as Array<string | number>)];
    const input = (issue as { input?: unknown }).input;
    const got = `got ${describeValue(input)}`;
    switch (issue.code) {
      case 'invalid_type':
        out.push({ path, message: input === undefined ? 'missing required field' : `expected ${expectedName(issue.expected)}, ${got}` });
        break;
      case 'too_small': {
        const msg =
          issue.origin === 'string' && Number(issue.minimum) === 1
            ? 'must not be empty'
            : issue.origin === 'array' || issue.origin === 'string'
              ? `needs at least ${String(issue.minimum)} ${issue.origin === 'array' ? 'items' : 'characters'}, got ${sizeOf(input)}`
              : `must be ${bound(issue.minimum, issue.inclusive, '>')}, ${got}`;
        out.push({ path, message: msg });
        break;
      }
      case 'too_big': {
        const msg =
          issue.origin === 'array' || issue.origin === 'string'
            ? `may have at most ${String(issue.maximum)} ${issue.origin === 'array' ? 'items' : 'characters'}, got ${sizeOf(input)}`
            : `must be ${bound(issue.maximum, issue.inclusive, '<')}, ${got}`;
        out.push({ path, message: msg });
        break;
      }
      case 'invalid_value': {
        const options = issue.values.map(String);
        if (input === undefined) {
          out.push({ path, message: 'missing required field' });
          break;
        }
        const hint = typeof input === 'string' ? didYouMean(input, options) : '';
        out.push({ path, message: `expected one of ${options.join(', ')}, ${got}${hint}` });
        break;
      }
      case 'invalid_format':
        out.push({ path, message: `${issue.message}, ${got}` });
        break;
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(schema, path) ?? [];
        for (const key of issue.keys) {
          if (key === '__proto__') continue; // reported by validate.ts wherever it appears
          out.push({ path: [...path, key], at: 'key', message: `unknown key "${key}"${didYouMean(key, allowed)}` });
        }
        break;
      }
      case 'invalid_key': {
        // Shown on the mapping holding the key (a path ending in "../x" reads badly), placed at the key.
        const inner = issue.issues[0]?.message ?? 'not allowed';
        out.push({ path: path.slice(0, -1), locate: path, at: 'key', message: `invalid name ${describeValue(path[path.length - 1])}: ${inner}` });
        break;
      }
      case 'invalid_union': {
        // Prefer the member whose problems are all nested (its shape matched); otherwise say what
        // any member would have accepted.
        const nested = issue.errors.find((errs) => errs.every((e) => e.path.length > 0 || expectation(e) === undefined));
        if (nested && nested.length > 0) {
          out.push(...translateZodIssues(nested, schema, path));
        } else {
          const wanted = issue.errors.flatMap((errs) => errs.map(expectation).filter((e): e is string => e !== undefined));
          out.push({ path, message: `expected ${joinOr(wanted)}, ${got}` });
        }
        break;
      }
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}
