// How a process ended, in the words of the supervisor's log lines ("exited with code 1", "killed by
// SIGTERM"), so the CLI's state lines and `hearth wait` say it the same way.

export function formatExit(exit: { code: number | null; signal: string | null }): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
