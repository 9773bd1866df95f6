// The starter hearth.yaml that `hearth init` writes: one HTTP service with a health check and one
// job, both runnable as they stand (plain Node, which Hearth itself needs), with comments that say
// what each setting does.

export function starterStackYaml(schemaRef: string, name: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
# A Hearth stack: services that always restart, and jobs that run until they succeed.
# Start it with \`hearth up\`, check it with \`hearth check\`.
name: ${JSON.stringify(name)}

services:
  # A one-shot job (service: false): retried only on failure, at most max_failures runs in all.
  setup:
    cmd: node -e "console.log('setting up')"
    service: false
    max_failures: 3

  # A long-running service. {{thermos.ports[http]}} is a port Hearth allocates (also in $PORT).
  web:
    cmd: >-
      node -e "require('http').createServer((q, s) => s.end(q.url === '/health' ? 'ok' : 'hello')).listen(process.argv[1], '127.0.0.1')"
      {{thermos.ports[http]}}
    ports:
      http: null              # null: any free port; a number: that port if it is free
    depends_on:
      setup: { condition: completed }
    health_check:             # Aurora HealthCheckConfig
      http: { port: http, endpoint: /health, expected_response: ok }
      initial_interval_secs: 5      # grace period: early failures are ignored
      interval_secs: 2
      max_consecutive_failures: 2   # one more failure restarts the service
      min_consecutive_successes: 1
      timeout_secs: 1
    # Touch .healthchecksnooze in the service's sandbox (or use \`hearth snooze web\`) to pause its checks.
`;
}
