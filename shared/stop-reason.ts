// A service STOPPING because Hearth is killing it for failing its health checks (stop signal sent, SIGKILL
// after the grace) is not a service someone stopped: every UI says so in the same words.
import type { ServiceState, StopReason } from './types';

/** 'killing: unhealthy' while a health kill is under way, else null (status, the UI's badge, the tray). */
export function killingText(s: { state: ServiceState; stop_reason?: StopReason | null }): string | null {
  return s.state === 'STOPPING' && s.stop_reason === 'unhealthy' ? 'killing: unhealthy' : null;
}
