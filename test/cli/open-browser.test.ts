// Handing a file to the platform's opener, with real processes: recording stand-ins for `xdg-open`,
// `open` and `cmd` found on PATH, as a real opener would be. (macOS and Windows only run here as such.)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInBrowser } from '../../electron/cli/open-browser';
import { testTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

/** A folder with `name` in it that writes its arguments, one a line, to `given`. */
function recordingOpener(name: string): { env: NodeJS.ProcessEnv; given: string } {
  const bin = testTempDir('ob-');
  const given = join(bin, 'given');
  writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "$@" > ${given}.tmp && mv ${given}.tmp ${given}\n`, { mode: 0o755 });
  return { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, given };
}

describe('openInBrowser', () => {
  it.each([
    ['linux', 'xdg-open', ['/s/.hearth/login-0123456789abcdef.html']],
    ['darwin', 'open', ['/s/.hearth/login-0123456789abcdef.html']],
    ['win32', 'cmd', ['/c', 'start', '', '/s/.hearth/login-0123456789abcdef.html']],
  ] as const)('on %s runs %s with the file as its only target', async (platform, opener, args) => {
    const { env, given } = recordingOpener(opener);
    expect(await openInBrowser('/s/.hearth/login-0123456789abcdef.html', env, platform)).toEqual({ ok: true, opener });
    await waitFor(() => existsSync(given), { what: `${opener} to record its arguments` });
    expect(readFileSync(given, 'utf8')).toBe(`${args.join('\n')}\n`);
  });

  it('says so, without throwing, when there is no opener', async () => {
    const empty = testTempDir('ob-');
    expect(await openInBrowser('/s/page.html', { ...process.env, PATH: empty }, 'linux')).toEqual({ ok: false, opener: 'xdg-open', why: 'not found' });
  });
});
