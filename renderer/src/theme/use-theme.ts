import { useEffect, useSyncExternalStore } from 'react';
import type { Theme, ThemeOverride } from './theme';

const QUERY = '(prefers-color-scheme: dark)';

function subscribe(listener: () => void): () => void {
  const mq = typeof matchMedia === 'function' ? matchMedia(QUERY) : null;
  mq?.addEventListener('change', listener);
  return () => mq?.removeEventListener('change', listener);
}

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia(QUERY).matches ? 'dark' : 'light';
}

export function useSystemTheme(): Theme {
  return useSyncExternalStore(subscribe, systemTheme, () => 'light');
}

/** Applies the effective theme to <html data-theme>; theme.css turns it into the color-scheme that light-dark() follows. */
export function useAppliedTheme(override: ThemeOverride): Theme {
  const system = useSystemTheme();
  const theme = override ?? system;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return theme;
}
