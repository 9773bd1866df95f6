// The page `serve --open` hands the browser: private, unguessably named, and a plain redirect.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loginPageHtml, openLoginPage } from '../../electron/web/login-page';
import { testTempDir } from '../helpers/temp-dir';

describe('the --open login page', () => {
  it('is written 0600 under a random name, redirects to the link, and is removed', () => {
    const dir = testTempDir();
    const url = 'http://127.0.0.1:4321/#code=abc';
    const a = openLoginPage(dir, url);
    const b = openLoginPage(dir, url);
    expect(a.path).not.toBe(b.path);
    expect(a.path).toMatch(/\/login-[0-9a-f]{16}\.html$/);
    expect(statSync(a.path).mode & 0o777).toBe(0o600);
    const html = readFileSync(a.path, 'utf8');
    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${url}">`);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
    a.remove();
    b.remove();
    a.remove(); // idempotent
    expect(readdirSync(dir)).toEqual([]);
  });

  it('escapes what it puts in attributes', () => {
    expect(loginPageHtml('http://x/"><script>&')).toContain('content="0;url=http://x/&quot;>&lt;script>&amp;"');
  });
});
