import net from 'node:net';

/** Whether ::1 exists here (IPv6 can be off in containers): tests of ::1-only servers skip, loudly, when not. */
export function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(0, '::1', () => srv.close(() => resolve(true)));
  });
}

/** Listens on `host` (port 0 = any free port), resolving with the port. */
export function listenOn(srv: net.Server, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, host, () => resolve((srv.address() as net.AddressInfo).port));
  });
}
