// Captures and the health history, as user intents: take a capture, fetch a service's health runs, open a
// capture's flame graph (its content as a blob: URL for the speedscope page) and close it again.
import type { CaptureKind } from '../../../shared/types';
import { formatSize } from '../../../shared/format-size';
import { formatTook } from '../../../shared/format-took';
import { attachHint } from '../../../shared/debug-hint';
import type { HearthApi } from '../../../shared/contract';
import { errorText } from '../host/connect';
import { speedscopeUrl } from '../model/timeline';
import type { HearthStoreApi } from '../state/store';

/** How long the UI's CPU profile samples (the CLI's --for sets it there). */
export const UI_CPU_SECS = 10;

export interface CaptureCommands {
  capture(service: string, kind: CaptureKind): Promise<void>;
  loadHealth(service: string): Promise<void>;
  showFlame(service: string, name: string): Promise<void>;
  closeFlame(): void;
  /** `hearth debug`: the inspector on a free port, snoozed until the debugger detaches. */
  debug(service: string): Promise<void>;
  endDebug(service: string): Promise<void>;
}

function bytesOf(encoding: 'utf8' | 'base64', data: string): BlobPart {
  if (encoding === 'utf8') return data;
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function createCaptureCommands(host: HearthApi, store: HearthStoreApi): CaptureCommands {
  const fail = (what: string, err: unknown) => store.getState().notify(`${what} failed: ${errorText(err)}`);
  return {
    async capture(service, kind) {
      try {
        const { capture } = await host.invoke('capture', kind === 'cpu' ? { service, kind, for_secs: UI_CPU_SECS } : { service, kind });
        store.getState().notify(`${kind} capture of ${service}: ${capture.name} (${formatSize(capture.bytes)}, took ${formatTook(capture.duration_ms)})`, 'info');
      } catch (err) {
        fail(`${kind} capture of ${service}`, err);
      }
    },
    async loadHealth(service) {
      try {
        const { runs } = await host.invoke('health_history', { service });
        store.getState().setHealthRuns(service, runs);
      } catch (err) {
        fail(`health history of ${service}`, err);
      }
    },
    async showFlame(service, name) {
      try {
        const { encoding, data } = await host.invoke('capture_read', { service, name });
        const blobUrl = URL.createObjectURL(new Blob([bytesOf(encoding, data)]));
        const previous = store.getState().flame;
        if (previous) URL.revokeObjectURL(previous.blobUrl);
        store.getState().setFlame({ service, name, blobUrl, url: speedscopeUrl(blobUrl, `${service} — ${name}`) });
      } catch (err) {
        fail(`opening ${name}`, err);
      }
    },
    async debug(service) {
      try {
        const { url, port, engine } = await host.invoke('debug', { service });
        store.getState().notify(`Attach a debugger to ${service} at ${url} (${attachHint(engine, port)}); its health checks stay snoozed until it detaches.`, 'info');
      } catch (err) {
        fail(`debugging ${service}`, err);
      }
    },
    async endDebug(service) {
      try {
        await host.invoke('debug_end', { service });
      } catch (err) {
        fail(`ending the debug session of ${service}`, err);
      }
    },
    closeFlame() {
      const flame = store.getState().flame;
      if (!flame) return;
      URL.revokeObjectURL(flame.blobUrl);
      store.getState().setFlame(null);
    },
  };
}
