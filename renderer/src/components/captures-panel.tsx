import { CAPTURE_KINDS } from '../../../shared/types';
import { formatSize } from '../../../shared/format-size';
import { formatTook } from '../../../shared/format-took';
import { UI_CPU_SECS } from '../session/capture-commands';
import { useHearth, useSession } from '../session/session-context';

const EMPTY: never[] = [];

/** Take a capture of the selected service, and its captures with size, duration and how to open them. */
export function CapturesPanel({ service }: { service: string }) {
  const { captures } = useSession();
  const list = useHearth((s) => s.services[service]?.captures ?? EMPTY);
  const running = useHearth((s) => s.services[service]?.capture ?? null);
  const hasProcess = useHearth((s) => (s.services[service]?.pid ?? null) !== null);
  return (
    <section className="captures-panel" aria-label={`Captures of ${service}`}>
      <div className="panel-head">
        {CAPTURE_KINDS.map((kind) => (
          <button key={kind} type="button" className="btn" disabled={!hasProcess || running !== null} onClick={() => void captures.capture(service, kind)} aria-label={`Capture ${kind} of ${service}`}>
            {kind === 'cpu' ? `CPU profile (${UI_CPU_SECS}s)` : kind === 'heap' ? 'Heap snapshot' : kind === 'core' ? 'Core dump' : 'Thread dump'}
          </button>
        ))}
        <button type="button" className="btn" disabled={!hasProcess || running !== null} onClick={() => void captures.debug(service)} aria-label={`Debug ${service}`} title="Node: its inspector on a free port; Python: debugpy attached. Health checks snoozed until the debugger detaches">
          Debug
        </button>
        {running && running.kind !== 'debug' && (
          <span className="capture-running" role="status">
            {running.kind} capture with {running.engine}… health checks snoozed until it ends
          </span>
        )}
        {running?.debug && (
          <span className="capture-running" role="status">
            {running.debug.attached ? 'Debugger attached' : 'Waiting for a debugger'} on <code>{running.debug.url}</code>; health checks snoozed until it detaches{' '}
            <button type="button" className="btn" onClick={() => void captures.endDebug(service)}>
              End debugging
            </button>
          </span>
        )}
      </div>
      {list.length === 0 ? (
        <div className="panel-empty">No captures of {service} yet: they go to .hearth/captures/{service}/.</div>
      ) : (
        <table className="captures" aria-label={`Capture files of ${service}`}>
          <thead>
            <tr>
              <th>Kind</th>
              <th>File</th>
              <th>Size</th>
              <th>Took</th>
              <th>Open</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.name}>
                <td>{c.kind}</td>
                <td title={c.file}>
                  <code>{c.name}</code>
                </td>
                <td>{formatSize(c.bytes)}</td>
                <td>{formatTook(c.duration_ms)}</td>
                <td>
                  {c.flame ? (
                    <button type="button" className="btn" onClick={() => void captures.showFlame(service, c.name)} aria-label={`Flame graph of ${c.name}`}>
                      Flame graph
                    </button>
                  ) : (
                    <code className="open-with">{c.open_with}</code>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
