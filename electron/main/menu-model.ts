// Plain-data menus. The tray and the application menu are built as these values by pure functions
// (tested under Node), then converted to Electron's MenuItemConstructorOptions by menu-electron.ts.
import type { CommandArgs, CommandName } from '../../shared/contract';

/** A supervisor command with arguments that match its schema. */
export type InvokeAction = { [C in CommandName]: { command: C; args: CommandArgs<C> } }[CommandName];

export type MenuAction =
  | InvokeAction
  | 'show'
  | 'quit'
  | 'open-stack-dialog'
  | 'toggle-notifications'
  | { openExternal: string }
  | { openStack: string };

/** Electron menu roles we use (standard edit/window behaviour, handled by Electron itself). */
export type MenuRole =
  | 'about'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'close';

export interface MenuTemplateItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  accelerator?: string;
  role?: MenuRole;
  submenu?: MenuTemplateItem[];
  action?: MenuAction;
}

export const SEPARATOR: MenuTemplateItem = { type: 'separator' };

export function isInvokeAction(action: MenuAction): action is InvokeAction {
  return typeof action === 'object' && 'command' in action;
}
