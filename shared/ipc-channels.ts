// The Electron IPC channel names, defined once: the preload (renderer side) and ipc-main / window-sink
// (main side) both import them from here, so the two ends cannot drift apart. Only the Electron host uses
// them; the web host and the control socket carry the same contract in JSON frames (contract.ts).

/** invoke(command, args) -> result: every command of the contract. */
export const INVOKE_CHANNEL = 'hearth:invoke';
/** main -> renderer: (event name, payload), every event of the contract. */
export const EVENT_CHANNEL = 'hearth:event';
/** renderer -> main: "send me a snapshot, then the changes" (see HearthApi.on). */
export const SUBSCRIBE_CHANNEL = 'hearth:subscribe';
/** invoke(url): open one of the stack's own http://localhost:PORT links in the browser. */
export const OPEN_EXTERNAL_CHANNEL = 'hearth:open-external';
