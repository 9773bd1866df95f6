import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  hardenContents,
  hardenSession,
  speedscopePolicy,
  isSamePageNavigation,
  secureWebPreferences,
  withCspHeader,
  type HardenableContents,
  type HardenableSession,
} from '../../electron/main/security';

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer with no Node and no escape hatches', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs', { devTools: false });
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only our own scripts in a built app', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect(csp).not.toContain('http');
  });

  it('adds only the dev server origin and its websocket in dev mode', () => {
    const csp = contentSecurityPolicy('http://localhost:5173/');
    expect(csp).toContain("script-src 'self' 'unsafe-inline' http://localhost:5173;");
    expect(csp).toContain('connect-src \'self\' http://localhost:5173 ws://localhost:5173');
    expect(csp).not.toContain('*');
  });

  it('replaces whatever CSP a response carried', () => {
    expect(withCspHeader({ 'content-security-policy': ['default-src *'], 'X-A': ['1'] }, "script-src 'self'")).toEqual({
      'X-A': ['1'],
      'Content-Security-Policy': ["script-src 'self'"],
    });
    expect(withCspHeader(undefined, 'x')).toEqual({ 'Content-Security-Policy': ['x'] });
  });
});

describe('isSamePageNavigation', () => {
  const page = 'file:///app/out/renderer/index.html#/services';
  it('allows hash changes only', () => {
    expect(isSamePageNavigation(page, 'file:///app/out/renderer/index.html#/logs')).toBe(true);
    expect(isSamePageNavigation(page, 'file:///app/out/renderer/other.html')).toBe(false);
    expect(isSamePageNavigation(page, 'https://evil.example/')).toBe(false);
    expect(isSamePageNavigation(page, 'http://127.0.0.1:20001/')).toBe(false);
    expect(isSamePageNavigation(page, 'garbage')).toBe(false);
  });
});

/** A fake WebContents recording the handlers hardening installs. */
function fakeContents(url: string) {
  const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
  const contents: HardenableContents = {
    getURL: () => url,
    on: (event: string, listener: (event: { preventDefault(): void }, url: string) => void) => {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler: (h) => {
      openHandler = h;
    },
  };
  const fire = (event: string, target?: string) => {
    let prevented = false;
    const listener = listeners.get(event);
    if (!listener) throw new Error(`no ${event} listener`);
    listener({ preventDefault: () => (prevented = true) }, target ?? '');
    return prevented;
  };
  return { contents, fire, open: (u: string) => openHandler?.({ url: u }) };
}

describe('hardenContents', () => {
  it('blocks navigation away, redirects, webviews and popups', () => {
    const fake = fakeContents('file:///app/out/renderer/index.html');
    hardenContents(fake.contents);
    expect(fake.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fake.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fake.fire('will-navigate', 'file:///app/out/renderer/index.html#/x')).toBe(false);
    expect(fake.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fake.fire('will-attach-webview')).toBe(true);
    expect(fake.open('http://127.0.0.1:20001/')).toEqual({ action: 'deny' });
  });
});

describe('hardenSession', () => {
  it('denies every permission and sets the CSP on responses', () => {
    let request: Parameters<HardenableSession['setPermissionRequestHandler']>[0] | undefined;
    let check: Parameters<HardenableSession['setPermissionCheckHandler']>[0] | undefined;
    let headers: Parameters<HardenableSession['webRequest']['onHeadersReceived']>[0] | undefined;
    hardenSession(
      {
        setPermissionRequestHandler: (h) => (request = h),
        setPermissionCheckHandler: (h) => (check = h),
        webRequest: { onHeadersReceived: (l) => (headers = l) },
      },
      "script-src 'self'",
    );
    const grants: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      request?.({}, permission, (granted) => grants.push(granted));
      expect(check?.({}, permission)).toBe(false);
    }
    expect(grants).toEqual([false, false, false, false, false]);
    let response: { responseHeaders: Record<string, string[]> } | undefined;
    headers?.({ url: 'file:///app/out/renderer/index.html', responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (response = r));
    expect(response?.responseHeaders).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["script-src 'self'"] });
    // speedscope's page (the flame graph frame) gets its own policy: inline styles, no fetch but blob:.
    headers?.({ url: 'file:///app/out/renderer/speedscope/index.html', responseHeaders: {} }, (r) => (response = r));
    expect(response?.responseHeaders['Content-Security-Policy']).toEqual([speedscopePolicy()]);
    expect(speedscopePolicy()).toContain('connect-src blob:');
  });
});
