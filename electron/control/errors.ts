// Errors of the control socket, in a module of their own so the host, the server and the CLI can share
// them without importing each other (electron/host/stack-host.ts re-exports AlreadyRunningError).

/** Another live instance already serves this stack's control socket. */
export class AlreadyRunningError extends Error {
  override readonly name = 'AlreadyRunningError';
}
