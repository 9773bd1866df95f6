import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { TRAY_COLORS, appIcon, templateIcon, trayIcon } from '../../scripts/gen-icons';

const decode = (buf: Buffer) => PNG.sync.read(buf);
const alphaAt = (png: PNG, x: number, y: number) => png.data[(y * png.width + x) * 4 + 3] as number;
const alphas = (png: PNG) => Array.from({ length: png.width * png.height }, (_, i) => png.data[i * 4 + 3] as number);

describe('generated icons', () => {
  it('tray icons: right size, state colour, transparent corners and core, antialiased edges', () => {
    for (const size of [16, 32]) {
      const png = decode(trayIcon(size, TRAY_COLORS.error));
      expect([png.width, png.height]).toEqual([size, size]);
      expect(alphaAt(png, 0, 0)).toBe(0);
      expect(alphaAt(png, size - 1, 0)).toBe(0);
      // the cut-out core, a bit below the middle
      expect(alphaAt(png, size / 2, Math.round(size * 0.65))).toBe(0);
      // solid body between the core and the bottom
      const body = (Math.round(size * 0.87) * size + size / 2) * 4;
      expect([...png.data.subarray(body, body + 4)]).toEqual([0xe5, 0x48, 0x4d, 255]);
      // soft edges: some partial alpha
      expect(alphas(png).some((a) => a > 0 && a < 255)).toBe(true);
    }
  });

  it('template image is black with alpha only', () => {
    const png = decode(templateIcon(32));
    for (let i = 0; i < png.width * png.height; i += 1) {
      if ((png.data[i * 4 + 3] as number) > 0) expect([png.data[i * 4], png.data[i * 4 + 1], png.data[i * 4 + 2]]).toEqual([0, 0, 0]);
    }
    expect(alphas(png).filter((a) => a === 255).length).toBeGreaterThan(200);
  });

  it('app icon: opaque tile in the middle, transparent outside the rounded corners', () => {
    const png = decode(appIcon(128));
    expect(alphaAt(png, 0, 0)).toBe(0);
    expect(alphaAt(png, 10, 10)).toBe(0); // outside the rounded corner
    expect(alphaAt(png, 64, 64)).toBe(255);
  });

  it('the committed PNGs are the sizes electron-builder and the tray expect', () => {
    const build = join(import.meta.dirname, '..', '..', 'build');
    expect(decode(readFileSync(join(build, 'icon.png'))).width).toBe(512);
    for (const state of Object.keys(TRAY_COLORS)) {
      expect(decode(readFileSync(join(build, 'tray', `tray-${state}.png`))).width).toBe(16);
      expect(decode(readFileSync(join(build, 'tray', `tray-${state}@2x.png`))).width).toBe(32);
    }
    expect(decode(readFileSync(join(build, 'tray', 'trayTemplate@2x.png'))).width).toBe(32);
  });
});
