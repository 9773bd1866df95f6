// Procfile (foreman / overmind / honcho): one `name: command` per line, `#` comments, blank lines.
// foreman and overmind give EVERY process its own PORT; Hearth gives each imported service a port
// named `http` (it sets PORT from the `http` port, see supervisor/port-env.ts), and each `$PORT` /
// `${PORT}` in a command becomes `{{thermos.ports[http]}}` so the port is visible in the file;
// `${PORT:-3000}`'s default becomes the port's preferred number. Heroku's `release:` runs once before
// the others start (its release phase): a job the others depend on. The stop signal is SIGTERM, as
// foreman, honcho and Heroku send, unless the folder has overmind's .overmind.env: overmind sends
// SIGINT (or what OVERMIND_STOP_SIGNALS says per process).
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import type { StopSignal } from '../../supervisor/config/types';
import { Notes, type Note } from '../notes';
import { toServiceName } from './names';
import type { ImportedService, ImportedStack } from './stack-yaml';

export interface ProcfileEntry {
  line: number;
  name: string;
  command: string;
}

const ENTRY_RE = /^([A-Za-z0-9_.-]+):\s*(.*)$/;
/** $PORT, ${PORT}, ${PORT:-5000}, ${PORT-5000} (the default captured); not $PORTAL nor an escaped \$PORT. */
const PORT_USE_RE = /(?<!\\)\$(?:PORT\b|\{PORT(?::?-([^}]*))?\})/g;

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
export function templatePortUses(command: string): { cmd: string; uses: number; defaults: string[] } {
  let uses = 0;
  const defaults: string[] = [];
  const cmd = command.replace(PORT_USE_RE, (_, dflt: string | undefined) => {
    uses++;
    if (dflt !== undefined && dflt !== '') defaults.push(dflt);
    return '{{thermos.ports[http]}}';
  });
  return { cmd, uses, defaults };
}

/** Heroku runs the `release` process type once per deploy, before the new processes start. */
const RELEASE = 'release';

// overmind's names (start/handler.go signalMap) for the signals Hearth can stop with.
const OVERMIND_SIGNALS: Record<string, StopSignal> = { INT: 'SIGINT', TERM: 'SIGTERM', QUIT: 'SIGQUIT', USR1: 'SIGUSR1', USR2: 'SIGUSR2' };

export interface ProcfileSource {
  /** The Procfile's folder, where overmind looks for .overmind.env and .env. */
  dir?: string;
  readFile?: (path: string) => string;
}

/** overmind's settings, if the folder shows it is run with overmind (.overmind.env, or OVERMIND_* in .env). */
function overmindEnv(from: ProcfileSource): Record<string, string> | null {
  const read = (name: string): Record<string, string> | null => {
    if (from.dir === undefined || !from.readFile) return null;
    try {
      return parseEnv(from.readFile(join(from.dir, name))) as Record<string, string>;
    } catch {
      return null;
    }
  };
  const own = read('.overmind.env');
  const dotenv = read('.env');
  if (own === null && !Object.keys(dotenv ?? {}).some((k) => k.startsWith('OVERMIND_'))) return null;
  return { ...dotenv, ...own };
}

function stopSignals(overmind: Record<string, string> | null, notes: Notes): { fallback: StopSignal; byName: Record<string, StopSignal> } {
  const byName: Record<string, StopSignal> = {};
  if (overmind === null) return { fallback: 'SIGTERM', byName };
  for (const entry of (overmind.OVERMIND_STOP_SIGNALS ?? '').split(',').filter(Boolean)) {
    const [name, sig] = entry.split('=').map((x) => x.trim());
    const mapped = OVERMIND_SIGNALS[sig ?? ''];
    if (name && mapped) byName[name] = mapped;
    else notes.add('OVERMIND_STOP_SIGNALS', `${entry}: Hearth stops with one of ${Object.keys(OVERMIND_SIGNALS).join(', ')}; SIGINT used`);
  }
  return { fallback: 'SIGINT', byName };
}

export function procfileToStack(text: string, source = 'Procfile', from: ProcfileSource = {}): { stack: ImportedStack; notes: Note[] } {
  const parsed = parseProcfile(text);
  const notes = new Notes();
  notes.list.push(...parsed.notes);
  const overmind = overmindEnv(from);
  const signals = stopSignals(overmind, notes);
  const services: ImportedStack['services'] = {};
  const taken = new Set<string>();
  let release: string | undefined;
  for (const entry of parsed.entries) {
    const name = toServiceName(entry.name, taken);
    taken.add(name);
    if (name !== entry.name) notes.add(`line ${entry.line}`, `process "${entry.name}" renamed to service "${name}" (Hearth service names)`);
    const { cmd, uses, defaults } = templatePortUses(entry.command);
    if (cmd.includes('{{') && cmd.replaceAll('{{thermos.ports[http]}}', '').includes('{{')) {
      notes.add(name, 'the command contains "{{"; Hearth reads it as a template and `hearth check` will reject it');
    }
    const isRelease = entry.name === RELEASE && release === undefined;
    const comment = [`${source} line ${entry.line}${uses > 0 || isRelease ? '' : ' (PORT is set from the port named http, as foreman does)'}`];
    const svc: ImportedService = { comment, cmd };
    const preferred = [...new Set(defaults.map(Number).filter((n) => Number.isInteger(n) && n >= 1 && n <= 65535))];
    if (preferred.length > 1) notes.add(name, `several PORT defaults (${preferred.join(', ')}); the port prefers ${preferred[0]}`);
    if (defaults.some((d) => !/^\d+$/.test(d) || Number(d) < 1 || Number(d) > 65535)) notes.add(name, 'a PORT default is not a port number; not used');
    // Every process gets its own port, as foreman and overmind give each one a PORT; a release
    // phase gets none unless it reads PORT (Heroku gives it none).
    if (!isRelease || uses > 0) svc.ports = { http: preferred[0] ?? null };
    if (isRelease) {
      release = name;
      svc.service = false;
      comment.push("Heroku's release phase: runs once, before the other processes start.");
    }
    const signal = signals.byName[entry.name] ?? signals.fallback;
    if (signal !== 'SIGTERM') svc.lifecycle = { stop_signal: signal };
    services[name] = svc;
  }
  if (release !== undefined) {
    for (const [name, svc] of Object.entries(services)) if (name !== release) svc.depends_on = { [release]: 'completed' };
  }
  const header = [`Imported from ${source} by \`hearth init --from\`.`, 'Services always restart (foreman stops everything when one exits).'];
  header.push(
    overmind === null
      ? 'Stopped with SIGTERM, as foreman and Heroku stop them (overmind sends SIGINT: set lifecycle.stop_signal if you ran it with overmind).'
      : 'Stopped with SIGINT, as overmind stops them (.overmind.env was found).',
  );
  return { stack: { header, services }, notes: notes.list };
}
