// Tray glue: turns the pure tray model (tray-menu.ts) into an Electron Tray, rebuilt at most every
// TRAY_THROTTLE_MS while supervisor events stream in.
import { join } from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import type { MenuAction } from './menu-model';
import { toElectronMenu } from './menu-electron';
import { buildTrayMenu, trayHealth, trayIconFile, trayTooltip, type TrayState } from './tray-menu';
import { throttle } from './timing';

export const TRAY_THROTTLE_MS = 250;

export interface TrayController {
  /** Request a rebuild (throttled). */
  update(): void;
  destroy(): void;
}

export function createTray(opts: {
  iconDir: string;
  platform: string;
  state: () => TrayState;
  dispatch: (action: MenuAction) => void;
  onClick: () => void;
}): TrayController {
  let iconFile = '';
  const image = (file: string) => {
    const img = nativeImage.createFromPath(join(opts.iconDir, file));
    // Files named *Template.png are template images on macOS (drawn in the menu bar's colour).
    if (file.startsWith('trayTemplate')) img.setTemplateImage(true);
    return img;
  };
  const first = trayIconFile('idle', opts.platform);
  const tray = new Tray(image(first));
  iconFile = first;
  // Windows opens the menu on right click only; a left click should bring the window back.
  if (opts.platform === 'win32') tray.on('click', opts.onClick);

  const rebuild = () => {
    if (tray.isDestroyed()) return;
    const state = opts.state();
    const file = trayIconFile(trayHealth(state.services), opts.platform);
    if (file !== iconFile) {
      tray.setImage(image(file));
      iconFile = file;
    }
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(Menu.buildFromTemplate(toElectronMenu(buildTrayMenu(state), opts.dispatch)));
  };
  const update = throttle(rebuild, TRAY_THROTTLE_MS);
  rebuild();

  return {
    update,
    destroy() {
      update.cancel();
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
