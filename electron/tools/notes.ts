// What an import or export could not carry over. Every tool returns its notes instead of printing
// them, so the CLI decides where they go (stderr) and tests can assert on them.

export interface Note {
  /** Where the thing was: a service name, a key path, a line number. */
  where: string;
  message: string;
}

/** A heading and one "- where: message" line per note; empty when there is nothing to say. */
export function formatNotes(heading: string, notes: readonly Note[]): string {
  if (notes.length === 0) return '';
  return [`${heading} (${notes.length}):`, ...notes.map((n) => `  - ${n.where}: ${n.message}`)].join('\n') + '\n';
}

export class Notes {
  readonly list: Note[] = [];
  add(where: string, message: string): void {
    this.list.push({ where, message });
  }
}
