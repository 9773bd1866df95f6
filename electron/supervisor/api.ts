// The Supervisor interface: what every UI (CLI, control socket, web host, Electron main, tray) depends on.
// Implemented by `createSupervisor` in ./supervisor.ts; UIs never reach past this interface.
import type { CommandArgs, CommandName, CommandResult, EventName, HearthEvents, Unsubscribe } from '../../shared/contract';
import type { StackSnapshot } from '../../shared/types';

export type SupervisorListener = <E extends EventName>(event: E, payload: HearthEvents[E]) => void;

export interface SubscribeOptions {
  /**
   * The subscriber shows CPU/RSS (a page, the app, `hearth status --watch`): it holds a resource watch
   * (see watchResources) until it unsubscribes, taken before its snapshot so that has figures already.
   */
  resources?: boolean;
}

export interface Supervisor {
  /** Absolute path of the stack file. */
  readonly file: string;
  /** Run a command from the shared contract. Args must already be validated (see parseCommand). */
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>>;
  /**
   * Subscribe to events. The listener is called synchronously with ('snapshot', …) before this returns,
   * then with every change after it, so nothing is lost in between.
   */
  subscribe(listener: SupervisorListener, opts?: SubscribeOptions): Unsubscribe;
  snapshot(): StackSnapshot;
  /**
   * A UI that shows CPU/RSS is open: services are sampled on the interval until the returned function
   * is called. With nobody watching (and no `resources.ram` limit) an idle stack is not sampled at all.
   */
  watchResources(): Unsubscribe;
  /** Stop every service (no process left) and release files, timers and sockets. Idempotent. */
  close(): Promise<void>;
}
