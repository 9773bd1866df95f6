// What `hearth serve --open` hands the browser: a page in the stack's private `.hearth/` (0700), made
// 0600, that sends the browser on to a one-time login URL. The opener's command line (`xdg-open`,
// `open`, `start`), which every user on the machine can read, then holds only this file's path; the
// code is readable by the developer alone, and dead once the browser has used it. (Jupyter opens its
// notebook server the same way.) A browser that cannot read hidden folders (a snap-confined one) shows
// an error instead; the printed link, with a code of its own, still works.
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createExclusive } from '../supervisor/safe-fs';

export interface LoginPage {
  readonly path: string;
  /** Removes the file (at exit; the code in it is dead by then anyway). */
  remove(): void;
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function loginPageHtml(url: string): string {
  const href = escapeAttr(url);
  return [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${href}">`,
    '<title>Hearth</title>',
    `<p>Opening Hearth… <a href="${href}">continue</a></p>`,
    '',
  ].join('\n');
}

/** Writes the page into `stateDir` (already checked to be the user's own) under an unguessable name. */
export function openLoginPage(stateDir: string, url: string): LoginPage {
  const path = join(stateDir, `login-${randomBytes(8).toString('hex')}.html`);
  if (!createExclusive(path, loginPageHtml(url), 0o600)) throw new Error(`cannot write ${path}: something is already there`);
  return {
    path,
    remove() {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}
