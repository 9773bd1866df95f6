// Byte counts as people read them, in binary units (KiB = 1024 B, as `resources.ram` counts). Shared by
// the supervisor's log lines, the CLI, the tray and the renderer so a size reads the same everywhere.

/** "512 MiB", "1.5 GiB", "900 KiB", "12 B": one decimal below 100, whole numbers from 100 up. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const text = i === 0 || v >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
  return `${text} ${units[i]}`;
}
