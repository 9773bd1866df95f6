import { useHearth } from '../session/session-context';

/** The last load/reload's errors. The running stack keeps running with its previous config. */
export function ConfigErrorsBanner() {
  const errors = useHearth((s) => s.stack?.config_errors);
  if (!errors || errors.length === 0) return null;
  return (
    <section className="banner banner-warn" role="alert" aria-label="Config errors">
      <strong>
        The stack file has {errors.length} error{errors.length === 1 ? '' : 's'}
      </strong>
      <span className="muted"> — the running stack keeps running with its last good config.</span>
      <ul className="issues">
        {errors.map((e, i) => (
          <li key={i}>
            <code>
              {e.file}:{e.line}:{e.col} {e.path}: {e.message}
            </code>
          </li>
        ))}
      </ul>
    </section>
  );
}
