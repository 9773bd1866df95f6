// A realistic fake stack for the dev harness page (screenshots, manual poking): an in-memory
// HearthApi whose commands change the fake services, so clicks visibly do something.
import type { CommandArgs, CommandName, CommandResult, EventName, HearthApi, HearthEvents, Unsubscribe } from '../../shared/contract';
import type { HealthCheckRecord, HealthRun, HealthView, LogLine, ServiceResources, ServiceStatus, StackSnapshot } from '../../shared/types';

const ESC = '\u001b';
const c = (code: number, s: string) => `${ESC}[${code}m${s}${ESC}[0m`;

function history(now: number, pattern: string, every = 5000): HealthCheckRecord[] {
  const map: Record<string, HealthCheckRecord['result']> = { s: 'success', f: 'failure', i: 'ignored', z: 'snoozed' };
  return [...pattern].map((ch, i) => ({
    at: now - (pattern.length - i) * every,
    result: map[ch] ?? 'success',
    detail: ch === 'f' ? 'HTTP 503' : undefined,
  }));
}

function healthView(over: Partial<HealthView>, target: string): HealthView {
  return {
    status: 'healthy', consecutive_successes: 0, consecutive_failures: 0, checks: 0, phase: 'running',
    grace_checks: 3, start_deadline_checks: 7, history: [],
    settings: { kind: 'http', target, initial_interval_secs: 15, interval_secs: 5, max_consecutive_failures: 3, min_consecutive_successes: 2, timeout_secs: 1 },
    ...over,
  };
}

const MiB = 1024 * 1024;

/**
 * api's current run as the timeline draws it: 1 s checks, grace m = 3, start deadline n = 6, healthy at the
 * first check, a CPU capture (and its snooze) from 9 s to 18 s, one slow check after it.
 */
export function fakeHealthRun(now: number): HealthRun {
  const start = now - 31_000;
  const probes = Array.from({ length: 28 }, (_, i) => {
    const due = start + 1000 + i * 1080;
    const at = due + 200;
    const snoozed = at >= start + 9000 && at <= start + 18_000;
    return { at, due, result: snoozed ? ('snoozed' as const) : ('success' as const), latency_ms: snoozed ? null : i === 0 ? 65 : i === 19 ? 31 : 3 + ((i * 7) % 18), failures: 0, successes: i + 1 };
  });
  return {
    run: 1, started_at: start, ended_at: null, reason: 'initial', interval_secs: 1, initial_interval_secs: 1, grace_checks: 3,
    start_deadline_checks: 6, max_consecutive_failures: 2, min_consecutive_successes: 1, probes, dropped_probes: 0,
    events: [{ at: start, kind: 'started', detail: 'initial' }, { at: start + 1200, kind: 'healthy' }],
    windows: [
      { kind: 'capture', from: start + 9000, to: start + 18_000, detail: 'cpu (node-inspector)' },
      { kind: 'snooze', from: start + 9000, to: start + 18_000, detail: 'capture' },
    ],
  };
}

/** 60 samples, 2 s apart: a CPU wave with bursts and memory that grows (or leaks) from `rssMiB`. */
function fakeResources(now: number, opts: { cpu: number; rssMiB: number; growMiB: number; limitMiB?: number; seed: number }): ServiceResources {
  const history = Array.from({ length: 60 }, (_, i) => {
    const wave = Math.sin((i + opts.seed) / 4) * 0.5 + 0.5;
    const burst = (i * 7 + opts.seed) % 13 === 0 ? 2.2 : 1;
    return {
      at: now - (60 - i) * 2000,
      cpu_percent: Math.round(opts.cpu * (0.3 + wave) * burst * 10) / 10,
      rss_bytes: Math.round((opts.rssMiB + (opts.growMiB * i) / 59 + wave * 6) * MiB),
    };
  });
  const last = history[history.length - 1]!;
  const limit = opts.limitMiB === undefined ? null : opts.limitMiB * MiB;
  return { cpu_percent: last.cpu_percent, rss_bytes: last.rss_bytes, history, ram_limit_bytes: limit, over_ram: limit !== null && last.rss_bytes > limit };
}

export function fakeServices(now: number): ServiceStatus[] {
  const base = {
    restarts: 0, ports: {}, snoozed: false, snoozed_since: null, snooze_until: null, service: true, depends_on: [],
    next_attempt_at: null, backoff_ms: 0, flaps: 0, failures: 0, max_failures: 1, last_exit: null,
    last_restart_reason: 'initial' as const, error: null, run: 1,
  };
  return [
    {
      ...base, name: 'api', state: 'RUNNING', pid: 48211, restarts: 1, ports: { http: 20001, admin: 20002 },
      sandbox: '/home/dev/shop/.hearth/sandboxes/api', started_at: now - (2 * 3600 + 14 * 60) * 1000,
      last_restart_reason: 'file-changed', last_restart_detail: 'src/routes/orders.ts', depends_on: ['db'], run: 2,
      cmd: 'node server.js --port 20001 --admin 20002',
      resources: fakeResources(now, { cpu: 14, rssMiB: 180, growMiB: 40, limitMiB: 512, seed: 1 }),
      health: healthView({
        consecutive_successes: 31, checks: 1580,
        history: history(now, 'sssssssssffsssssssssssssssssssssssssssss'),
      }, 'GET http://localhost:20001/health'),
    },
    {
      ...base, name: 'worker', state: 'RUNNING', pid: 48230, sandbox: '/home/dev/shop/.hearth/sandboxes/worker',
      started_at: now - 3 * 3600 * 1000, snoozed: true, snoozed_since: now - 47 * 60_000,
      cmd: 'python -m worker --queue default',
      resources: fakeResources(now, { cpu: 35, rssMiB: 470, growMiB: 130, limitMiB: 512, seed: 5 }),
      health: healthView({
        status: 'snoozed', consecutive_successes: 12, checks: 900,
        history: history(now, 'ssssssssssssssssssssszzzzzzzzzzzzzzzzzzz', 10_000),
      }, 'sh: ./bin/worker-ping'),
    },
    {
      ...base, name: 'flaky', state: 'RESTARTING', pid: null, restarts: 7, flaps: 3, backoff_ms: 8000,
      sandbox: '/home/dev/shop/.hearth/sandboxes/flaky', started_at: null, next_attempt_at: now + 4_000,
      last_exit: { code: 1, signal: null, at: now - 4_000 }, last_restart_reason: 'exited', run: 8,
      cmd: 'ruby flaky.rb', ports: { http: 20005 },
      health: healthView({ status: 'unknown', phase: 'idle', history: history(now, 'iiissif') }, 'tcp localhost:20005'),
    },
    {
      ...base, name: 'migrate', state: 'FINISHED', pid: null, service: false, max_failures: 3,
      sandbox: '/home/dev/shop/.hearth/sandboxes/migrate', started_at: null,
      last_exit: { code: 0, signal: null, at: now - 2 * 3600 * 1000 }, cmd: 'npm run migrate',
      health: { ...healthView({ status: 'none', phase: 'idle' }, ''), settings: null },
    },
  ];
}

const PATHS = ['/api/orders', '/api/cart', '/health', '/api/users/42', '/static/app.js', '/api/search?q=lamp'];

export function fakeLogs(now: number, count: number, startSeq = 1): LogLine[] {
  const out: LogLine[] = [];
  let seq = startSeq;
  const t0 = now - count * 40;
  const push = (service: string, text: string, stream: LogLine['stream'] = 'stdout', run = 1) =>
    out.push({ seq: seq++, service, run, ts: t0 + out.length * 40, stream, text });
  for (let i = 0; out.length < count; i++) {
    const k = i % 23;
    if (k < 12) {
      const status = i % 37 === 0 ? 500 : i % 11 === 0 ? 404 : 200;
      const col = status >= 500 ? 31 : status >= 400 ? 33 : 32;
      push('api', `${c(2, new Date(t0 + i * 40).toISOString())} ${c(1, 'GET')} ${PATHS[i % PATHS.length]} ${c(col, String(status))} ${(i * 7) % 90 + 3}ms`, 'stdout', 2);
    } else if (k < 17) {
      push('worker', `${c(36, '[worker]')} processed job #${1000 + i} (${c(35, 'email.send')}) in ${(i * 13) % 400}ms`);
    } else if (k < 20) {
      push('flaky', i % 2 ? `${c(31, 'Error')}: connection to redis://127.0.0.1:6390 refused` : `  from flaky.rb:${10 + (i % 30)}:in \`connect'`, 'stderr', 8);
    } else if (k === 20) {
      push('flaky', 'exited with code 1 after 1.2s; restarting in 8s (crash loop: 3 quick exits)', 'system', 8);
    } else {
      push('migrate', `migrating ${c(1, '0%')}\rmigrating 40%\rmigrating ${c(32, '100%')} — ${i} rows`);
    }
  }
  return out;
}

export interface FakeStackOptions {
  lines?: number;
  configErrors?: boolean;
  disconnected?: boolean;
  /** Emit fresh log lines continuously (lines per second). */
  liveRate?: number;
  /** This service is being killed for failing its health checks (STOPPING, stop_reason 'unhealthy'). */
  killing?: string;
}

export function createFakeHost(options: FakeStackOptions = {}): HearthApi {
  const now = Date.now();
  const services = new Map(fakeServices(now).map((s) => [s.name, s]));
  const killed = options.killing ? services.get(options.killing) : undefined;
  if (killed) services.set(killed.name, { ...killed, state: 'STOPPING', stop_reason: 'unhealthy', health: { ...killed.health, status: 'unhealthy', consecutive_failures: 3 } });
  let logs = fakeLogs(now, options.lines ?? 2000);
  let seq = (logs[logs.length - 1]?.seq ?? 0) + 1;
  const listeners = new Map<EventName, Set<(p: never) => void>>();
  const emit = <E extends EventName>(event: E, payload: HearthEvents[E]) => {
    for (const l of listeners.get(event) ?? []) (l as (p: HearthEvents[E]) => void)(payload);
  };
  const stack = {
    name: 'shop', file: '/home/dev/shop/hearth.yaml', dir: '/home/dev/shop', loaded_at: now - 3 * 3600_000, snooze_warn_after_secs: 1800,
    config_errors: options.configErrors
      ? [
          { file: 'hearth.yaml', line: 14, col: 7, path: 'services.api.health_check.interval_secs', message: 'expected a positive number, got "5s"' },
          { file: 'hearth.yaml', line: 31, col: 5, path: 'services.worker.depends_on', message: 'unknown service "reddis" (did you mean "redis"?)' },
        ]
      : [],
  };
  const snapshot = (): StackSnapshot => ({ stack, services: [...services.values()], logs, now: Date.now() });
  const update = (name: string, patch: Partial<ServiceStatus>) => {
    const s = services.get(name);
    if (!s) return;
    const next = { ...s, ...patch };
    services.set(name, next);
    emit('service', next);
  };
  const system = (service: string, text: string) => {
    const line: LogLine = { seq: seq++, service, run: services.get(service)?.run ?? 0, ts: Date.now(), stream: 'system', text };
    logs = [...logs, line];
    emit('logs', { lines: [line] });
  };
  const names = (a: { services?: string[] }) => (a.services?.length ? a.services : [...services.keys()]);
  const handlers: { [C in CommandName]: (args: CommandArgs<C>) => CommandResult<C> } = {
    start: (a) => {
      for (const n of names(a)) {
        update(n, { state: 'RUNNING', pid: 50000 + Math.floor(Math.random() * 9000), started_at: Date.now(), last_restart_reason: 'manual' });
        system(n, 'started by request');
      }
      return { services: names(a) };
    },
    stop: (a) => {
      for (const n of names(a)) {
        update(n, { state: 'STOPPED', pid: null, started_at: null, last_exit: { code: null, signal: 'SIGTERM', at: Date.now() } });
        system(n, 'stopped (SIGTERM)');
      }
      return { services: names(a) };
    },
    restart: (a) => {
      for (const n of names(a)) {
        const s = services.get(n);
        update(n, { state: 'RUNNING', restarts: (s?.restarts ?? 0) + 1, run: (s?.run ?? 0) + 1, started_at: Date.now(), last_restart_reason: 'manual' });
        system(n, 'restarted by request');
      }
      return { services: names(a) };
    },
    snooze: (a) => {
      const until = a.for_secs ? Date.now() + a.for_secs * 1000 : null;
      update(a.service, { snoozed: true, snoozed_since: Date.now(), snooze_until: until });
      system(a.service, `health checks snoozed${a.for_secs ? ` for ${a.for_secs}s` : ''}`);
      return { service: a.service, until };
    },
    unsnooze: (a) => {
      update(a.service, { snoozed: false, snoozed_since: null, snooze_until: null });
      system(a.service, 'health checks resumed');
      return { service: a.service };
    },
    input: (a) => ({ service: a.service, bytes: a.data.length }),
    signal: (a) => ({ sent: a.services.flatMap((name) => (services.get(name)?.pid ? [{ service: name, pid: services.get(name)!.pid! }] : [])) }),
    reload: () => ({ ok: stack.config_errors.length === 0, errors: stack.config_errors, added: [], removed: [], changed: [] }),
    clear_logs: (a) => {
      logs = a.service ? logs.filter((l) => l.service !== a.service) : [];
      emit('logs_cleared', { service: a.service ?? null });
      return { cleared: a.service ? [a.service] : [...services.keys()] };
    },
    logs: (a) => ({ lines: logs.filter((l) => !a.service || l.service === a.service).slice(-(a.tail ?? 1000)), partial: [] }),
    status: () => snapshot(),
    log_file: (a) => ({ path: `/home/dev/shop/.hearth/logs/${a.service}.log` }),
    capture: () => {
      throw new Error('the dev harness takes no captures (run hearth serve for that)');
    },
    capture_cancel: (a) => ({ service: a.service, cancelled: false }),
    capture_tools: (a) => ({ service: a.service, pid: services.get(a.service)?.pid ?? null, runtime: 'node', methods: [] }),
    captures: (a) => ({ service: a.service, captures: services.get(a.service)?.captures ?? [] }),
    capture_read: () => {
      throw new Error('the dev harness has no capture files');
    },
    health_history: (a) => ({ service: a.service, runs: a.service === 'api' ? [fakeHealthRun(now)] : [] }),
    debug: () => {
      throw new Error('the dev harness has no processes to debug');
    },
    debug_end: (a) => ({ service: a.service, ended: false }),
    shutdown: () => ({ stopping: true }),
    web_login: () => {
      throw new Error('web_login: only the control socket carries this command');
    },
  };
  if (options.liveRate) {
    const perTick = Math.max(1, Math.round(options.liveRate / 20));
    setInterval(() => {
      const batch = fakeLogs(Date.now(), perTick, seq);
      seq += batch.length;
      logs = logs.length > 100_000 ? [...logs.slice(-50_000), ...batch] : [...logs, ...batch];
      emit('logs', { lines: batch });
    }, 50);
  }
  return {
    host: 'dev-harness',
    async invoke<C extends CommandName>(command: C, args: CommandArgs<C>) {
      return (handlers[command] as (a: CommandArgs<C>) => CommandResult<C>)(args);
    },
    on<E extends EventName>(event: E, listener: (p: HearthEvents[E]) => void): Unsubscribe {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: never) => void);
      if (event === 'snapshot') (listener as (p: StackSnapshot) => void)(snapshot());
      if (event === 'connection' && options.disconnected) {
        setTimeout(() => (listener as (p: HearthEvents['connection']) => void)({ connected: false, error: 'WebSocket closed (1006)' }), 0);
      }
      return () => set.delete(listener as (p: never) => void);
    },
    async openExternal(url) {
      window.open(url, '_blank', 'noopener');
    },
  };
}
