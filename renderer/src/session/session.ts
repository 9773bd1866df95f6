// One UI session over one host: the stores, the commands and the connection between them.
import type { HearthApi } from '../../../shared/contract';
import { connectHost } from '../host/connect';
import { LogStore, type LogStoreOptions } from '../logs/log-store';
import { createHearthStore, type HearthStoreApi } from '../state/store';
import { defaultTicker, type Ticker } from '../time/clock';
import { createCaptureCommands, type CaptureCommands } from './capture-commands';
import { createCommands, type Commands } from './commands';

export interface Session {
  host: HearthApi;
  store: HearthStoreApi;
  logs: LogStore;
  commands: Commands;
  captures: CaptureCommands;
  ticker: Ticker;
  disconnect(): void;
}

export interface SessionOptions {
  logs?: LogStoreOptions;
  ticker?: Ticker;
  /** Local clock used to measure the supervisor clock offset (tests pass a fake one). */
  localNow?: () => number;
}

export function createSession(host: HearthApi, options: SessionOptions = {}): Session {
  const store = createHearthStore();
  const logs = new LogStore(options.logs);
  const disconnect = connectHost(host, store, logs, options.localNow);
  return {
    host,
    store,
    logs,
    commands: createCommands(host, store),
    captures: createCaptureCommands(host, store),
    ticker: options.ticker ?? defaultTicker,
    disconnect,
  };
}
