// The only file that touches ipcMain. Every handler first checks WHO sent the message (our window's
// top frame, our own page) and then WHAT it asks (ipc-validate.ts), and only then acts.
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { INVOKE_CHANNEL, OPEN_EXTERNAL_CHANNEL, SUBSCRIBE_CHANNEL } from '../../shared/ipc-channels';
import { validateExternalUrl, validateInvoke, validateSender, type SenderExpectation } from './ipc-validate';
import type { StackSession } from './stack-session';
import type { WindowSink } from './window-sink';

export interface IpcDeps {
  session: StackSession;
  sink: WindowSink;
  expected: SenderExpectation;
  /** The webContents of our one window (null while there is none). */
  contents(): WebContents | null;
  openExternal(url: string): Promise<void>;
}

function fromOurPage(event: IpcMainEvent | IpcMainInvokeEvent, deps: IpcDeps): boolean {
  const frame = event.senderFrame;
  // Only the top frame of our own window: not a sub-frame, not some other webContents.
  if (!frame || frame.parent !== null) return false;
  if (event.sender !== deps.contents()) return false;
  return validateSender(frame.url, deps.expected);
}

export function registerIpc(deps: IpcDeps): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, command: unknown, args: unknown) => {
    if (!fromOurPage(event, deps)) throw new Error('refused: unexpected sender');
    const checked = validateInvoke(command, args, deps.session.knownServices());
    if (!checked.ok) throw new Error(checked.error);
    return deps.session.invoke(checked.command, checked.args);
  });

  ipcMain.handle(OPEN_EXTERNAL_CHANNEL, async (event, url: unknown) => {
    if (!fromOurPage(event, deps)) throw new Error('refused: unexpected sender');
    const checked = validateExternalUrl(url, deps.session.ports());
    if (!checked.ok) throw new Error(`openExternal: ${checked.error}`);
    await deps.openExternal(checked.url);
  });

  const onSubscribe = (event: IpcMainEvent) => {
    if (fromOurPage(event, deps)) deps.sink.rendererReady();
  };
  ipcMain.on(SUBSCRIBE_CHANNEL, onSubscribe);

  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    ipcMain.removeHandler(OPEN_EXTERNAL_CHANNEL);
    ipcMain.removeListener(SUBSCRIBE_CHANNEL, onSubscribe);
  };
}
