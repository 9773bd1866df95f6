// The stack file (`hearth.yaml`) as written by a person: every field optional except `cmd` and
// `services`, unknown keys rejected. This one zod schema validates files AND generates
// schema/hearth.schema.json (scripts/gen-schema.ts), so titles/descriptions here are what editors show.
// Defaults are NOT applied here (see ./defaults.ts); cross-field rules live in ./validate.ts.
// As a namespace: bundled (bin/cli-bundle.js), esbuild then keeps only what is used ({ z } keeps all of zod).
import * as z from 'zod';
import { SIZE_PATTERN, parseSize } from './size';
import { PORT_NAME_PATTERN } from './templates';

// Timers above ~24.8 days overflow setTimeout (it then fires at once), so seconds are capped well below.
const MAX_SECS = 1_000_000;
const MAX_COUNT = 1_000_000;

const positiveSecs = (description: string) => z.number().gt(0).max(MAX_SECS).meta({ description });
const nonNegativeSecs = (description: string) => z.number().min(0).max(MAX_SECS).meta({ description });
const count = (min: number, description: string, max = MAX_COUNT) => z.number().int().min(min).max(max).meta({ description });

/**
 * Service keys in the file. Stricter than shared SERVICE_NAME_PATTERN: no dot at all, because
 * `api.0` is the name Hearth gives instance 0 of a replicated `api`, so a key can never clash with one.
 */
export const SERVICE_KEY_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
export const MAX_REPLICAS = 64;

export const serviceNameSchema = z
  .string()
  .max(64, { error: 'service names are at most 64 characters' })
  .regex(SERVICE_KEY_PATTERN, {
    error: 'service names use lowercase letters, digits, "-" and "_", and start with a letter or digit',
  });

export const portNameSchema = z
  .string()
  .max(64, { error: 'port names are at most 64 characters' })
  .regex(PORT_NAME_PATTERN, { error: 'port names use letters, digits, "-" and "_"' })
  .meta({ description: 'A port NAME (e.g. `http`); the number is allocated by Hearth.' });

const portNumber = z.number().int().min(1).max(65535);

const endpoint = (description: string) =>
  z.string().regex(/^\//, { error: 'must start with "/"' }).meta({ description });

const healthTimingFields = {
  initial_interval_secs: nonNegativeSecs(
    'Grace period: failures within the first ceil(initial_interval_secs / interval_secs) checks are ignored. Default 15.',
  ).optional(),
  interval_secs: positiveSecs('Seconds between health checks. Default 10.').optional(),
  max_consecutive_failures: count(
    0,
    'Consecutive failures tolerated once running; one more kills the process. Default 0.',
  ).optional(),
  min_consecutive_successes: count(1, 'Consecutive successes needed to become healthy (RUNNING). Default 1.').optional(),
  timeout_secs: positiveSecs('Timeout of one check. Default 1.').optional(),
};

const httpProbe = z
  .strictObject({
    port: portNameSchema.optional().meta({ description: 'Port name to probe. Default `health`.' }),
    endpoint: endpoint('Path to GET. Default `/health`.').optional(),
    expected_response: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Expected body (compared lower-cased and trimmed). `null` disables the body check. Default `ok`.' }),
    expected_response_code: z
      .number()
      .int()
      .min(0)
      .max(599)
      .optional()
      .meta({ description: 'Expected HTTP status; 0 accepts any non-error status. Default 0.' }),
  })
  .meta({ title: 'HTTP health check', description: 'GET http://localhost:{port}{endpoint}: 127.0.0.1, or ::1 when nothing listens on 127.0.0.1.' });

const tcpProbe = z
  .strictObject({ port: portNameSchema.optional().meta({ description: 'Port name to connect to. Default `health`.' }) })
  .meta({ title: 'TCP health check', description: 'Healthy when a TCP connection to the port succeeds.' });

const shellProbe = z
  .strictObject({
    shell_command: z.string().min(1).meta({
      description: 'Run with /bin/sh -c; exit status 0 = healthy. May use {{thermos.ports[NAME]}}.',
    }),
  })
  .meta({ title: 'Shell health check' });

const healthCheck = z
  .strictObject({
    http: httpProbe.optional(),
    tcp: tcpProbe.optional(),
    shell: shellProbe.optional(),
    ...healthTimingFields,
  })
  .nullable()
  .meta({
    title: 'Health check (Aurora HealthCheckConfig)',
    description:
      'Exactly one of http, tcp or shell. Without one, an HTTP check on the port named `health` is used. `null` disables the implicit check.',
  });

/** Who gets the stop signal: the whole tree (group) or the process group only, the rest after the grace (mixed). */
export const KILL_MODES = ['group', 'mixed'] as const;

/** Signals a stop may begin with (compose's stop_signal, supervisord's stopsignal); SIGKILL always ends it. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const;

const lifecycleTimingFields = {
  graceful_shutdown_wait_secs: nonNegativeSecs(
    'Seconds to wait after the graceful shutdown endpoint before the next step. Default 5.',
  ).optional(),
  stop_signal: z
    .enum(STOP_SIGNALS)
    .optional()
    .meta({ description: 'The signal a stop sends first, to the process group and every descendant. Default SIGTERM (SIGINT for programs that shut down cleanly only on Ctrl-C).' }),
  shutdown_wait_secs: nonNegativeSecs('Seconds between the stop signal and SIGKILL. Default 5.').optional(),
  kill_mode: z
    .enum(KILL_MODES)
    .optional()
    .meta({
      description:
        'group (default): the stop signal goes to the process group and to every descendant that left it. mixed (systemd’s KillMode=mixed): the stop signal goes to the process group only, and what left it (Postgres backends, which setsid) is killed only if still running after shutdown_wait_secs, so the main process shuts its children down itself.',
    }),
};

const lifecycle = z
  .strictObject({
    http: z
      .strictObject({
        port: portNameSchema.optional().meta({ description: 'Default: the service port named `health`.' }),
        graceful_shutdown_endpoint: endpoint('POSTed first on stop. Default `/quitquitquit`.').optional(),
        shutdown_endpoint: endpoint('POSTed next on stop. Default `/abortabortabort`.').optional(),
      })
      .nullable()
      .optional()
      .meta({ description: 'Ask the process to stop over HTTP before signalling it (Aurora HttpLifecycleConfig).' }),
    ...lifecycleTimingFields,
  })
  .meta({ title: 'Stop sequence' });

/** A size in bytes, as people write it: 512MB, 1.5GiB or 2048. */
const byteSize = z
  .union([
    z.number().int().positive().meta({ description: 'Bytes.' }),
    z
      .string()
      .regex(SIZE_PATTERN, { error: 'expected a size such as 512MB, 1.5GiB or 2048 (bytes); units B, KB, MB, GB, TB (binary, as in Aurora) or KiB, MiB, GiB, TiB' })
      .refine((s) => parseSize(s) !== 0, { error: 'must be above 0' }), // null: the pattern already failed
  ])
  .meta({ description: 'A size: 512MB, 1.5GiB, or a number of bytes. KB/MB/GB are binary (1 MB = 1024 KiB), as in Aurora.' });

const logs = z
  .strictObject({
    max_bytes: count(1, 'Rotate the log file at this size. Default 10485760 (10 MiB).', 1024 ** 3).optional(),
    keep: count(0, 'Rotated files kept. Default 3.', 100).optional(),
    ring_lines: count(1, 'Lines kept in memory for the UI (`hearth logs`, attach, the log view). Default 5000.').optional(),
    ring_bytes: byteSize.optional().meta({
      description:
        'Memory those lines may take: each counts its text (1 byte a character for ASCII, 2 for other text) plus 120 bytes. Older lines go first; the newest always stays. The log file keeps every line. Default 4MiB.',
    }),
    max_line_bytes: count(1, 'Longer lines are cut and marked truncated. Default 65536.', 16 * 1024 ** 2).optional(),
  })
  .meta({ title: 'Log settings' });

const stackLogs = z
  .strictObject({
    total_ring_bytes: byteSize.optional().meta({
      description:
        "Memory every service's in-memory lines may take together (each service's `logs.ring_bytes` applies too). Over it, lines go from a service holding more than an even share, so a flooding service cannot push out a quiet one's last lines. Default 64MiB.",
    }),
  })
  .meta({ title: 'Log settings of the whole stack' });

export const DEPENDENCY_CONDITIONS = ['healthy', 'started', 'completed'] as const;
const condition = z.enum(DEPENDENCY_CONDITIONS).meta({
  description: 'healthy: passed its health check (or running, without one); started: process spawned; completed: a job exited 0.',
});

const dependsOn = z
  .union([
    z.array(serviceNameSchema).meta({ description: 'Services that must be healthy first.' }),
    z.record(serviceNameSchema, z.union([condition, z.strictObject({ condition })])),
  ])
  .meta({ title: 'Dependencies', description: 'A list (condition healthy) or a map of service -> { condition }.' });

const restartFields = {
  max_failures: count(1, 'A job (service: false) is retried until it has failed this many times. Default 1.').optional(),
  min_duration: nonNegativeSecs('Runs shorter than this count as flapping and back off. Default 5.').optional(),
  max_backoff_secs: positiveSecs('Upper bound of the restart backoff. Default 60.').optional(),
};

const envFileEntry = z.union([
  z.string().min(1).meta({ description: 'Path of a dotenv file, relative to the stack file. Must exist.' }),
  z
    .strictObject({
      path: z.string().min(1).meta({ description: 'Path of a dotenv file, relative to the stack file.' }),
      required: z.boolean().optional().meta({ description: 'false: a missing file is skipped. Default true.' }),
    })
    .meta({ title: 'Env file' }),
]);

const envFile = z.union([envFileEntry, z.array(envFileEntry)]).meta({
  title: 'Environment files',
  description:
    'dotenv files (one or a list; later files win). Precedence: process env < stack env_file < service env_file < env: < PORT/HEARTH_* set by Hearth. Values are used as written (no templates). Re-read at every start.',
});

const globList = (description: string, min = 0) => z.array(z.string().min(1)).min(min).meta({ description });

const watch = z
  .union([
    globList('Paths or globs to watch, relative to the service’s cwd.', 1),
    z.strictObject({
      paths: globList('Paths or globs to watch, relative to the service’s cwd.', 1),
      ignore: globList('Globs (relative to the cwd) whose changes are ignored. .hearth, node_modules and .git always are.').optional(),
      debounce_ms: count(0, 'Quiet time after the last change before restarting. Default 300.', 60_000).optional(),
    }),
  ])
  .meta({
    title: 'Restart on change',
    description: 'Restart this service (when it is running) after a watched file changes. A list of paths/globs, or { paths, ignore, debounce_ms }.',
  });

const resources = z
  .strictObject({
    ram: byteSize.optional().meta({ description: 'RSS of the whole process tree above which Hearth warns (it does not kill).' }),
  })
  .meta({ title: 'Resource limits (warnings only)' });

export const serviceSchema = z
  .strictObject({
    cmd: z.string().min(1).meta({
      description: 'Command line, run with /bin/sh -c (a command of plain words and no shell syntax is started directly, as the shell would). Templates: {{thermos.ports[NAME]}}, {{services.OTHER.ports[NAME]}}, {{thermos.instance}}.',
    }),
    cwd: z.string().min(1).optional().meta({ description: 'Working folder, relative to the stack file (a leading ~ is the home folder). Default: its folder. `hearth check` warns when it does not exist.' }),
    env: z
      .record(
        z.string().regex(/^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]*$/, { error: 'environment variable names use letters, digits and "_"' }),
        z.union([z.string(), z.number(), z.boolean()]),
      )
      .optional()
      .meta({ description: 'Extra environment; values may use templates, e.g. {{services.db.ports[pg]}}.' }),
    depends_on: dependsOn.optional(),
    ports: z
      .record(portNameSchema, portNumber.nullable())
      .optional()
      .meta({ description: 'Named ports with a preferred number (or null for any free one in port_range).' }),
    health_check: healthCheck.optional(),
    lifecycle: lifecycle.optional(),
    logs: logs.optional(),
    autostart: z.boolean().optional().meta({
      description:
        'false: `hearth up` and Start all leave it stopped; it starts when named (`hearth up NAME`, `hearth start NAME`, the UI, the tray) or when a service that depends on it starts (supervisord’s autostart, a compose profile). Default true.',
    }),
    service: z
      .boolean()
      .optional()
      .meta({ description: 'true (default): always restarted. false: a job, restarted only on failure.' }),
    env_file: envFile.optional(),
    watch: watch.optional(),
    resources: resources.optional(),
    replicas: count(
      1,
      `Run this many instances (at most ${MAX_REPLICAS}), named NAME.0, NAME.1, …, each with its own ports, sandbox and snooze file; {{thermos.instance}} is the index. Others refer to all of them in depends_on and to instance 0 in {{services.NAME.ports[P]}}. Default 1.`,
      MAX_REPLICAS,
    ).optional(),
    ...restartFields,
  })
  .meta({ title: 'Service' });

const shell = z
  .strictObject({
    shell_command: z.string().min(1).meta({ description: 'The shell program, e.g. bash, zsh, pwsh.exe (found on PATH, or a path).' }),
    shell_argument: z.string().min(1).optional().meta({ description: 'The flag before the command line. Default -c (pwsh and powershell take -Command).' }),
  })
  .meta({
    title: 'Shell',
    description:
      'The shell that runs every cmd and shell health check, as process-compose’s shell. Default: /bin/sh -c, and on Windows %ComSpec% /d /s /c (cmd.exe). With the default, a command of plain words starts without any shell.',
  });

const defaultsSchema = z
  .strictObject({
    health_check: z.strictObject(healthTimingFields).optional(),
    lifecycle: z.strictObject(lifecycleTimingFields).optional(),
    logs: logs.optional(),
    ...restartFields,
  })
  .meta({ title: 'Defaults for every service', description: 'Built-in defaults < these < the service’s own settings.' });

export const stackFileSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[^/\\\0]+$/, { error: 'must not contain "/", "\\" or NUL' })
      .optional()
      .meta({ description: 'Stack name. Default: the name of the folder holding the file.' }),
    port_range: z
      .tuple([portNumber, portNumber])
      .optional()
      .meta({ description: 'Ports are allocated from [low, high]. Default [20000, 29999].' }),
    snooze_warn_after_secs: nonNegativeSecs(
      'An untimed .healthchecksnooze older than this is flagged as forgotten (UI, tray notification, a line in the terminal). 0 turns the warning off. Default 1800.',
    ).optional(),
    defaults: defaultsSchema.optional(),
    shell: shell.optional(),
    logs: stackLogs.optional(),
    env_file: envFile.optional(),
    services: z.record(serviceNameSchema, serviceSchema).meta({ description: 'Services and jobs, by name.' }),
  })
  .meta({ title: 'Hearth stack file', description: 'A local stack of services with Apache Aurora/Thermos semantics.' });

export type StackFile = z.output<typeof stackFileSchema>;
export type ServiceFile = z.output<typeof serviceSchema>;
