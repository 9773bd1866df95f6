// Environment a child gets for its ports: PORT (its only port, or the one named `http`) and
// HEARTH_PORT_<NAME> for every port, so programs that read the environment need no templates.
// Values may be port numbers or, for an export that allocates ports elsewhere, the templates that
// stand for them.

export function portEnv(ports: Record<string, number | string>): Record<string, string> {
  const env: Record<string, string> = {};
  const names = Object.keys(ports);
  for (const name of names) env[`HEARTH_PORT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = String(ports[name]);
  const main = names.length === 1 ? names[0] : 'http' in ports ? 'http' : undefined;
  if (main !== undefined) env.PORT = String(ports[main]);
  return env;
}
