// How probe failures read in a check's detail (the UI and `hearth status` show it as is).

/** 1500 -> "1.5s". */
export function secs(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** A socket error as a few words: the common ones by name, the rest by their message. */
export function errorDetail(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  return error instanceof Error ? error.message : String(error);
}
