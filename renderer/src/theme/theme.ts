// Light/dark: follow `prefers-color-scheme` unless the user picked one (persisted in localStorage).
export type ThemeOverride = 'light' | 'dark' | null;
export type Theme = 'light' | 'dark';

const KEY = 'hearth.theme';

export function loadThemeOverride(): ThemeOverride {
  try {
    const v = globalThis.localStorage?.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null; // storage disabled: follow the system
  }
}

export function saveThemeOverride(theme: ThemeOverride): void {
  try {
    if (theme) globalThis.localStorage?.setItem(KEY, theme);
    else globalThis.localStorage?.removeItem(KEY);
  } catch {
    // ignore: the override just won't survive a reload
  }
}

/** Flips the shown theme; landing back on the system's theme means "follow the system" again. */
export function nextThemeOverride(current: ThemeOverride, system: Theme): ThemeOverride {
  const shown: Theme = current ?? system;
  const next: Theme = shown === 'dark' ? 'light' : 'dark';
  return next === system ? null : next;
}
