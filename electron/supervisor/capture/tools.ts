// The external tools captures use, looked up on PATH the way a shell would, and what to tell a user whose
// machine lacks one (the install line for their platform).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const CAPTURE_TOOLS = ['gcore', 'gdb', 'perf', 'py-spy'] as const;
export type CaptureTool = (typeof CAPTURE_TOOLS)[number];

export function findOnPath(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** Which of the tools are installed: name -> path. */
export function availableTools(path = process.env.PATH ?? ''): Map<CaptureTool, string> {
  const found = new Map<CaptureTool, string>();
  for (const tool of CAPTURE_TOOLS) {
    const file = findOnPath(tool, path);
    if (file) found.set(tool, file);
  }
  return found;
}

/** "py-spy not found: pip install py-spy" — the line that says how to get a missing tool. */
export function missingTool(tool: CaptureTool, platform: string = process.platform): string {
  switch (tool) {
    case 'py-spy':
      return 'py-spy not found: pip install py-spy';
    case 'perf':
      return platform === 'linux' ? 'perf not found: apt-get install linux-perf (Ubuntu: linux-tools-generic)' : 'perf is Linux-only';
    case 'gcore':
    case 'gdb':
      return platform === 'darwin'
        ? `${tool} not found: xcode-select --install (gcore ships with the command line tools)`
        : `${tool} not found: apt-get install gdb`;
  }
}
