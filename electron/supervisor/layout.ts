// Where a stack keeps its state, from its folder alone: `.hearth/` (ports, pids, the background instance's
// log), `.hearth/sandbox/<service>/` (the snooze file) and its `.logs/`. Plain path arithmetic, so a command
// that only reads these files (`hearth logs` with nothing running, `hearth run`) needs no supervisor.
import { join } from 'node:path';

export function hearthDirOf(stackDir: string): string {
  return join(stackDir, '.hearth');
}

/** The ports each service had (`api.http` -> 25483), kept across runs so a service keeps its port. */
export function portsFileOf(stackDir: string): string {
  return join(hearthDirOf(stackDir), 'ports.json');
}

/** The folder that holds every service's sandbox. */
export function sandboxesOf(stackDir: string): string {
  return join(hearthDirOf(stackDir), 'sandbox');
}

export function sandboxDirOf(stackDir: string, service: string): string {
  return join(sandboxesOf(stackDir), service);
}

/** Where a service's rotated log files live: <sandbox>/.logs/<service>.log, .1, … */
export function logDirOf(sandbox: string): string {
  return join(sandbox, '.logs');
}

/** Where captures of a service go: .hearth/captures/<service>/<time>-<kind>.<ext> (owner-only: a heap or core holds secrets). */
export function capturesDirOf(stackDir: string, service: string): string {
  return join(hearthDirOf(stackDir), 'captures', service);
}
