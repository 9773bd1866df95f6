// When is a stack "up"? The decision behind `hearth wait` and `hearth up --wait`, from the statuses
// alone, so it is the same whatever delivered them: a service is ready once RUNNING (past its health
// checks' min_consecutive_successes, or started when it has none), a job once FINISHED. It gives up on
// what cannot get there by itself, so a script fails fast instead of hanging: a job that FAILED, a
// service in a crash loop, and a target that is stopped (nothing will start it).
import type { ServiceStatus } from '../../shared/types';
import { isNamed, selectServices } from './select-services';
import { describeExit } from './status-format';
import { killingText } from '../../shared/stop-reason';

export interface Readiness {
  /** Every target is ready (also true when there is nothing to wait for). */
  done: boolean;
  /** The instances waited for, in stack order. */
  targets: string[];
  ready: string[];
  /** Not ready yet, with the state that keeps them. */
  waiting: Array<{ name: string; state: string }>;
  /** Will not become ready by themselves; non-empty means give up. */
  failed: Array<{ name: string; why: string }>;
}

/**
 * Targets are instance or group names (`api` is every `api.N`); none means every service that is wanted
 * now (anything not STOPPED or STOPPING). Throws on a name the stack does not have.
 */
export function checkReadiness(services: readonly ServiceStatus[], names: readonly string[] = []): Readiness {
  const { selected, unknown, known } = selectServices(services, names);
  if (unknown.length > 0) throw new Error(`no service named ${unknown.join(', ')} in this stack (it has ${known || 'no services'})`);
  // A service killed for its health checks is STOPPING but still wanted: it restarts.
  const targets = names.length > 0 ? selected : services.filter((s) => s.state !== 'STOPPED' && (s.state !== 'STOPPING' || killingText(s) !== null));
  const out: Readiness = { done: false, targets: targets.map((s) => s.name), ready: [], waiting: [], failed: [] };
  for (const s of targets) {
    const why = givenUp(s) ?? blockedBy(s, services);
    if (why !== null) out.failed.push({ name: s.name, why });
    else if (s.service ? s.state === 'RUNNING' : s.state === 'FINISHED') out.ready.push(s.name);
    else out.waiting.push({ name: s.name, state: waitingState(s) });
  }
  out.done = out.failed.length === 0 && out.waiting.length === 0;
  return out;
}

/** Why `s` will not become ready without someone stepping in, or null while it still may. */
function givenUp(s: ServiceStatus): string | null {
  const exit = describeExit(s);
  switch (s.state) {
    case 'FAILED':
      return `FAILED${exit ? ` (${exit})` : ''}${s.error ? `: ${s.error}` : ''}`;
    case 'STOPPING':
      if (killingText(s)) return null; // killed for failing its checks: it comes back by its restart policy
      return `${s.state.toLowerCase()}: start it with \`hearth start ${s.group ?? s.name}\``;
    case 'STOPPED':
      return `${s.state.toLowerCase()}: start it with \`hearth start ${s.group ?? s.name}\``;
    case 'RESTARTING':
      // Two short runs in a row: the UI's and the log's "crash loop". It backs off and retries for ever.
      return s.flaps >= 2 ? `in a crash loop${exit ? ` (${exit})` : ''}, restarted ${s.restarts} times` : null;
    default:
      return null;
  }
}

/**
 * A PENDING service waits for its dependencies; if one of them (or one of theirs) has given up, so has
 * it: "waiting for migrate, which FAILED (exited with code 1)".
 */
function blockedBy(s: ServiceStatus, services: readonly ServiceStatus[], seen = new Set<string>()): string | null {
  if (s.state !== 'PENDING') return null;
  seen.add(s.name);
  for (const dep of s.depends_on) {
    for (const d of services.filter((x) => isNamed(x, dep) && !seen.has(x.name))) {
      const why = givenUp(d) ?? blockedBy(d, services, seen);
      if (why !== null) return `waiting for ${d.name}, which is ${why}`;
    }
  }
  return null;
}

/** The state, with where its health checks stand while STARTING: "STARTING (1/2 checks ok)". */
function waitingState(s: ServiceStatus): string {
  const h = s.health;
  if (!s.service && s.state === 'RUNNING') return 'RUNNING (a job: ready once it finishes)';
  if (s.state !== 'STARTING' || !h.settings) return s.state;
  return `STARTING (${h.consecutive_successes}/${h.settings.min_consecutive_successes} checks ok${h.last_detail ? `, last: ${h.last_detail}` : ''})`;
}
