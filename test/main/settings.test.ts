import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, createSettingsStore, parseSettings } from '../../electron/main/settings';
import { makeTempDir } from '../helpers/temp-dir';

describe('settings', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('defaults each malformed field', () => {
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({ notifications: 'no' })).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({ notifications: false, extra: 1 })).toEqual({ notifications: false });
  });

  it('persists updates to a real file and reads them back', () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const file = join(temp.dir, 'settings.json');
    expect(createSettingsStore(file).get()).toEqual({ notifications: true });
    createSettingsStore(file).update({ notifications: false });
    expect(createSettingsStore(file).get()).toEqual({ notifications: false });
    writeFileSync(file, '{oops');
    expect(createSettingsStore(file).get()).toEqual(DEFAULT_SETTINGS);
  });
});
