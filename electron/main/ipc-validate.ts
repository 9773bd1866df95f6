// Every message that crosses from the renderer into the main process is checked here, in plain
// TypeScript with no Electron import, so each rule is unit-tested under Node.
//
// Three questions, asked in this order by ipc-main.ts:
//   1. Did the message come from our own page (top frame, our file:// bundle or the dev server)?
//   2. Is it a known command with well-formed arguments, naming only services of the current stack?
//   3. For "open in browser": is the URL one of this stack's own loopback ports?
import { parseCommand, type CommandArgs, type CommandName } from '../../shared/contract';

export interface SenderExpectation {
  /** Origin of the Vite dev server while developing (ELECTRON_RENDERER_URL); absent in a built app. */
  devServerUrl?: string;
  /** file:// URL of the folder holding the built renderer, ending in '/'. */
  /** Origin of the built page (app://hearth): the only other sender accepted. */
  appOrigin: string;
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * True only for our own page. The caller passes the URL of the frame that sent the message and must
 * already have rejected sub-frames (ipc-main.ts checks `senderFrame.parent === null`).
 * URLs are compared after parsing, so `..` segments and `%2e%2e` cannot climb out of the bundle folder.
 */
export function validateSender(frameUrl: string | undefined, expected: SenderExpectation): boolean {
  if (typeof frameUrl !== 'string' || frameUrl === '') return false;
  const url = parseUrl(frameUrl);
  if (!url) return false;

  if (expected.devServerUrl) {
    const dev = parseUrl(expected.devServerUrl);
    if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && url.origin === dev.origin) return true;
  }

  // The built page is served from app://hearth (app-protocol.ts); file:// pages are never ours.
  const app = parseUrl(expected.appOrigin);
  if (!app || app.protocol === 'file:' || app.protocol === 'http:' || app.protocol === 'https:' || app.host === '') return false;
  if (/%2e|%2f|%5c/i.test(url.pathname)) return false;
  return url.protocol === app.protocol && url.host === app.host && url.username === '' && url.password === '' && url.port === '';
}

export type InvokeValidation =
  | { ok: true; command: CommandName; args: CommandArgs<CommandName> }
  | { ok: false; error: string };

/** Service names an (already schema-checked) argument object refers to. */
export function servicesNamedIn(args: Record<string, unknown>): string[] {
  const names: string[] = [];
  if (Array.isArray(args.services)) for (const s of args.services) if (typeof s === 'string') names.push(s);
  if (typeof args.service === 'string') names.push(args.service);
  return names;
}

/**
 * Schema-check a command from the renderer (unknown command, wrong types, extra fields and
 * non-name strings such as `rm -rf /` or `../etc` are all rejected by the shared zod schemas),
 * then require every named service to exist in the stack that is open right now.
 */
export function validateInvoke(command: unknown, args: unknown, knownServices: ReadonlySet<string>): InvokeValidation {
  let parsed: { command: CommandName; args: CommandArgs<CommandName> };
  try {
    parsed = parseCommand(command, args);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const unknown = servicesNamedIn(parsed.args as Record<string, unknown>).filter((name) => !knownServices.has(name));
  if (unknown.length > 0) {
    return { ok: false, error: `${parsed.command}: no service named ${unknown.map((n) => JSON.stringify(n)).join(', ')} in this stack` };
  }
  return { ok: true, command: parsed.command, args: parsed.args };
}

export type ExternalUrlValidation = { ok: true; url: string } | { ok: false; error: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * Only `http://127.0.0.1:PORT/...` or `http://localhost:PORT/...` where PORT is one the stack itself
 * allocated. Anything else (file:, https://elsewhere, other local ports, credentials in the URL) is
 * refused, so a compromised page cannot use the OS browser as a launcher.
 */
export function validateExternalUrl(url: unknown, stackPorts: readonly number[]): ExternalUrlValidation {
  if (typeof url !== 'string' || url.length > 2048) return { ok: false, error: 'not a URL' };
  const parsed = parseUrl(url);
  if (!parsed) return { ok: false, error: 'not a URL' };
  if (parsed.protocol !== 'http:') return { ok: false, error: `refusing ${parsed.protocol} URL` };
  if (!LOOPBACK_HOSTS.has(parsed.hostname)) return { ok: false, error: `refusing host ${parsed.hostname}` };
  if (parsed.username || parsed.password) return { ok: false, error: 'refusing URL with credentials' };
  // URL drops a default port (80), so "" means 80 here; the stack never allocates 80 in practice.
  const port = Number(parsed.port || '80');
  if (!stackPorts.includes(port)) return { ok: false, error: `port ${port} does not belong to this stack` };
  return { ok: true, url: parsed.href };
}
