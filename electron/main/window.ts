// The one main window: secure webPreferences, remembered bounds, hide-to-tray on close.
import { BrowserWindow, screen } from 'electron';
import { MIN_WINDOW_SIZE, loadWindowState, saveWindowState } from './window-state';
import { secureWebPreferences } from './security';
import { throttle } from './timing';
import type { WindowSink } from './window-sink';

export interface MainWindowOptions {
  preload: string;
  /** Dev server URL in development, else undefined and `appUrl` (app://hearth/index.html) is loaded. */
  devServerUrl: string | undefined;
  appUrl: string;
  stateFile: string;
  icon: string;
  sink: WindowSink;
  /** True once Quit started: closing then really closes instead of hiding to the tray. */
  isQuitting(): boolean;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const displays = screen.getAllDisplays();
  const state = loadWindowState(opts.stateFile, displays, screen.getPrimaryDisplay());
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Hearth',
    icon: opts.icon,
    backgroundColor: '#16181d',
    webPreferences: secureWebPreferences(opts.preload, { devTools: opts.devServerUrl !== undefined }),
  });
  if (state.maximized) win.maximize();

  const save = () => {
    if (win.isDestroyed()) return;
    try {
      saveWindowState(opts.stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (error) {
      console.error('hearth: could not save the window state:', error);
    }
  };
  const saveSoon = throttle(save, 1000);
  win.on('resize', saveSoon);
  win.on('move', saveSoon);

  win.once('ready-to-show', () => win.show());
  win.on('show', () => opts.sink.setVisible(true));
  win.on('hide', () => opts.sink.setVisible(false));
  win.on('close', (event) => {
    save();
    if (!opts.isQuitting()) {
      // Closing the window keeps the stack running: Hearth lives on in the tray until Quit.
      event.preventDefault();
      win.hide();
    }
  });

  const contents = win.webContents;
  opts.sink.attach(contents);
  // A (re)loading page has lost its listeners; it subscribes again once its script runs.
  contents.on('did-start-loading', () => opts.sink.rendererGone());
  let lastCrashReload = 0;
  contents.on('render-process-gone', (_event, details) => {
    console.error(`hearth: renderer gone (${details.reason}, exit code ${details.exitCode})`);
    opts.sink.rendererGone();
    // Reload once in a while, not in a tight loop if the page crashes at start.
    if (details.reason !== 'clean-exit' && Date.now() - lastCrashReload > 10_000 && !win.isDestroyed()) {
      lastCrashReload = Date.now();
      contents.reload();
    }
  });
  win.on('closed', () => opts.sink.attach(null));

  if (opts.devServerUrl) void win.loadURL(opts.devServerUrl);
  else void win.loadURL(opts.appUrl);
  return win;
}
