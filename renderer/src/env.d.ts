import type { HearthApi } from '../../shared/contract';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a plain browser. */
    hearth?: HearthApi;
  }
}
