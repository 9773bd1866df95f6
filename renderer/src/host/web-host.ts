// Placeholder: the web host adapter (WebSocket to `hearth serve`) is written by another engineer
// and will replace this file. It exists only so the renderer typechecks and builds meanwhile.
import type { HearthApi } from '../../../shared/contract';

export function createWebHost(): HearthApi {
  throw new Error('web host not available');
}
