// Errors of the control socket, in a module of their own so the host, the server and the CLI can share
// them without importing each other (electron/host/stack-host.ts re-exports AlreadyRunningError).

/** Another live instance already serves this stack's control socket. */
export class AlreadyRunningError extends Error {
  override readonly name = 'AlreadyRunningError';
}

/** How `web_login` fails on an instance without a web UI (`hearth up`, the app); `hearth open` recognises it by this text. */
export const NO_WEB_UI = 'this hearth instance serves no web UI';
