// Plain-data menu -> Electron's MenuItemConstructorOptions. Types only from 'electron', so this is
// tested under Node: the click handlers just call `dispatch` with the item's action.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction, MenuTemplateItem } from './menu-model';

export function toElectronMenu(items: readonly MenuTemplateItem[], dispatch: (action: MenuAction) => void): MenuItemConstructorOptions[] {
  return items.map((item) => {
    const out: MenuItemConstructorOptions = {};
    if (item.type === 'separator') return { type: 'separator' };
    if (item.label !== undefined) out.label = item.label;
    if (item.role) out.role = item.role;
    if (item.accelerator) out.accelerator = item.accelerator;
    if (item.enabled !== undefined) out.enabled = item.enabled;
    if (item.type === 'checkbox') {
      out.type = 'checkbox';
      out.checked = item.checked === true;
    }
    if (item.submenu) {
      out.type = 'submenu';
      out.submenu = toElectronMenu(item.submenu, dispatch);
    }
    const action = item.action;
    if (action !== undefined) out.click = () => dispatch(action);
    return out;
  });
}
