// The V8 flags every Hearth process that hosts a stack runs with: bin/hearth.js's shebang passes them
// (`env -S`, which Linux, macOS and npm's Windows shims read), so does package.json's `hearth` script
// (npm runs `node bin/hearth.js`, not the shebang), and the bench and the soak start their hosts with the
// same list, so they measure the product. They act at V8's start-up only: set later
// (v8.setFlagsFromString) they change nothing. Measured on `hearth up` of 50 services and in the ingestion
// figure (BENCHMARKS.md, round 13; bench/HISTORY.md, round 14):
// - --no-concurrent-recompilation: TurboFan compiles on the main thread instead of a background one,
//   whose zones glibc keeps in a thread arena after they are freed: 6 MB of private memory at idle,
//   and the same CPU for a million lines.
// - --single-threaded-gc: V8 collects on the main thread only (no parallel scavenges, no concurrent
//   marking or sweeping in helper threads), so those threads allocate nothing that glibc keeps in
//   arenas of their own: 0.6-1.2 MB less private memory at idle (two series by hand: 18.2, 18.3 MB
//   against 19.0-19.8; 24.0-24.2 against 24.7-25.6), a peak RSS ~2 MB lower, and the same CPU for a
//   million lines (bench/HISTORY.md, round 14).
// Not here: --max-semi-space-size=2 (a young generation of 2 MB instead of up to 16) cut the soak's RSS,
// but doubled the CPU of ingesting a million lines (0.7-0.8 s -> 1.6-2.0 s, measured in one session).
// Plain JavaScript: read before anything could load TypeScript.

/** In the order the shebang gives them (test/cli/node-flags.test.ts holds them equal). */
export const HEARTH_NODE_FLAGS = ['--no-concurrent-recompilation', '--single-threaded-gc'];
