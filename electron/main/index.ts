// Electron main process entry: glue only. Decisions live in the plain modules next to this file
// (stack-session, ipc-validate, window-sink, tray-menu, notifications, …), each unit-tested under Node.
//
// Lifecycle: one instance per user (a second launch focuses this one and hands over its stack file);
// one stack hosted in-process with its control socket (so `hearth …` in a terminal drives the same
// stack); closing the window hides it to the tray; Quit stops every service before the app exits.
import { statSync, watchFile, unwatchFile } from 'node:fs';
import { join } from 'node:path';
import { BrowserWindow, Menu, Notification, app, dialog, protocol, session as electronSession, shell } from 'electron';
import type { PartialLine, ServiceStatus, StackSnapshot } from '../../shared/types';
import { openStackHost } from '../host/stack-host';
import { buildAppMenu } from './app-menu';
import { appPaths } from './app-paths';
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, serveAppRequest } from './app-protocol';
import { registerIpc } from './ipc-main';
import { validateExternalUrl, validateInvoke } from './ipc-validate';
import { stackFileFromArgv } from './launch-args';
import { isInvokeAction, type MenuAction } from './menu-model';
import { toElectronMenu } from './menu-electron';
import { createNotifier, type Note } from './notifications';
import { issuesFromOpenError } from './open-errors';
import { createRecentStacksStore } from './recent-stacks';
import { contentSecurityPolicy, hardenContents, hardenSession } from './security';
import { createSettingsStore } from './settings';
import { createStackSession } from './stack-session';
import { closeWithTimeout } from './timing';
import { createTray, type TrayController } from './tray';
import { createMainWindow } from './window';
import { createWindowSink } from './window-sink';

/** Upper bound for stopping every service on Quit (the supervisor SIGKILLs well before this). */
const QUIT_TIMEOUT_MS = 20_000;
/** How often forgotten snoozes are re-checked between events. */
const SNOOZE_CHECK_MS = 30_000;

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

// Before the app is ready, or the scheme is not standard and secure (see app-protocol.ts).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

if (!app.requestSingleInstanceLock()) {
  // Another Hearth is running: it received our argv through 'second-instance'.
  app.quit();
} else {
  main();
}

function main(): void {
  const paths = appPaths({ mainDir: import.meta.dirname, isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath });
  // ELECTRON_RENDERER_URL is set by `electron-vite dev`; a packaged app never trusts it.
  const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  const userData = app.getPath('userData');
  const recent = createRecentStacksStore(join(userData, 'recent-stacks.json'));
  const settings = createSettingsStore(join(userData, 'settings.json'));

  let quitState: 'running' | 'stopping' | 'done' = 'running';
  let win: BrowserWindow | null = null;
  let tray: TrayController | null = null;
  let pendingFile: string | null = stackFileFromArgv(process.argv, process.cwd(), isFile);

  const session = createStackSession({
    openHost: (opts) => openStackHost(opts),
    // Polling survives editors that save by rename; only used while the file is broken.
    watchFile: (file, onChange) => {
      const listener = () => onChange();
      watchFile(file, { interval: 1000 }, listener);
      return () => unwatchFile(file, listener);
    },
    now: () => Date.now(),
    onShutdown: () => app.quit(),
    issuesOf: issuesFromOpenError,
  });
  const sink = createWindowSink(() => session.snapshot());

  const showWindow = () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const refreshAppMenu = () => {
    const template = buildAppMenu(
      { platform: process.platform, recent: recent.list(), notifications: settings.get().notifications, hasStack: session.view().file !== null, dev: !app.isPackaged },
      app.getPath('home'),
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronMenu(template, dispatch)));
  };

  const openStack = async (file: string) => {
    recent.add(file);
    refreshAppMenu();
    const result = await session.open(file);
    if (result.ok) {
      for (const orphan of result.host.orphans) {
        console.log(`hearth: ${orphan.killed ? 'stopped' : 'left alone'} leftover process ${orphan.pid} of ${orphan.service}: ${orphan.reason}`);
      }
    }
    const name = session.view().stack?.name;
    win?.setTitle(name ? `Hearth — ${name}` : 'Hearth');
    tray?.update();
  };

  const openStackDialog = async () => {
    const options: Electron.OpenDialogOptions = {
      title: 'Open Stack',
      properties: ['openFile'],
      filters: [{ name: 'Hearth stack', extensions: ['yaml', 'yml'] }],
    };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    const file = result.filePaths[0];
    if (!result.canceled && file) await openStack(file);
  };

  const openExternal = async (url: string) => {
    const checked = validateExternalUrl(url, session.ports());
    if (!checked.ok) throw new Error(checked.error);
    await shell.openExternal(checked.url);
  };

  function dispatch(action: MenuAction): void {
    const report = (error: unknown) => console.error('hearth:', error instanceof Error ? error.message : error);
    if (isInvokeAction(action)) {
      // Menus are built from the mirror, which may be a moment stale: validate like any other caller.
      const checked = validateInvoke(action.command, action.args, session.knownServices());
      if (!checked.ok) return report(checked.error);
      session.invoke(checked.command, checked.args).catch(report);
      return;
    }
    if (action === 'show') return showWindow();
    if (action === 'quit') return app.quit();
    if (action === 'open-stack-dialog') return void openStackDialog().catch(report);
    if (action === 'toggle-notifications') {
      settings.update({ notifications: !settings.get().notifications });
      return refreshAppMenu();
    }
    if ('openExternal' in action) return void openExternal(action.openExternal).catch(report);
    if ('openStack' in action) return void openStack(action.openStack).catch(report);
  }

  // Notifications: kept referenced until closed, or some platforms drop their click handlers.
  const live = new Set<Notification>();
  const notify = (notes: Note[]) => {
    if (!notes.length || !Notification.isSupported()) return;
    for (const note of notes) {
      const n = new Notification({ title: note.title, body: note.body });
      live.add(n);
      n.on('click', showWindow);
      n.on('close', () => live.delete(n));
      n.show();
    }
  };
  const notifier = createNotifier(() => ({
    enabled: settings.get().notifications,
    snoozeWarnAfterSecs: session.view().stack?.snooze_warn_after_secs ?? 0,
  }));

  session.subscribe((event, payload) => {
    sink.push(event, payload);
    if (event === 'snapshot') notifier.reset((payload as StackSnapshot).services);
    else if (event === 'service') notify(notifier.service(payload as ServiceStatus, Date.now()));
    else if (event === 'service_removed') notifier.removed((payload as { name: string }).name);
    // A prompt is news only to someone not looking at the window (whose stdin line shows it already).
    else if (event === 'partial_line' && !(win?.isFocused() ?? false)) notify(notifier.partial(payload as PartialLine));
    if (event !== 'logs') tray?.update();
  });
  setInterval(() => notify(notifier.tick(Date.now())), SNOOZE_CHECK_MS).unref();

  app.on('second-instance', (_event, argv, cwd) => {
    showWindow();
    const file = stackFileFromArgv(argv, cwd, isFile);
    if (file && file !== session.view().file) void openStack(file);
  });
  // macOS: a .yaml dropped on the Dock icon or opened with Hearth.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    if (app.isReady()) void openStack(file);
    else pendingFile = file;
  });

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  // The window hides instead of closing, so "all closed" only happens on the way out.
  app.on('window-all-closed', () => {});
  app.on('activate', showWindow);

  app.on('before-quit', (event) => {
    if (quitState === 'done') return;
    event.preventDefault();
    if (quitState === 'stopping') return;
    quitState = 'stopping';
    console.log('hearth: stopping all services…');
    // Really close the window now (saves its bounds); the tray stays until the services are down.
    if (win && !win.isDestroyed()) win.close();
    void closeWithTimeout(() => session.close(), QUIT_TIMEOUT_MS).then((result) => {
      if (result.outcome === 'timeout') console.error(`hearth: services still stopping after ${QUIT_TIMEOUT_MS / 1000} s; exiting anyway`);
      if (result.outcome === 'error') console.error('hearth: error while stopping services:', result.error);
      quitState = 'done';
      tray?.destroy();
      app.exit(0);
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => app.quit());

  void app.whenReady().then(async () => {
    if (process.platform === 'win32') app.setAppUserModelId('dev.hearth.app');
    hardenSession(electronSession.defaultSession, contentSecurityPolicy(devServerUrl));
    electronSession.defaultSession.protocol.handle(APP_SCHEME, (request) => serveAppRequest(paths.rendererDir, request.url, request.method));

    win = createMainWindow({
      preload: paths.preload,
      devServerUrl,
      appUrl: APP_INDEX_URL,
      stateFile: join(userData, 'window-state.json'),
      icon: paths.appIcon,
      sink,
      isQuitting: () => quitState !== 'running',
    });
    registerIpc({
      session,
      sink,
      expected: { devServerUrl, appOrigin: APP_ORIGIN },
      contents: () => (win && !win.isDestroyed() ? win.webContents : null),
      openExternal: (url) => shell.openExternal(url),
    });
    tray = createTray({
      iconDir: paths.trayIcons,
      platform: process.platform,
      state: () => {
        const view = session.view();
        return { stackName: view.stack?.name ?? null, services: view.services, configErrors: view.stack?.config_errors.length ?? 0, now: Date.now() };
      },
      dispatch,
      onClick: showWindow,
    });
    refreshAppMenu();

    // The stack: from the command line, else the most recent one, else the "no stack" screen.
    const first = pendingFile ?? recent.list()[0] ?? null;
    pendingFile = null;
    // A missing file still goes through openStack: the UI then says it does not exist.
    if (first) await openStack(first);
  });
}
