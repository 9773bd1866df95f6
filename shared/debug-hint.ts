// Where a user points their debugger for a `hearth debug` session: said the same by the CLI, the UI and the
// service's log.
export type DebugEngine = 'node-inspector' | 'debugpy';

export function attachHint(engine: DebugEngine, port: number): string {
  return engine === 'debugpy'
    ? `VS Code "Python Debugger: Attach" (debugpy) to 127.0.0.1:${port}, or any DAP client`
    : `chrome://inspect (Configure… 127.0.0.1:${port}), or your editor's "attach to Node" on 127.0.0.1:${port}`;
}
