// Where the control socket goes for a long stack path, and what a client accepts before it connects.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSocketTrust, UntrustedSocketError } from '../../electron/control/secure-dir';
import { controlSocketPath, fallbackSocketDir, MAX_SOCKET_PATH_BYTES } from '../../electron/control/socket-path';
import { testTempDir } from '../helpers/temp-dir';

const uid = process.getuid!();

function folders() {
  const root = testTempDir();
  const shared = join(root, 'shared');
  mkdirSync(shared, { mode: 0o777 });
  chmodSync(shared, 0o1777);
  const priv = join(root, 'private');
  mkdirSync(priv, { mode: 0o700 });
  const home = join(root, 'home');
  return { root, shared, priv, home };
}

describe('fallbackSocketDir', () => {
  it('prefers $XDG_RUNTIME_DIR when it is a private folder of ours', () => {
    const { shared, priv, home } = folders();
    expect(fallbackSocketDir({ XDG_RUNTIME_DIR: priv, TMPDIR: shared, HOME: home })).toBe(join(priv, 'hearth'));
    // Not private, relative, or missing: not a runtime folder.
    chmodSync(priv, 0o755);
    expect(fallbackSocketDir({ XDG_RUNTIME_DIR: priv, TMPDIR: shared, HOME: home })).toBe(join(shared, `hearth-${uid}`));
    expect(fallbackSocketDir({ XDG_RUNTIME_DIR: 'run/user', TMPDIR: shared, HOME: home })).toBe(join(shared, `hearth-${uid}`));
    expect(fallbackSocketDir({ XDG_RUNTIME_DIR: join(priv, 'nope'), TMPDIR: shared, HOME: home })).toBe(join(shared, `hearth-${uid}`));
  });

  it('uses a temp folder that is ours alone as it is (macOS: TMPDIR is per user), a shared one through hearth-<uid>', () => {
    const { shared, priv, home } = folders();
    expect(fallbackSocketDir({ TMPDIR: priv, HOME: home })).toBe(join(priv, 'hearth'));
    expect(fallbackSocketDir({ TMPDIR: shared, HOME: home })).toBe(join(shared, `hearth-${uid}`));
  });

  it('goes to the home folder when something not ours already sits at hearth-<uid>', () => {
    const { shared, home } = folders();
    writeFileSync(join(shared, `hearth-${uid}`), 'in the way');
    expect(fallbackSocketDir({ TMPDIR: shared, HOME: home })).toBe(join(home, '.cache', 'hearth', 'run'));
  });

  it('is used only when .hearth/control.sock would be too long', () => {
    const { priv } = folders();
    expect(controlSocketPath('/s', { XDG_RUNTIME_DIR: priv })).toBe('/s/.hearth/control.sock');
    const long = `/${'x'.repeat(MAX_SOCKET_PATH_BYTES)}`;
    expect(controlSocketPath(long, { XDG_RUNTIME_DIR: priv })).toMatch(new RegExp(`^${priv}/hearth/[0-9a-f]{16}\\.sock$`));
  });
});

describe('checkSocketTrust', () => {
  it('leaves a Windows named pipe to the connection (no folder or mode to check)', () => {
    expect(checkSocketTrust('\\\\.\\pipe\\hearth-me-0123456789abcdef')).toBe('ok');
  });

  it('accepts our 0600 socket in our 0700 folder, says missing for none, refuses anything looser', async () => {
    const { priv } = folders();
    const socket = join(priv, 's.sock');
    expect(checkSocketTrust(socket)).toBe('missing');
    expect(checkSocketTrust(join(priv, 'no-folder', 's.sock'))).toBe('missing');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      chmodSync(socket, 0o600);
      expect(checkSocketTrust(socket)).toBe('ok');
      chmodSync(socket, 0o666);
      expect(() => checkSocketTrust(socket)).toThrow(/s\.sock is open to other users \(mode 666; it must be 600\)/);
      chmodSync(socket, 0o600);
      chmodSync(priv, 0o755);
      expect(() => checkSocketTrust(socket)).toThrow(UntrustedSocketError);
      expect(() => checkSocketTrust(socket)).toThrow(/private is open to other users \(mode 755; it must be 700\)/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    writeFileSync(socket, '');
    chmodSync(priv, 0o700);
    expect(() => checkSocketTrust(socket)).toThrow(/is not a socket/);
  });
});
