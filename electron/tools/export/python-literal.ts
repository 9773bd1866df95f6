// Python literals for the .aurora file, which Aurora's client runs as Python (pystachio structs).

/**
 * A string literal: triple-quoted for multi-line text (as the Aurora docs write cmdlines), else '...'.
 * A carriage return is escaped in both: Python's reader would turn a raw one into a newline.
 */
export function pyString(value: string): string {
  const escaped = value.replaceAll('\\', '\\\\').replaceAll('\r', '\\r');
  if (value.includes('\n') && !value.includes('"""')) return `"""\n${escaped}\n"""`;
  return `'${escaped.replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
}

/** A Float field: fractions kept (0.25 stays 0.25), whole numbers without a trailing ".0". */
export const pyNumber = (value: number): string => String(value);
