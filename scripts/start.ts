// `npm start` (after `npm run build`): the desktop app on the bundled example stack, or — when
// Electron cannot run here (no display, binary missing and not downloadable) — the same UI in the
// browser through `hearth serve`, so a new user always ends with a working UI.
//
//   npm start                       examples/shop/hearth.yaml
//   npm start -- path/to/hearth.yaml
//   HEARTH_UI=web npm start         force the web UI
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chooseLauncher, fallbackMessage, type LaunchChoice } from '../electron/main/launcher';

const repoRoot = resolve(import.meta.dirname, '..');
const electronPkg = join(repoRoot, 'node_modules', 'electron');

/**
 * Path of the Electron executable if it is installed, found the way electron's index.js does, but
 * WITHOUT its side effect (index.js starts a download when the binary is missing).
 */
export function installedElectron(): string | null {
  let relative: string | undefined;
  try {
    relative = readFileSync(join(electronPkg, 'path.txt'), 'utf8').trim();
  } catch {
    relative = undefined;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? join(override, relative || 'electron') : relative ? join(electronPkg, 'dist', relative) : null;
  return candidate && existsSync(candidate) ? candidate : null;
}

function runInherited(command: string, args: string[]): Promise<number> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit' });
    // Ctrl-C reaches the child through the terminal; other signals sent to us are passed on.
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onTerm = forward('SIGTERM');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', () => undefined); // let the child decide when to exit
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', onTerm);
      resolveExit(code ?? (signal ? 128 : 1));
    });
  });
}

async function startWeb(stackFile: string, reason: string): Promise<number> {
  console.log(fallbackMessage(reason));
  return runInherited(process.execPath, [join(repoRoot, 'bin', 'hearth.js'), 'serve', '-f', stackFile]);
}

async function main(): Promise<number> {
  const stackFile = resolve(process.argv[2] ?? join(repoRoot, 'examples', 'shop', 'hearth.yaml'));
  const facts = { platform: process.platform, env: process.env };
  let binary = installedElectron();
  let choice: LaunchChoice = chooseLauncher({ ...facts, electronBinaryExists: binary !== null });

  if (choice.kind === 'install') {
    console.log('The Electron binary is not installed yet: downloading it once (node_modules/electron/install.js)…');
    spawnSync(process.execPath, [join(electronPkg, 'install.js')], { cwd: repoRoot, stdio: 'inherit', timeout: 10 * 60_000 });
    binary = installedElectron();
    choice = chooseLauncher({ ...facts, electronBinaryExists: binary !== null, installAttempted: true });
  }

  if (choice.kind === 'electron' && binary) {
    if (!existsSync(join(repoRoot, 'out', 'main', 'index.js'))) {
      console.error('out/main/index.js is missing: run `npm run build` first (npm start does).');
      return 1;
    }
    try {
      return await runInherited(binary, [repoRoot, stackFile]);
    } catch (error) {
      // e.g. EACCES or a binary for another architecture: still give the user a UI.
      return startWeb(stackFile, `could not run ${binary}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return startWeb(stackFile, choice.kind === 'web' ? choice.reason : 'the Electron binary is missing');
}

if (process.argv[1] && import.meta.filename === resolve(process.argv[1])) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
