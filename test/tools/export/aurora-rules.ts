// What Apache Aurora's client and executor do with a job, encoded from their code so tests can apply it
// to an export read by ./aurora-reader.ts. These were checked by hand against the real code (loader,
// thrift convert, executor) on the same stacks; CI cannot run Aurora (Python 2-era, off PyPI).
// - pystachio (naming.py, parsing.py): `{{ref}}` with ref = name(.name|[index])*, no spaces;
// - config/thrift.py convert(): the only refs left unbound may be thermos.ports[...], thermos.task_id,
//   mesos.instance, mesos.hostname;
// - config/__init__.py ports(): allocated = ports referenced by Process cmdlines, plus portmap values
//   that resolve to no number (port_resolver.py);
// - executor/common/task_info.py resolve_ports(): the announce portmap overlaid with the allocated ports;
// - executor/common/health_checker.py: a shell checker if configured, else an HTTP checker of
//   portmap['health'] if there is one, else a no-op;
// - executor/http_lifecycle.py: the lifecycle (default: HTTP on port `health`) runs only when its port
//   is in the portmap;
// - pystachio Integer fields take int(value): a fraction is truncated without a word.
import { isCall, type PyCall, type PyValue } from './aurora-reader';

const REF = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[\w\-./]+\])*$/;
const ALLOWED_UNBOUND = /^(?:thermos\.ports\[[\w\-./]+\]|thermos\.task_id|mesos\.instance|mesos\.hostname)$/;
const PORT_REF = /\{\{thermos\.ports\[([\w\-./]+)\]\}\}/g;

export interface AuroraJobFacts {
  name: string;
  service: boolean;
  instances: number;
  /** Names Aurora asks Mesos to allocate. */
  allocated: string[];
  /** Name -> allocated name, after the announce portmap (as resolve_ports gives the executor). */
  portmap: Record<string, string>;
  checker: { kind: 'none' } | { kind: 'http'; port: string; endpoint: string } | { kind: 'shell'; command: string };
  /** The port the stop endpoints are POSTed to, or null when the executor only signals. */
  lifecyclePort: string | null;
  intervals: { initial_interval_secs: number; interval_secs: number; timeout_secs: number } | null;
  /** What the real loader or executor would refuse, or silently get wrong. */
  problems: string[];
}

const fieldsOf = (v: PyValue | undefined): Record<string, PyValue> => (isCall(v) ? v.fields : {});
const str = (v: PyValue | undefined): string => (typeof v === 'string' ? v : '');

function strings(v: PyValue, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (typeof v === 'object') for (const x of Object.values(isCall(v) ? v.fields : v)) strings(x, out);
  return out;
}

const portRefs = (text: string): string[] => [...text.matchAll(PORT_REF)].map((m) => m[1]!);

/** port_resolver.py: follow aliases until a name that is not a key. */
function resolve(portmap: Record<string, PyValue>, name: string): string {
  const seen = new Set<string>();
  let at = name;
  while (Object.hasOwn(portmap, at) && !seen.has(at)) {
    seen.add(at);
    at = String(portmap[at]);
  }
  return at;
}

export function auroraJobFacts(job: PyCall): AuroraJobFacts {
  const problems: string[] = [];
  const f = job.fields;
  for (const text of strings(job)) {
    for (const m of text.matchAll(/\{\{([^{}]+?)\}\}/g)) {
      if (!REF.test(m[1]!)) problems.push(`pystachio cannot parse ${m[0]}`);
      else if (!ALLOWED_UNBOUND.test(m[1]!)) problems.push(`unbound variable ${m[0]}`);
    }
  }
  const processes = (fieldsOf(f.task).processes ?? []) as PyValue[];
  const cmdlinePorts = new Set(processes.flatMap((p) => portRefs(str(fieldsOf(p).cmdline))));
  // Announcer's defaults: primary_port 'http', portmap {'aurora': '{{primary_port}}'}.
  let aliases: Record<string, PyValue> = {};
  const primary = isCall(f.announce) ? str(f.announce.fields.primary_port) || 'http' : null;
  if (isCall(f.announce)) aliases = (f.announce.fields.portmap as Record<string, PyValue> | undefined) ?? { aurora: primary! };
  // client/config.py _validate_announce_configuration
  for (const v of Object.values(aliases)) if (typeof v === 'number') problems.push('a static port needs a dedicated constraint');
  const allocated = new Set<string>();
  for (const name of cmdlinePorts) allocated.add(resolve(aliases, name));
  for (const name of Object.keys(aliases)) allocated.add(resolve(aliases, name));
  if (primary !== null && !allocated.has(primary) && !Object.hasOwn(aliases, primary)) problems.push(`the announcer's primary port ${primary} is bound by no process`);
  const portmap: Record<string, string> = {};
  for (const name of Object.keys(aliases)) portmap[name] = resolve(aliases, name);
  for (const name of allocated) portmap[name] = name; // the allocated ports win over an alias of the same name

  const hcFields = fieldsOf(f.health_check_config);
  const checkerFields = fieldsOf(hcFields.health_checker);
  let checker: AuroraJobFacts['checker'] = { kind: 'none' };
  if (isCall(checkerFields.shell)) {
    const command = str(checkerFields.shell.fields.shell_command);
    for (const p of portRefs(command)) if (!Object.hasOwn(portmap, p)) problems.push(`the health check's port ${p} is never allocated`);
    checker = { kind: 'shell', command };
  } else if (Object.hasOwn(portmap, 'health')) {
    checker = { kind: 'http', port: portmap.health!, endpoint: str(fieldsOf(checkerFields.http).endpoint) || '/health' };
  } else if (isCall(checkerFields.http)) problems.push('an HTTP check without a port named health: the executor runs a no-op checker');

  const lc = f.lifecycle === undefined ? { http: { call: 'HttpLifecycleConfig', fields: {} } } : fieldsOf(f.lifecycle);
  const lcPort = isCall(lc.http) ? str(lc.http.fields.port) || 'health' : null;
  const lifecyclePort = lcPort !== null && Object.hasOwn(portmap, lcPort) ? portmap[lcPort]! : null;

  const integers: Array<[string, PyValue | undefined]> = [
    ['max_consecutive_failures', hcFields.max_consecutive_failures],
    ['min_consecutive_successes', hcFields.min_consecutive_successes],
    ['max_task_failures', f.max_task_failures],
    ['instances', f.instances],
    ...processes.map((p): [string, PyValue | undefined] => ['min_duration', fieldsOf(p).min_duration]),
    ...(isCall(lc.http) ? (['graceful_shutdown_wait_secs', 'shutdown_wait_secs'] as const).map((k): [string, PyValue | undefined] => [k, fieldsOf(lc.http)[k]]) : []),
  ];
  for (const [name, v] of integers) if (v !== undefined && !Number.isInteger(v)) problems.push(`${name} ${String(v)} is an Integer: pystachio truncates it`);
  const num = (v: PyValue | undefined, dflt: number): number => (typeof v === 'number' ? v : dflt);
  return {
    name: str(f.name),
    service: job.call === 'Service',
    instances: num(f.instances, 1),
    allocated: [...allocated].sort(),
    portmap,
    checker,
    lifecyclePort,
    intervals: isCall(f.health_check_config)
      ? { initial_interval_secs: num(hcFields.initial_interval_secs, 15), interval_secs: num(hcFields.interval_secs, 10), timeout_secs: num(hcFields.timeout_secs, 1) }
      : null,
    problems,
  };
}
