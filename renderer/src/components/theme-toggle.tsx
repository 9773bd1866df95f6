import { nextThemeOverride } from '../theme/theme';
import { useSystemTheme } from '../theme/use-theme';
import { useHearth } from '../session/session-context';

export function ThemeToggle() {
  const override = useHearth((s) => s.theme);
  const setTheme = useHearth((s) => s.setTheme);
  const system = useSystemTheme();
  const shown = override ?? system;
  const next = shown === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="btn ghost"
      aria-label={`Switch to ${next} theme`}
      title={override ? `${shown} (pinned; system is ${system})` : `${shown} (following the system)`}
      onClick={() => setTheme(nextThemeOverride(override, system))}
    >
      {shown === 'dark' ? '☾' : '☀'}
      {override ? '' : ' auto'}
    </button>
  );
}
