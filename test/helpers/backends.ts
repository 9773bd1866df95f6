// The process backends that run on this machine (Linux with procps): the process suites run over each,
// with /proc (test/helpers/proc.ts) as the independent judge of what is left. The windows backend cannot
// run here (its parsers are unit-tested on recorded output); `none` has a suite of its own.
import { linuxPlatform } from '../../electron/supervisor/process/platform/linux';
import { posixPsPlatform } from '../../electron/supervisor/process/platform/posix-ps';
import type { BackendName, ProcessPlatform } from '../../electron/supervisor/process/platform/types';

export const TABLE_BACKENDS: ReadonlyArray<[BackendName, ProcessPlatform]> = [
  ['linux', linuxPlatform()],
  ['posix-ps', posixPsPlatform()],
];
