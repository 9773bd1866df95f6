// Procfile (foreman / overmind / honcho): one `name: command` per line, `#` comments, blank lines.
// foreman and overmind give EVERY process its own PORT; Hearth gives each imported service a port
// named `http` (it sets PORT from the `http` port, see supervisor/port-env.ts), and each `$PORT` /
// `${PORT}` in a command becomes `{{thermos.ports[http]}}` so the port is visible in the file.
import { Notes, type Note } from '../notes';
import { toServiceName } from './names';
import type { ImportedStack } from './stack-yaml';

export interface ProcfileEntry {
  line: number;
  name: string;
  command: string;
}

const ENTRY_RE = /^([A-Za-z0-9_.-]+):\s*(.*)$/;
/** $PORT, ${PORT}, ${PORT:-5000}, ${PORT-5000}; not $PORTAL nor an escaped \$PORT. */
const PORT_USE_RE = /(?<!\\)\$(?:PORT\b|\{PORT(?:[:]?-[^}]*)?\})/g;

export function parseProcfile(text: string): { entries: ProcfileEntry[]; notes: Note[] } {
  const notes = new Notes();
  const entries: ProcfileEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = ENTRY_RE.exec(line);
    if (!m) return notes.add(`line ${i + 1}`, `not "name: command", skipped: ${line}`);
    if (m[2]!.trim() === '') return notes.add(`line ${i + 1}`, `process "${m[1]}" has no command, skipped`);
    entries.push({ line: i + 1, name: m[1]!, command: m[2]!.trim() });
  });
  return { entries, notes: notes.list };
}

/** Replace every PORT use by the `http` port template. Pure. */
export function templatePortUses(command: string): { cmd: string; uses: number } {
  let uses = 0;
  const cmd = command.replace(PORT_USE_RE, () => {
    uses++;
    return '{{thermos.ports[http]}}';
  });
  return { cmd, uses };
}

export function procfileToStack(text: string, source = 'Procfile'): { stack: ImportedStack; notes: Note[] } {
  const parsed = parseProcfile(text);
  const notes = new Notes();
  notes.list.push(...parsed.notes);
  const services: ImportedStack['services'] = {};
  const taken = new Set<string>();
  for (const entry of parsed.entries) {
    const name = toServiceName(entry.name, taken);
    taken.add(name);
    if (name !== entry.name) notes.add(`line ${entry.line}`, `process "${entry.name}" renamed to service "${name}" (Hearth service names)`);
    const { cmd, uses } = templatePortUses(entry.command);
    if (cmd.includes('{{') && cmd.replaceAll('{{thermos.ports[http]}}', '').includes('{{')) {
      notes.add(name, 'the command contains "{{"; Hearth reads it as a template and `hearth check` will reject it');
    }
    services[name] = {
      comment: [`${source} line ${entry.line}${uses > 0 ? '' : ' (PORT is set from the port named http, as foreman does)'}`],
      cmd,
      // Every process gets its own port, as foreman and overmind give each one a PORT.
      ports: { http: null },
    };
  }
  return {
    stack: {
      header: [`Imported from ${source} by \`hearth init --from\`.`, 'Services always restart (foreman stops everything when one exits).'],
      services,
    },
    notes: notes.list,
  };
}
