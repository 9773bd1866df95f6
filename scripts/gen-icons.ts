// Draws Hearth's icons with pngjs: `npm run icons` writes
//   build/icon.png                                512 px app icon (electron-builder derives the rest)
//   build/tray/tray-{healthy,attention,error,idle}{,@2x}.png   16 px + 32 px, one colour per state
//   build/tray/trayTemplate{,@2x}.png            macOS template image (black + alpha only)
//
// Shapes are polygons sampled from smooth curves, filled with exact horizontal coverage and 16
// vertical sub-rows per pixel, so edges are antialiased at every size without a graphics library.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

type Point = [number, number];
type Rgb = [number, number, number];

const SUBROWS = 16;

/** Fraction of each pixel covered by the polygon (even-odd rule). */
function coverage(poly: readonly Point[], size: number): Float32Array {
  const cov = new Float32Array(size * size);
  for (let row = 0; row < size; row += 1) {
    for (let k = 0; k < SUBROWS; k += 1) {
      const y = row + (k + 0.5) / SUBROWS;
      const xs: number[] = [];
      for (let i = 0; i < poly.length; i += 1) {
        const [x0, y0] = poly[i] as Point;
        const [x1, y1] = poly[(i + 1) % poly.length] as Point;
        if ((y0 <= y && y1 > y) || (y1 <= y && y0 > y)) xs.push(x0 + ((y - y0) / (y1 - y0)) * (x1 - x0));
      }
      xs.sort((a, b) => a - b);
      for (let i = 0; i + 1 < xs.length; i += 2) {
        const a = Math.max(0, xs[i] as number);
        const b = Math.min(size, xs[i + 1] as number);
        if (b <= a) continue;
        const first = Math.floor(a);
        const last = Math.min(size - 1, Math.floor(b));
        for (let px = first; px <= last; px += 1) {
          const covered = Math.min(b, px + 1) - Math.max(a, px);
          if (covered > 0) cov[row * size + px] = (cov[row * size + px] as number) + covered / SUBROWS;
        }
      }
    }
  }
  for (let i = 0; i < cov.length; i += 1) cov[i] = Math.min(1, cov[i] as number);
  return cov;
}

/**
 * A flame: the teardrop curve x = sin t · sin(t/2), y = cos t (pointed top, round bottom), with the
 * tip bent a little to the right so it reads as a flame rather than a drop. Fitted into `box`.
 */
function flame(box: { x: number; y: number; w: number; h: number }, lean = 0.18, samples = 720): Point[] {
  const raw: Point[] = [];
  for (let i = 0; i < samples; i += 1) {
    const t = (i / samples) * Math.PI * 2;
    const x = Math.sin(t) * Math.sin(t / 2) ** 1.15;
    const y = -Math.cos(t); // tip at y = -1 (top of the image)
    const up = (1 - y) / 2; // 0 at the bottom, 1 at the tip
    raw.push([x + lean * up ** 2.2, y]);
  }
  const xs = raw.map((p) => p[0]);
  const ys = raw.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min(box.w / (maxX - minX), box.h / (maxY - minY));
  const offX = box.x + (box.w - (maxX - minX) * scale) / 2;
  const offY = box.y + (box.h - (maxY - minY) * scale) / 2;
  return raw.map(([x, y]) => [offX + (x - minX) * scale, offY + (y - minY) * scale]);
}

/** A rounded square (superellipse corners), the app icon's background tile. */
function roundedSquare(x: number, y: number, s: number, r: number, perCorner = 48): Point[] {
  const pts: Point[] = [];
  const corners: Array<[number, number, number]> = [
    [x + s - r, y + r, -Math.PI / 2],
    [x + s - r, y + s - r, 0],
    [x + r, y + s - r, Math.PI / 2],
    [x + r, y + r, Math.PI],
  ];
  for (const [cx, cy, start] of corners) {
    for (let i = 0; i <= perCorner; i += 1) {
      const a = start + (i / perCorner) * (Math.PI / 2);
      pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
    }
  }
  return pts;
}

/** An RGBA canvas composited with straight-alpha "over". */
class Canvas {
  readonly png: PNG;
  constructor(readonly size: number) {
    this.png = new PNG({ width: size, height: size });
    this.png.data.fill(0);
  }
  fill(cov: Float32Array, color: (x: number, y: number) => Rgb, alpha = 1): void {
    const d = this.png.data;
    for (let y = 0; y < this.size; y += 1) {
      for (let x = 0; x < this.size; x += 1) {
        const a = (cov[y * this.size + x] as number) * alpha;
        if (a <= 0) continue;
        const i = (y * this.size + x) * 4;
        const [r, g, b] = color(x + 0.5, y + 0.5);
        const da = (d[i + 3] as number) / 255;
        const oa = a + da * (1 - a);
        const mix = (src: number, dst: number) => (src * a + dst * da * (1 - a)) / oa;
        d[i] = Math.round(mix(r, d[i] as number));
        d[i + 1] = Math.round(mix(g, d[i + 1] as number));
        d[i + 2] = Math.round(mix(b, d[i + 2] as number));
        d[i + 3] = Math.round(oa * 255);
      }
    }
  }
  /** Remove alpha where `cov` is set (a see-through cut-out). */
  cut(cov: Float32Array): void {
    const d = this.png.data;
    for (let i = 0; i < cov.length; i += 1) d[i * 4 + 3] = Math.round((d[i * 4 + 3] as number) * (1 - (cov[i] as number)));
  }
  encode(): Buffer {
    return PNG.sync.write(this.png);
  }
}

function hex(h: string): Rgb {
  const n = Number.parseInt(h.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
const lerp = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => (a[i] as number) + ((b[i] as number) - (a[i] as number)) * t) as Rgb;
const solid = (c: Rgb) => () => c;

export const TRAY_COLORS = {
  healthy: '#2fb36b',
  attention: '#f0a020',
  error: '#e5484d',
  idle: '#8b919c',
} as const;

/** The see-through core: high enough that the rim under it stays ~2 px thick at 16 px. */
const CORE = (size: number) => ({ x: size * 0.35, y: size * 0.42, w: size * 0.3, h: size * 0.38 });

/** Outer flame in the state colour; the inner core is cut out so the mark stays legible at 16 px. */
export function trayIcon(size: number, color: string): Buffer {
  const c = new Canvas(size);
  const pad = size / 16;
  c.fill(coverage(flame({ x: pad * 1.5, y: pad * 0.5, w: size - pad * 3, h: size - pad }), size), solid(hex(color)));
  c.cut(coverage(flame(CORE(size), 0.1), size));
  return c.encode();
}

/** Black flame with a transparent core: macOS tints template images to match the menu bar. */
export function templateIcon(size: number): Buffer {
  const c = new Canvas(size);
  const pad = size / 16;
  c.fill(coverage(flame({ x: pad * 1.5, y: pad * 0.5, w: size - pad * 3, h: size - pad }), size), solid([0, 0, 0]));
  c.cut(coverage(flame(CORE(size), 0.1), size));
  return c.encode();
}

/** Dark rounded tile, warm gradient flame, bright core. */
export function appIcon(size: number): Buffer {
  const c = new Canvas(size);
  const s = size / 512;
  const tileTop = hex('#2b303b');
  const tileBottom = hex('#15171c');
  c.fill(coverage(roundedSquare(32 * s, 32 * s, 448 * s, 96 * s), size), (_x, y) => lerp(tileTop, tileBottom, y / size));
  const top = hex('#ffc24a');
  const bottom = hex('#ff5a1f');
  const outer = { x: 136 * s, y: 78 * s, w: 240 * s, h: 352 * s };
  c.fill(coverage(flame(outer), size), (_x, y) => lerp(top, bottom, Math.min(1, Math.max(0, (y - outer.y) / outer.h))));
  const core = { x: 206 * s, y: 236 * s, w: 100 * s, h: 170 * s };
  c.fill(coverage(flame(core, 0.12), size), (_x, y) => lerp(hex('#fff6c8'), hex('#ffd35a'), Math.min(1, Math.max(0, (y - core.y) / core.h))));
  return c.encode();
}

export function generateIcons(buildDir: string): string[] {
  const trayDir = join(buildDir, 'tray');
  mkdirSync(trayDir, { recursive: true });
  const written: string[] = [];
  const write = (file: string, data: Buffer) => {
    writeFileSync(file, data);
    written.push(file);
  };
  for (const [state, color] of Object.entries(TRAY_COLORS)) {
    write(join(trayDir, `tray-${state}.png`), trayIcon(16, color));
    write(join(trayDir, `tray-${state}@2x.png`), trayIcon(32, color));
  }
  write(join(trayDir, 'trayTemplate.png'), templateIcon(16));
  write(join(trayDir, 'trayTemplate@2x.png'), templateIcon(32));
  write(join(buildDir, 'icon.png'), appIcon(512));
  return written;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const files = generateIcons(join(import.meta.dirname, '..', 'build'));
  console.log(`wrote ${files.length} icons:\n  ${files.join('\n  ')}`);
}
