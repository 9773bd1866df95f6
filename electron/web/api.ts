// The HTTP API: `POST /api/command/:name` (JSON args in, `{ok,result}` / `{ok:false,error}` out) and
// `GET /api/status` (the snapshot). Every argument goes through the contract's `parseCommand`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCommand } from '../../shared/contract';
import type { Supervisor } from '../supervisor/api';
import { sendJson } from './headers';

export const MAX_BODY_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) {
      reject(new HttpError(413, `body larger than ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, `body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

export function isJsonContentType(value: string | undefined): boolean {
  return value != null && value.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** Parse and validate a command request: status codes for every way it can be wrong. */
async function readCommand(req: IncomingMessage, rawName: string): Promise<ReturnType<typeof parseCommand>> {
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new HttpError(415, 'Content-Type must be application/json');
  }
  const body = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
  let args: unknown = {};
  if (body.trim() !== '') {
    try {
      args = JSON.parse(body);
    } catch {
      throw new HttpError(400, 'body is not valid JSON');
    }
  }
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    throw new HttpError(400, 'bad command name');
  }
  try {
    return parseCommand(name, args);
  } catch (error) {
    throw new HttpError(400, errorMessage(error));
  }
}

/** Handle a request under /api/. The caller has already authenticated it. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string, supervisor: Supervisor): Promise<void> {
  if (pathname === '/api/status') {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(res, 405, { ok: false, error: 'method not allowed' });
    }
    return sendJson(res, 200, supervisor.snapshot());
  }
  const match = /^\/api\/command\/([^/]+)$/.exec(pathname);
  if (!match) return sendJson(res, 404, { ok: false, error: 'not found' });
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendJson(res, 405, { ok: false, error: 'method not allowed' });
  }
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = await readCommand(req, match[1]!);
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 400;
    // Close after an oversized body instead of reading the rest of it.
    if (status === 413) res.setHeader('Connection', 'close');
    return sendJson(res, status, { ok: false, error: errorMessage(error) });
  }
  try {
    const result = await supervisor.invoke(parsed.command, parsed.args);
    sendJson(res, 200, { ok: true, result });
  } catch (error) {
    sendJson(res, 500, { ok: false, error: errorMessage(error) });
  }
}
