// Handing a file to the platform's opener (`xdg-open`, `open`, `start`): the login page in `.hearth/`, never
// the login URL itself, because any user on the machine can read another's command lines (`ps`,
// /proc/PID/cmdline). BROWSER is not consulted: it would put the target on a command line we do not control.
import { spawn } from 'node:child_process';

export type OpenOutcome = { ok: true; opener: string } | { ok: false; opener: string; why: string };

function openerFor(platform: NodeJS.Platform, target: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [target]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '', target]];
  return ['xdg-open', [target]];
}

/** Starts the opener and resolves once it started (or could not): a missing opener is said, not thrown. */
export function openInBrowser(target: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<OpenOutcome> {
  const [cmd, args] = openerFor(platform, target);
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd, args, { stdio: 'ignore', detached: true, env, windowsHide: true });
    } catch (error) {
      resolve({ ok: false, opener: cmd, why: (error as Error).message });
      return;
    }
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, opener: cmd, why: error.code === 'ENOENT' ? 'not found' : error.message }));
    child.once('spawn', () => {
      child.unref();
      resolve({ ok: true, opener: cmd });
    });
  });
}
