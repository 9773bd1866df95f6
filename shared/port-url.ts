/**
 * The link to a service's port. `localhost`, not 127.0.0.1: browsers and curl try both 127.0.0.1 and
 * ::1 for it, and a service told to listen on "localhost" may be on either (health checks do the same).
 */
export function portUrl(port: number): string {
  return `http://localhost:${port}`;
}
