// "localhost" is two addresses. A service may listen on 127.0.0.1, on ::1 only, or on both: Node 17+
// binds `listen(port, 'localhost')` to the first address localhost resolves to, which is ::1 where
// /etc/hosts lists it first (macOS does). Aurora's checker calls http://localhost:PORT and so
// reaches either; Hearth must too, or a healthy service is killed for failing its checks. Without a
// DNS lookup per check: the address that answered this port last is tried first, then the other one
// when the first says nothing listens there.

export type LoopbackAddress = '127.0.0.1' | '::1';

/** Connect errors meaning "nothing listens on this address" (or the address does not exist here). */
const ABSENT = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'ENETUNREACH']);

export function isAbsentError(error: unknown): boolean {
  return ABSENT.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** `host:port` as it goes into a URL or a message: [::1]:8080. */
export function hostPort(host: LoopbackAddress, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Ports last reached on ::1; any other port is tried on 127.0.0.1 first. */
const onV6 = new Set<number>();

/**
 * Runs `attempt` against the loopback address `port` was last reached on; if nothing listens there,
 * against the other one. When neither answers, the first attempt's result stands (its error is the
 * one to report). `absent` tells an attempt that found nothing listening from any other outcome.
 */
export async function onLoopback<T>(port: number, attempt: (host: LoopbackAddress) => Promise<T>, absent: (result: T) => boolean): Promise<T> {
  const first: LoopbackAddress = onV6.has(port) ? '::1' : '127.0.0.1';
  const result = await attempt(first);
  if (!absent(result)) return result;
  const other: LoopbackAddress = first === '::1' ? '127.0.0.1' : '::1';
  const second = await attempt(other);
  if (absent(second)) return result;
  if (other === '::1') onV6.add(port);
  else onV6.delete(port);
  return second;
}
