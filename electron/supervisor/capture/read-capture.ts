// A capture's content for a UI's flame graph or text view (`capture_read`): only the formats a UI shows,
// and never more than a bounded size (a core dump or heap snapshot is opened with its own tool).
import { readFile } from 'node:fs/promises';
import type { CommandResults } from '../../../shared/contract';
import type { CaptureInfo } from '../../../shared/types';

export const MAX_READ_BYTES = 64 * 1024 * 1024;

export async function readCapture(captures: readonly CaptureInfo[], name: string): Promise<CommandResults['capture_read']> {
  const capture = captures.find((c) => c.name === name);
  if (!capture) throw new Error(`no capture named ${name}`);
  if (capture.format === 'core' || capture.format === 'heapsnapshot') throw new Error(`${name} is opened outside Hearth: ${capture.open_with}`);
  if (capture.bytes > MAX_READ_BYTES) throw new Error(`${name} is ${capture.bytes} bytes, more than a UI reads (${MAX_READ_BYTES}): open it with ${capture.open_with}`);
  const data = await readFile(capture.file);
  return capture.format === 'pprof'
    ? { capture, encoding: 'base64', data: data.toString('base64') }
    : { capture, encoding: 'utf8', data: data.toString('utf8') };
}
