// The renderer only ever sees a HearthApi: Electron's preload puts one on window.hearth; in a plain
// browser (`hearth serve`) the web host adapter provides it.
import type { HearthApi } from '../../../shared/contract';
import { createWebHost } from './web-host';

export function getHost(): HearthApi {
  return window.hearth ?? createWebHost();
}
