// A HearthLink over the control socket: commands on one connection, each wait on a connection of its own
// (a connection carries one subscription).
import type { ControlClient } from '../control/client';
import type { ServiceStatus, StackSnapshot } from '../../shared/types';
import { checkReadiness } from '../cli/readiness';
import type { HearthLink } from './tools';

export function controlLink(client: ControlClient, connect: () => Promise<ControlClient>): HearthLink {
  return {
    invoke: (command, args) => client.invoke(command, args),
    async waitReady(services, timeoutMs) {
      const watcher = await connect();
      const statuses = new Map<string, ServiceStatus>();
      try {
        return await new Promise<{ ready: boolean; lines: string[] }>((resolve, reject) => {
          const timer = setTimeout(() => {
            const r = checkReadiness([...statuses.values()], services);
            resolve({ ready: false, lines: [`not ready after ${timeoutMs / 1000}s: ${r.waiting.map((w) => `${w.name} ${w.state}`).join(', ')}`] });
          }, timeoutMs);
          const evaluate = (): void => {
            let r;
            try {
              r = checkReadiness([...statuses.values()], services);
            } catch (error) {
              clearTimeout(timer);
              return reject(error as Error);
            }
            if (r.failed.length > 0) {
              clearTimeout(timer);
              resolve({ ready: false, lines: r.failed.map((f) => `${f.name}: ${f.why}`) });
            } else if (r.done) {
              clearTimeout(timer);
              resolve({ ready: true, lines: [r.targets.length ? `ready: ${r.targets.join(', ')}` : 'nothing to wait for'] });
            }
          };
          void watcher.closed.then(() => {
            clearTimeout(timer);
            reject(new Error('the hearth instance went away'));
          });
          watcher
            .subscribe((event, payload) => {
              if (event === 'snapshot') for (const s of (payload as StackSnapshot).services) statuses.set(s.name, s);
              else if (event === 'service') statuses.set((payload as ServiceStatus).name, payload as ServiceStatus);
              else if (event === 'service_removed') statuses.delete((payload as { name: string }).name);
              else return;
              evaluate();
            })
            .catch(reject);
        });
      } finally {
        watcher.close();
      }
    },
  };
}
