// `npm start` decides between the Electron app and the web UI (`hearth serve`). Pure so it is tested;
// scripts/start.ts supplies the facts (platform, environment, whether the Electron binary exists).

export type LaunchChoice =
  | { kind: 'electron' }
  /** The binary is missing but might be fetched (electron's own install script); ask again afterwards. */
  | { kind: 'install' }
  | { kind: 'web'; reason: string };

export interface LaunchFacts {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  electronBinaryExists: boolean;
  /** The install step already ran (and the binary is still missing). */
  installAttempted?: boolean;
}

/** Platforms whose windows need an X11 or Wayland display server. */
const NEEDS_DISPLAY = new Set(['linux', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix']);

export function chooseLauncher(facts: LaunchFacts): LaunchChoice {
  const { env } = facts;
  if (env.HEARTH_UI === 'web') return { kind: 'web', reason: 'HEARTH_UI=web' };
  // Checked before the binary so a headless box never tries a 100 MB download it cannot use.
  if (NEEDS_DISPLAY.has(facts.platform) && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { kind: 'web', reason: 'no display' };
  if (!facts.electronBinaryExists) {
    return facts.installAttempted ? { kind: 'web', reason: 'the Electron binary is not installed and could not be downloaded' } : { kind: 'install' };
  }
  return { kind: 'electron' };
}

/** The one line `npm start` prints when it falls back. */
export function fallbackMessage(reason: string): string {
  return `Electron cannot start here (${reason}): falling back to the web UI`;
}
