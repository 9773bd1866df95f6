// The application menu (menu bar), as plain data. File > Open… / Open Recent are how a stack is chosen;
// the notifications toggle lives here too.
import { basename, dirname } from 'node:path';
import { SEPARATOR, type MenuTemplateItem } from './menu-model';

export interface AppMenuState {
  platform: string;
  recent: readonly string[];
  notifications: boolean;
  hasStack: boolean;
  /** Show developer tools / reload entries (development builds). */
  dev: boolean;
}

/** "shop — ~/src/shop/hearth.yaml" style label for a recent stack. */
export function recentLabel(file: string, home?: string): string {
  const shown = home && file.startsWith(`${home}/`) ? `~${file.slice(home.length)}` : file;
  return `${basename(dirname(file))} — ${shown}`;
}

export function buildAppMenu(state: AppMenuState, home?: string): MenuTemplateItem[] {
  const mac = state.platform === 'darwin';
  const quit: MenuTemplateItem = { label: 'Quit Hearth', accelerator: 'CmdOrCtrl+Q', action: 'quit' };
  const recent: MenuTemplateItem[] = state.recent.length
    ? state.recent.map((file) => ({ label: recentLabel(file, home), action: { openStack: file } }))
    : [{ label: 'No recent stacks', enabled: false }];

  const file: MenuTemplateItem = {
    label: 'File',
    submenu: [
      { label: 'Open Stack…', accelerator: 'CmdOrCtrl+O', action: 'open-stack-dialog' },
      { label: 'Open Recent', submenu: recent },
      { label: 'Reload Stack File', accelerator: 'CmdOrCtrl+Shift+R', enabled: state.hasStack, action: { command: 'reload', args: {} } },
      SEPARATOR,
      { label: 'Close Window', accelerator: 'CmdOrCtrl+W', role: 'close' },
      ...(mac ? [] : [SEPARATOR, quit]),
    ],
  };
  const services: MenuTemplateItem = {
    label: 'Services',
    submenu: [
      { label: 'Start All', enabled: state.hasStack, action: { command: 'start', args: {} } },
      { label: 'Restart All', enabled: state.hasStack, action: { command: 'restart', args: {} } },
      { label: 'Stop All', enabled: state.hasStack, action: { command: 'stop', args: {} } },
      SEPARATOR,
      { label: 'Desktop Notifications', type: 'checkbox', checked: state.notifications, action: 'toggle-notifications' },
    ],
  };
  const edit: MenuTemplateItem = {
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, SEPARATOR, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };
  const view: MenuTemplateItem = {
    label: 'View',
    submenu: [
      ...(state.dev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, SEPARATOR] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      SEPARATOR,
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuTemplateItem = { label: 'Window', submenu: [{ role: 'minimize' }, { label: 'Show Hearth', action: 'show' }] };
  const app: MenuTemplateItem[] = mac
    ? [{ label: 'Hearth', submenu: [{ role: 'about' }, SEPARATOR, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, SEPARATOR, quit] }]
    : [];
  return [...app, file, edit, services, view, window];
}
