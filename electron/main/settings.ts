// Desktop-app preferences (not stack config): persisted as JSON in the userData folder.
import { readJsonFile, writeJsonFile } from './json-store';

export interface AppSettings {
  /** Show desktop notifications (unhealthy restarts, crash loops, failed jobs, forgotten snoozes). */
  notifications: boolean;
}

export const DEFAULT_SETTINGS: AppSettings = { notifications: true };

/** Unknown or malformed fields fall back to their defaults, one by one. */
export function parseSettings(value: unknown): AppSettings {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return { notifications: typeof v.notifications === 'boolean' ? v.notifications : DEFAULT_SETTINGS.notifications };
}

export interface SettingsStore {
  get(): AppSettings;
  update(patch: Partial<AppSettings>): AppSettings;
}

export function createSettingsStore(file: string): SettingsStore {
  let current = parseSettings(readJsonFile(file));
  return {
    get: () => current,
    update(patch) {
      current = parseSettings({ ...current, ...patch });
      writeJsonFile(file, current);
      return current;
    },
  };
}
