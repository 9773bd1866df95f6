import { describe, expect, it } from 'vitest';
import { appPaths } from '../../electron/main/app-paths';

describe('appPaths', () => {
  it('points at the repo build in development', () => {
    const p = appPaths({ mainDir: '/repo/out/main', isPackaged: false, appPath: '/repo', resourcesPath: '/usr/lib/electron/resources' });
    expect(p).toEqual({
      preload: '/repo/out/preload/index.cjs',
      rendererDir: '/repo/out/renderer',
      trayIcons: '/repo/build/tray',
      appIcon: '/repo/build/icon.png',
    });
  });

  it('points into the asar and resources when packaged', () => {
    const p = appPaths({
      mainDir: '/opt/Hearth/resources/app.asar/out/main',
      isPackaged: true,
      appPath: '/opt/Hearth/resources/app.asar',
      resourcesPath: '/opt/Hearth/resources',
    });
    expect(p.preload).toBe('/opt/Hearth/resources/app.asar/out/preload/index.cjs');
    expect(p.trayIcons).toBe('/opt/Hearth/resources/tray');
    expect(p.appIcon).toBe('/opt/Hearth/resources/icon.png');
  });
});
