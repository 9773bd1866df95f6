import { describe, expect, it } from 'vitest';
import { buildAppMenu, recentLabel } from '../../electron/main/app-menu';
import { toElectronMenu } from '../../electron/main/menu-electron';
import type { MenuAction, MenuTemplateItem } from '../../electron/main/menu-model';

function find(items: readonly MenuTemplateItem[] | undefined, label: string): MenuTemplateItem {
  const item = items?.find((i) => i.label === label);
  if (!item) throw new Error(`no ${label}`);
  return item;
}

describe('toElectronMenu', () => {
  it('maps data to constructor options and wires clicks to dispatch', () => {
    const dispatched: MenuAction[] = [];
    const menu = toElectronMenu(
      [
        { label: 'api', type: 'submenu', submenu: [{ label: 'Restart', action: { command: 'restart', args: { services: ['api'] } } }] },
        { type: 'separator', label: 'ignored' },
        { label: 'Off', enabled: false },
        { label: 'Notify', type: 'checkbox', checked: true, action: 'toggle-notifications' },
        { role: 'copy' },
        { label: 'Quit', accelerator: 'CmdOrCtrl+Q', action: 'quit' },
      ],
      (a) => dispatched.push(a),
    );
    expect(menu[1]).toEqual({ type: 'separator' });
    expect(menu[2]).toEqual({ label: 'Off', enabled: false });
    expect(menu[3]).toMatchObject({ type: 'checkbox', checked: true });
    expect(menu[4]).toEqual({ role: 'copy' });
    expect(menu[5]).toMatchObject({ label: 'Quit', accelerator: 'CmdOrCtrl+Q' });
    const sub = menu[0]?.submenu as Array<{ click?: () => void }>;
    sub[0]?.click?.();
    (menu[5] as { click?: () => void }).click?.();
    expect(dispatched).toEqual([{ command: 'restart', args: { services: ['api'] } }, 'quit']);
    expect(menu[2]).not.toHaveProperty('click');
  });
});

describe('buildAppMenu', () => {
  const base = { platform: 'linux', recent: ['/home/dev/shop/hearth.yaml', '/srv/blog/hearth.yaml'], notifications: true, hasStack: true, dev: false };

  it('has File > Open…, Open Recent with the recent stacks, and Quit on Linux/Windows', () => {
    const menu = buildAppMenu(base, '/home/dev');
    expect(menu.map((m) => m.label)).toEqual(['File', 'Edit', 'Services', 'View', 'Window']);
    const file = find(menu, 'File').submenu;
    expect(find(file, 'Open Stack…').action).toBe('open-stack-dialog');
    expect(find(file, 'Open Recent').submenu).toEqual([
      { label: 'shop — ~/shop/hearth.yaml', action: { openStack: '/home/dev/shop/hearth.yaml' } },
      { label: 'blog — /srv/blog/hearth.yaml', action: { openStack: '/srv/blog/hearth.yaml' } },
    ]);
    expect(find(file, 'Quit Hearth').action).toBe('quit');
  });

  it('puts Quit in the app menu on macOS and shows the notifications toggle state', () => {
    const menu = buildAppMenu({ ...base, platform: 'darwin', notifications: false, recent: [] });
    expect(menu[0]?.label).toBe('Hearth');
    expect(find(menu[0]?.submenu, 'Quit Hearth').action).toBe('quit');
    expect(find(find(menu, 'File').submenu, 'Open Recent').submenu).toEqual([{ label: 'No recent stacks', enabled: false }]);
    expect(find(find(menu, 'Services').submenu, 'Desktop Notifications')).toMatchObject({ type: 'checkbox', checked: false, action: 'toggle-notifications' });
  });

  it('disables stack commands without a stack, and hides dev tools outside development', () => {
    const menu = buildAppMenu({ ...base, hasStack: false });
    expect(find(find(menu, 'Services').submenu, 'Restart All').enabled).toBe(false);
    expect(find(menu, 'View').submenu?.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(buildAppMenu({ ...base, dev: true }).find((m) => m.label === 'View')?.submenu?.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  it('labels recent stacks by folder', () => {
    expect(recentLabel('/a/b/hearth.yaml')).toBe('b — /a/b/hearth.yaml');
  });
});
