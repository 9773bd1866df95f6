// Where the built pieces are, in development (`electron .` on the repo) and in a packaged app.
import { join } from 'node:path';

export interface AppPathFacts {
  /** Folder of the running main bundle (out/main). */
  mainDir: string;
  isPackaged: boolean;
  /** app.getAppPath(): the repo in development, resources/app.asar when packaged. */
  appPath: string;
  /** process.resourcesPath (only meaningful when packaged). */
  resourcesPath: string;
}

export interface AppPaths {
  preload: string;
  /** The built renderer, served to the window as app://hearth/ (app-protocol.ts). */
  rendererDir: string;
  /** Folder holding the tray-*.png / trayTemplate*.png icons. */
  trayIcons: string;
  /** Window icon (Linux uses it for the task bar). */
  appIcon: string;
}

export function appPaths(f: AppPathFacts): AppPaths {
  const rendererDir = join(f.mainDir, '..', 'renderer');
  // Tray icons ship as extraResources (outside the asar) so the OS tray can read them on every platform.
  const trayIcons = f.isPackaged ? join(f.resourcesPath, 'tray') : join(f.appPath, 'build', 'tray');
  return {
    preload: join(f.mainDir, '..', 'preload', 'index.cjs'),
    rendererDir,
    trayIcons,
    appIcon: f.isPackaged ? join(f.resourcesPath, 'icon.png') : join(f.appPath, 'build', 'icon.png'),
  };
}
