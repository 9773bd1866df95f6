import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from './render-app';
import { line, service, snapshot } from './fixtures';

afterEach(() => {
  cleanup();
  localStorage.clear();
  delete document.documentElement.dataset.theme;
});

describe('keyboard', () => {
  it('"/" focuses the search, Esc clears it; "f" toggles follow; keys typed in the search are not shortcuts', async () => {
    const { emit, host } = renderApp();
    emit('snapshot', snapshot([service('api')], { logs: [line('api', 'hello')] }));
    fireEvent.keyDown(document.body, { key: '/' });
    const search = screen.getByRole('searchbox', { name: 'Search logs' });
    expect(document.activeElement).toBe(search);
    await userEvent.keyboard('rxs');
    expect((search as HTMLInputElement).value).toBe('rxs');
    expect(host.invocations.filter((i) => i.command !== 'status')).toEqual([]);
    await userEvent.keyboard('{Escape}');
    expect((search as HTMLInputElement).value).toBe('');
    expect(document.activeElement).not.toBe(search);

    const follow = screen.getByRole('button', { name: 'Follow' });
    fireEvent.keyDown(document.body, { key: 'f' });
    expect(follow.getAttribute('aria-pressed')).toBe('false');
    fireEvent.keyDown(document.body, { key: 'f' });
    expect(follow.getAttribute('aria-pressed')).toBe('true');
  });
});

describe('theme', () => {
  it('follows the system by default and persists an override', async () => {
    const { emit, unmount } = renderApp();
    emit('snapshot', snapshot([service('api')]));
    // jsdom has no matchMedia: the system theme reads as light.
    expect(document.documentElement.dataset.theme).toBe('light');
    await userEvent.click(screen.getByRole('button', { name: 'Switch to dark theme' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('hearth.theme')).toBe('dark');
    unmount();

    renderApp();
    expect(document.documentElement.dataset.theme).toBe('dark');
    await userEvent.click(screen.getByRole('button', { name: 'Switch to light theme' }));
    // Back to the system's theme: the override is dropped, not pinned.
    expect(localStorage.getItem('hearth.theme')).toBeNull();
    expect(document.documentElement.dataset.theme).toBe('light');
  });
});
