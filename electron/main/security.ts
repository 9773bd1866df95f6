// Window and session hardening, kept out of the Electron entry so each rule is asserted by a test.
// Only TYPES come from 'electron' here (erased at build time); the functions take the objects they
// harden as parameters, so tests pass small fakes.
import type { WebPreferences } from 'electron';
import { SPEEDSCOPE_POLICY } from '../../shared/speedscope-policy';

/**
 * The renderer gets no Node, runs sandboxed and isolated from the preload, and talks to the main
 * process only through `window.hearth` (see electron/preload). Everything that widens that is off.
 */
export function secureWebPreferences(preload: string, opts: { devTools: boolean }): WebPreferences {
  return {
    preload,
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
    // Middle-click (auxclick) on a link must not try to open anything; window.open is denied anyway.
    disableBlinkFeatures: 'Auxclick',
    safeDialogs: true,
    // The spellchecker downloads dictionaries from a Google CDN on Linux/Windows; Hearth needs none.
    spellcheck: false,
    devTools: opts.devTools,
  };
}

/**
 * Content-Security-Policy for the window. The built app only loads its own files. The dev server
 * additionally needs its origin, its HMR websocket, and inline styles/scripts injected by Vite.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    const ws = origin.replace(/^http/, 'ws');
    return [
      "default-src 'none'",
      `script-src 'self' 'unsafe-inline' ${origin}`,
      `style-src 'self' 'unsafe-inline' ${origin}`,
      `img-src 'self' data: ${origin}`,
      `font-src 'self' data: ${origin}`,
      `connect-src 'self' ${origin} ${ws}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ].join('; ');
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    // The flame graph: speedscope's page, shipped beside ours (see speedscopePolicy).
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** speedscope's page in its frame: see shared/speedscope-policy.ts. */
export function speedscopePolicy(): string {
  return SPEEDSCOPE_POLICY;
}

/** The policy for a response: speedscope's files get theirs, everything else the window's. */
export function policyFor(url: string, csp: string): string {
  try {
    return /\/speedscope\/[^/]+$/.test(new URL(url).pathname) ? speedscopePolicy() : csp;
  } catch {
    return csp;
  }
}

/** Response headers with our CSP replacing any the response carried (header names are case-insensitive). */
export function withCspHeader(headers: Record<string, string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

/** Navigation is allowed only within the same document (hash change of the page we loaded). */
export function isSamePageNavigation(currentUrl: string, targetUrl: string): boolean {
  try {
    const current = new URL(currentUrl);
    const target = new URL(targetUrl);
    current.hash = '';
    target.hash = '';
    return current.href === target.href;
  } catch {
    return false;
  }
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of WebContents that hardening touches. */
export interface HardenableContents {
  getURL(): string;
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Applied to every webContents the app creates: no navigating away, no redirects off the page,
 * no popups (links to a service go through the validated openExternal IPC), no <webview>.
 */
export function hardenContents(contents: HardenableContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isSamePageNavigation(contents.getURL(), url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isSamePageNavigation(contents.getURL(), url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The parts of Session that hardening touches. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

/** Deny every permission (camera, notifications-from-page, geolocation…) and enforce the CSP. */
export function hardenSession(session: HardenableSession, csp: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders, policyFor(details.url, csp)) });
  });
}
