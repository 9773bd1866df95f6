// Feeds the stores from a host's events. The only place that listens to the host; components read
// the stores. Business rules (dedupe, reset on snapshot) live in the stores, not here.
import type { HearthApi, Unsubscribe } from '../../../shared/contract';
import type { StackSnapshot } from '../../../shared/types';
import type { HearthStoreApi } from '../state/store';
import type { LogStore } from '../logs/log-store';

export function connectHost(host: HearthApi, store: HearthStoreApi, logs: LogStore, localNow: () => number = Date.now): Unsubscribe {
  let gotSnapshot = false;
  const applySnapshot = (snapshot: StackSnapshot) => {
    gotSnapshot = true;
    store.getState().applySnapshot(snapshot, localNow());
    store.getState().resetPrompts(snapshot.partial);
    logs.reset(snapshot.logs);
  };
  const offs: Unsubscribe[] = [
    host.on('snapshot', applySnapshot),
    host.on('service', (status) => store.getState().upsertService(status)),
    host.on('service_removed', ({ name }) => store.getState().removeService(name)),
    host.on('stack', (stack) => store.getState().setStack(stack)),
    host.on('logs', ({ lines }) => {
      logs.append(lines);
      store.getState().linesArrived(lines);
    }),
    host.on('partial_line', (partial) => store.getState().applyPartial(partial)),
    host.on('logs_cleared', ({ service }) => logs.clear(service)),
    host.on('connection', (c) => store.getState().setConnection(c)),
  ];
  let closed = false;
  // A host may have emitted its snapshot before we subscribed: ask for one if none came with `on`.
  queueMicrotask(() => {
    if (closed || gotSnapshot) return;
    host.invoke('status', {}).then(
      (snapshot) => {
        if (!closed && !gotSnapshot) applySnapshot(snapshot);
      },
      (err: unknown) => {
        // A connection event may have said more already (not logged in): keep that.
        if (!closed && !gotSnapshot && store.getState().connection.connected) store.getState().setConnection({ connected: false, error: errorText(err) });
      },
    );
  });
  return () => {
    closed = true;
    for (const off of offs) off();
  };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
