// Which services of a status list a user's names mean: an instance's own name (`api.1`), or a replicated
// group's name (`api`) standing for all its instances, as the supervisor reads them. For the commands that
// filter statuses they already have (status SERVICE…, wait SERVICE…), and the list of names the commands
// that read the stack file give (check --services, run).
import type { ServiceStatus } from '../../shared/types';

/** `s` is the service called `name`, or one instance of the group called `name`. */
export function isNamed(s: ServiceStatus, name: string): boolean {
  return s.name === name || s.group === name;
}

export interface Selection {
  /** The services the names mean, in stack order. */
  selected: ServiceStatus[];
  /** Names that mean nothing here. */
  unknown: string[];
  /** The names the stack has, groups once ("api, db, pool"), for the message about `unknown`. */
  known: string;
}

/** The names the stack has, a replicated group once by its group name ("api, db, pool"), in stack order. */
export function groupNames(services: Iterable<{ name: string; group?: string }>): string[] {
  return [...new Set(Array.from(services, (s) => s.group ?? s.name))];
}

export function selectServices(services: readonly ServiceStatus[], names: readonly string[]): Selection {
  return {
    selected: services.filter((s) => names.some((name) => isNamed(s, name))),
    unknown: names.filter((name) => !services.some((s) => isNamed(s, name))),
    known: groupNames(services).join(', '),
  };
}
