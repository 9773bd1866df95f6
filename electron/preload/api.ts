// window.hearth for the Electron renderer, built from a minimal ipcRenderer-like object so it is
// unit-tested under Node. The page never sees ipcRenderer or an IpcRendererEvent: only plain payloads.
import type { CommandArgs, CommandName, CommandResult, EventName, HearthApi, HearthEvents, Unsubscribe } from '../../shared/contract';
import { EVENT_CHANNEL, INVOKE_CHANNEL, OPEN_EXTERNAL_CHANNEL, SUBSCRIBE_CHANNEL } from '../../shared/ipc-channels';

/** The subset of Electron's ipcRenderer used here. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type AnyListener = (payload: unknown) => void;

/** Error messages from ipcMain.handle arrive as "Error invoking remote method 'x': Error: msg". */
export function cleanIpcError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.replace(/^Error invoking remote method '[^']+': (?:Error: )?/, ''));
}

export function createPreloadApi(ipc: IpcRendererLike): HearthApi {
  const listeners = new Map<string, Set<AnyListener>>();
  let attached = false;
  let subscribeQueued = false;
  let everSubscribed = false;

  // One ipcRenderer listener for every event; it strips the IpcRendererEvent before anything else runs.
  const dispatch = (_event: unknown, name: unknown, payload: unknown) => {
    if (typeof name !== 'string') return;
    for (const listener of [...(listeners.get(name) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`hearth: a listener for "${name}" threw`, error);
      }
    }
  };

  // Every new subscriber must start from a snapshot (HearthApi contract), so ask main for a fresh one.
  // Registrations made in the same tick (a page mounting its stores) share one request.
  const requestSnapshot = () => {
    if (subscribeQueued) return;
    subscribeQueued = true;
    queueMicrotask(() => {
      subscribeQueued = false;
      ipc.send(SUBSCRIBE_CHANNEL);
    });
  };

  return {
    host: 'electron',
    async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
      try {
        return (await ipc.invoke(INVOKE_CHANNEL, command, args)) as CommandResult<C>;
      } catch (error) {
        throw cleanIpcError(error);
      }
    },
    on<E extends EventName>(event: E, listener: (payload: HearthEvents[E]) => void): Unsubscribe {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      if (!attached) {
        ipc.on(EVENT_CHANNEL, dispatch as (event: unknown, ...args: unknown[]) => void);
        attached = true;
      }
      // Wrap so the same function can be registered twice and removed independently.
      const wrapped: AnyListener = (payload) => listener(payload as HearthEvents[E]);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(wrapped);
      // Main only forwards events after a subscribe request, so the first registration of any kind asks too.
      if (event === 'snapshot' || !everSubscribed) requestSnapshot();
      everSubscribed = true;
      return () => {
        set.delete(wrapped);
      };
    },
    async openExternal(url: string): Promise<void> {
      try {
        await ipc.invoke(OPEN_EXTERNAL_CHANNEL, String(url));
      } catch (error) {
        throw cleanIpcError(error);
      }
    },
  };
}
