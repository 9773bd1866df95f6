// POST /api/session: a one-time login code in, a session token out (auth.ts has the why). GET with
// the session in `Authorization: Bearer` says whether it is still good: the page asks after its socket
// was refused, to tell "hearth serve was restarted, log in again" from "it is not answering".
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage, HttpError, isJsonContentType, readBody } from './api';
import { presentedSession, type Logins } from './auth';
import { sendJson } from './headers';

/** What `hearth serve` says about logins: a code used a second time means someone else may have it. */
export type LoginEvent = { kind: 'login' } | { kind: 'reused' };

/** Where a new link comes from, said on every refusal. */
const NEW_LINK = 'For a new link, run `hearth open` (or press Enter where `hearth serve` runs).';

export const USED_CODE_MESSAGE =
  'This login link was already used. Each link logs in once; if it was not you who used it, someone else may have: ' +
  `stop hearth (\`hearth down\`, or Ctrl-C where \`hearth serve\` runs) and start it again. ${NEW_LINK}`;

function lifetime(ms: number): string {
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} minutes`;
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export function expiredCodeMessage(ttlMs: number): string {
  return `This login link expired: a link is good for ${lifetime(ttlMs)}. ${NEW_LINK}`;
}

export const UNKNOWN_CODE_MESSAGE = `unknown login code (was hearth restarted?). ${NEW_LINK}`;

const MAX_LOGIN_BODY_BYTES = 1024;

export async function handleLogin(req: IncomingMessage, res: ServerResponse, logins: Logins, onLogin?: (event: LoginEvent) => void): Promise<void> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const live = logins.isSession(presentedSession(req.headers));
    return sendJson(res, live ? 200 : 401, live ? { ok: true } : { ok: false, error: 'no such session (hearth serve was restarted?)' });
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'GET, HEAD, POST');
    return sendJson(res, 405, { ok: false, error: 'method not allowed' });
  }
  let code: unknown;
  try {
    if (!isJsonContentType(req.headers['content-type'])) throw new HttpError(415, 'Content-Type must be application/json');
    const body = (await readBody(req, MAX_LOGIN_BODY_BYTES)).toString('utf8');
    try {
      code = (JSON.parse(body) as { code?: unknown } | null)?.code;
    } catch {
      throw new HttpError(400, 'body is not valid JSON');
    }
  } catch (error) {
    if (error instanceof HttpError && error.status === 413) res.setHeader('Connection', 'close');
    return sendJson(res, error instanceof HttpError ? error.status : 400, { ok: false, error: errorMessage(error) });
  }
  const result = logins.exchange(code);
  if (result.ok) {
    onLogin?.({ kind: 'login' });
    return sendJson(res, 200, { ok: true, session: result.session });
  }
  if (result.reason === 'used') {
    onLogin?.({ kind: 'reused' });
    return sendJson(res, 403, { ok: false, used: true, error: USED_CODE_MESSAGE });
  }
  if (result.reason === 'expired') return sendJson(res, 403, { ok: false, expired: true, error: expiredCodeMessage(logins.codeTtlMs) });
  return sendJson(res, 403, { ok: false, error: UNKNOWN_CODE_MESSAGE });
}
