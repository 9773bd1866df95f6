// User intents -> host commands. Failures become a visible notice instead of an unhandled rejection.
import type { CommandArgs, CommandName, CommandResult, HearthApi } from '../../../shared/contract';
import type { HearthStoreApi } from '../state/store';
import { canStart } from '../model/badge';
import { errorText } from '../host/connect';

export interface Commands {
  start(service?: string): Promise<void>;
  stop(service?: string): Promise<void>;
  restart(service?: string): Promise<void>;
  /** Start if stopped/finished/failed, else stop (the `x` shortcut). */
  toggleRun(service: string): Promise<void>;
  snooze(service: string, forSecs?: number): Promise<void>;
  unsnooze(service: string): Promise<void>;
  toggleSnooze(service: string): Promise<void>;
  reload(): Promise<void>;
  clearLogs(service: string | null): Promise<void>;
  /** Send text to a running service's stdin; false when it did not go (the notice says why). */
  input(service: string, data: string): Promise<boolean>;
  openExternal(url: string): Promise<void>;
}

export function createCommands(host: HearthApi, store: HearthStoreApi): Commands {
  const run = async <C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C> | undefined> => {
    try {
      return await host.invoke(command, args);
    } catch (err) {
      store.getState().notify(`${command} failed: ${errorText(err)}`);
      return undefined;
    }
  };
  const services = (service?: string) => (service ? { services: [service] } : {});
  const commands: Commands = {
    async start(service) {
      await run('start', services(service));
    },
    async stop(service) {
      await run('stop', services(service));
    },
    async restart(service) {
      await run('restart', services(service));
    },
    async toggleRun(service) {
      const s = store.getState().services[service];
      if (!s) return;
      await (canStart(s) ? commands.start(service) : commands.stop(service));
    },
    async snooze(service, forSecs) {
      await run('snooze', forSecs === undefined ? { service } : { service, for_secs: forSecs });
    },
    async unsnooze(service) {
      await run('unsnooze', { service });
    },
    async toggleSnooze(service) {
      const s = store.getState().services[service];
      if (!s) return;
      await (s.snoozed ? commands.unsnooze(service) : commands.snooze(service));
    },
    async reload() {
      const result = await run('reload', {});
      if (!result) return;
      if (!result.ok) {
        const n = result.errors.length;
        store.getState().notify(`Reload failed: ${n} config error${n === 1 ? '' : 's'}; the running stack is unchanged.`);
      } else {
        const changes = [
          result.added.length ? `${result.added.length} added` : '',
          result.removed.length ? `${result.removed.length} removed` : '',
          result.changed.length ? `${result.changed.length} changed` : '',
        ].filter(Boolean);
        store.getState().notify(`Config reloaded${changes.length ? `: ${changes.join(', ')}` : ' (no changes)'}.`, 'info');
      }
    },
    async clearLogs(service) {
      await run('clear_logs', service ? { service } : {});
    },
    async input(service, data) {
      return (await run('input', { service, data })) !== undefined;
    },
    async openExternal(url) {
      try {
        await host.openExternal(url);
      } catch (err) {
        store.getState().notify(`Could not open ${url}: ${errorText(err)}`);
      }
    },
  };
  return commands;
}
