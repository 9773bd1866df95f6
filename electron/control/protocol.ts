// Control-socket framing: newline-delimited JSON. Uses ClientFrame/ServerFrame from the shared contract
// plus two frames local to this socket: `hello` (sent by the server on connect, so a client can say whom
// it talks to and `hearth down` can wait for that pid) and `error` (a frame that could not be
// understood at all, so there is no id to answer).
import type { ServerFrame } from '../../shared/contract';

export const CONTROL_PROTOCOL_VERSION = 1;

export interface HelloFrame {
  type: 'hello';
  protocol: number;
  pid: number;
  /** Absolute path of the stack file the instance runs. */
  file: string;
}
export interface ErrorFrame {
  type: 'error';
  error: string;
}
export type ControlServerFrame = ServerFrame | HelloFrame | ErrorFrame;

/** Longest line a server accepts from a client. Commands are tiny; this only stops abuse. */
export const MAX_CLIENT_LINE_BYTES = 1024 * 1024;
/** Longest line a client accepts: snapshots carry a log tail and can be large. */
export const MAX_SERVER_LINE_BYTES = 256 * 1024 * 1024;

export function encodeFrame(frame: unknown): string {
  return `${JSON.stringify(frame)}\n`;
}

/**
 * Splits a byte stream into lines. A line longer than `maxBytes` is reported once through
 * `onOverflow` and skipped up to its newline, so the stream resynchronises instead of dying.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.append(chunk.subarray(start));
        return;
      }
      this.append(chunk.subarray(start, nl));
      start = nl + 1;
      if (this.discarding) {
        this.discarding = false;
      } else {
        const line = Buffer.concat(this.parts, this.size).toString('utf8');
        this.parts = [];
        this.size = 0;
        if (line.trim() !== '') this.onLine(line);
      }
    }
  }

  private append(piece: Buffer): void {
    if (this.discarding || piece.length === 0) return;
    if (this.size + piece.length > this.maxBytes) {
      this.parts = [];
      this.size = 0;
      this.discarding = true;
      this.onOverflow();
      return;
    }
    this.parts.push(piece);
    this.size += piece.length;
  }
}
