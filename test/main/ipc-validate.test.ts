import { describe, expect, it } from 'vitest';
import { validateExternalUrl, validateInvoke, validateSender } from '../../electron/main/ipc-validate';

const built = { appOrigin: 'app://hearth' };
const dev = { ...built, devServerUrl: 'http://localhost:5173' };

describe('validateSender', () => {
  it('accepts our built page (app://hearth) and its hash routes', () => {
    expect(validateSender('app://hearth/index.html', built)).toBe(true);
    expect(validateSender('app://hearth/index.html#/logs', built)).toBe(true);
  });

  it('rejects another host or a port or user on our scheme', () => {
    expect(validateSender('app://evil/index.html', built)).toBe(false);
    expect(validateSender('app://hearth:81/index.html', built)).toBe(false);
    expect(validateSender('app://x@hearth/index.html', built)).toBe(false);
    expect(validateSender('apps://hearth/index.html', built)).toBe(false);
  });

  it('rejects missing, empty and unparsable URLs', () => {
    expect(validateSender(undefined, built)).toBe(false);
    expect(validateSender('', built)).toBe(false);
    expect(validateSender('not a url', built)).toBe(false);
    expect(validateSender('about:blank', built)).toBe(false);
  });

  it('rejects every file:// page, the built one included (the window never loads files)', () => {
    expect(validateSender('file:///opt/Hearth/resources/app.asar/out/renderer/index.html', built)).toBe(false);
    expect(validateSender('file:///tmp/evil.html', built)).toBe(false);
    expect(validateSender('file:///opt/Hearth/resources/app.asar/out/renderer/../../evil.html', built)).toBe(false);
    expect(validateSender('file:///opt/Hearth/resources/app.asar/out/renderer/%2e%2e/evil.html', built)).toBe(false);
    expect(validateSender('file:///opt/Hearth/resources/app.asar/out/renderer-evil/index.html', built)).toBe(false);
    expect(validateSender('file://server/opt/Hearth/resources/app.asar/out/renderer/index.html', built)).toBe(false);
  });

  it('rejects remote pages, and the dev server unless we are in dev mode', () => {
    expect(validateSender('https://evil.example/index.html', built)).toBe(false);
    expect(validateSender('http://localhost:5173/', built)).toBe(false);
    expect(validateSender('http://localhost:5173/', dev)).toBe(true);
    expect(validateSender('http://localhost:5174/', dev)).toBe(false);
    expect(validateSender('http://127.0.0.1:5173/', dev)).toBe(false);
  });

  it('refuses everything when the expectation itself is malformed', () => {
    expect(validateSender('file:///a/index.html', { appOrigin: 'file:///a' })).toBe(false);
    expect(validateSender('http://x/a/', { appOrigin: 'http://x' })).toBe(false);
    expect(validateSender('app://hearth/index.html', { appOrigin: 'not a url' })).toBe(false);
    expect(validateSender('file:///a/index.html', { appOrigin: 'app://hearth', devServerUrl: 'file:///a/' })).toBe(false);
  });
});

describe('validateInvoke', () => {
  const known = new Set(['api', 'web', 'db-migrate']);

  it('accepts well-formed commands on known services', () => {
    expect(validateInvoke('restart', { services: ['api', 'web'] }, known)).toEqual({
      ok: true,
      command: 'restart',
      args: { services: ['api', 'web'] },
    });
    expect(validateInvoke('snooze', { service: 'db-migrate', for_secs: 900 }, known)).toMatchObject({ ok: true });
    expect(validateInvoke('status', {}, known)).toMatchObject({ ok: true, command: 'status' });
    expect(validateInvoke('stop', undefined, known)).toMatchObject({ ok: true, args: {} });
    expect(validateInvoke('logs', { tail: 100 }, known)).toMatchObject({ ok: true });
  });

  it('rejects unknown commands', () => {
    expect(validateInvoke('exec', { cmd: 'ls' }, known)).toMatchObject({ ok: false });
    expect(validateInvoke(42, {}, known)).toMatchObject({ ok: false });
    expect(validateInvoke('__proto__', {}, known)).toMatchObject({ ok: false });
    expect(validateInvoke('toString', {}, known)).toMatchObject({ ok: false });
  });

  it('refuses web_login however it is asked: a window (or a tray item) may never mint web UI logins', () => {
    for (const args of [{}, { page: true }, undefined]) {
      expect(validateInvoke('web_login', args, known)).toEqual({
        ok: false,
        error: 'web_login: only the control socket carries this command (run `hearth open` in a terminal)',
      });
    }
  });

  it('rejects names that are not in the current stack', () => {
    const result = validateInvoke('restart', { services: ['api', 'ghost'] }, known);
    expect(result).toEqual({ ok: false, error: 'restart: no service named "ghost" in this stack' });
    expect(validateInvoke('unsnooze', { service: 'ghost' }, known)).toMatchObject({ ok: false });
    expect(validateInvoke('log_file', { service: 'api' }, new Set())).toMatchObject({ ok: false });
  });

  it('rejects commands and paths in place of a name (schema, before the stack lookup)', () => {
    for (const name of ['rm -rf /', '../etc', '/etc/passwd', 'api; reboot', 'API', '', '-rf']) {
      const result = validateInvoke('restart', { services: [name] }, new Set([name]));
      expect(result, name).toMatchObject({ ok: false });
      expect((result as { error: string }).error).toMatch(/services\.0/);
    }
    expect(validateInvoke('snooze', { service: '../etc' }, new Set(['../etc']))).toMatchObject({ ok: false });
  });

  it('rejects extra fields and wrong types', () => {
    expect(validateInvoke('restart', { services: ['api'], force: true }, known)).toMatchObject({ ok: false });
    expect(validateInvoke('restart', { services: 'api' }, known)).toMatchObject({ ok: false });
    expect(validateInvoke('snooze', { service: 'api', for_secs: '900' }, known)).toMatchObject({ ok: false });
    expect(validateInvoke('snooze', { service: 'api', for_secs: -1 }, known)).toMatchObject({ ok: false });
    expect(validateInvoke('status', [], known)).toMatchObject({ ok: false });
    expect(validateInvoke('status', 'x', known)).toMatchObject({ ok: false });
    expect(validateInvoke('logs', { tail: 1.5 }, known)).toMatchObject({ ok: false });
  });
});

describe('validateExternalUrl', () => {
  const ports = [20001, 20002];

  it('accepts the stack’s own loopback ports with any path', () => {
    expect(validateExternalUrl('http://127.0.0.1:20001', ports)).toEqual({ ok: true, url: 'http://127.0.0.1:20001/' });
    expect(validateExternalUrl('http://localhost:20002/admin?x=1#top', ports)).toMatchObject({ ok: true });
  });

  it('refuses other schemes, hosts and ports', () => {
    for (const url of [
      'file:///etc/passwd',
      'https://evil.example',
      'https://127.0.0.1:20001/',
      'http://evil.example:20001/',
      'http://127.0.0.1:22/',
      'http://127.0.0.1/',
      'http://127.0.0.2:20001/',
      'http://0.0.0.0:20001/',
      'http://[::1]:20001/',
      'http://user:pw@127.0.0.1:20001/',
      'javascript:alert(1)',
      'smb://127.0.0.1:20001/',
      'not a url',
    ]) {
      expect(validateExternalUrl(url, ports), url).toMatchObject({ ok: false });
    }
  });

  it('refuses non-strings and absurdly long input', () => {
    expect(validateExternalUrl(undefined, ports)).toMatchObject({ ok: false });
    expect(validateExternalUrl({ href: 'http://127.0.0.1:20001/' }, ports)).toMatchObject({ ok: false });
    expect(validateExternalUrl(`http://127.0.0.1:20001/${'a'.repeat(3000)}`, ports)).toMatchObject({ ok: false });
  });

  it('refuses everything when the stack has no ports', () => {
    expect(validateExternalUrl('http://127.0.0.1:20001/', [])).toMatchObject({ ok: false });
  });
});
