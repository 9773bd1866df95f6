import { useHearth, useSession } from '../session/session-context';

/** A capture as a flame graph: speedscope's page in a frame, over the app, until closed. */
export function FlameGraphDialog() {
  const { captures } = useSession();
  const flame = useHearth((s) => s.flame);
  if (!flame) return null;
  return (
    <div className="overlay" onKeyDown={(e) => e.key === 'Escape' && captures.closeFlame()}>
      <div className="flame-dialog" role="dialog" aria-modal="true" aria-label={`Flame graph of ${flame.name}`}>
        <div className="panel-head">
          <strong>
            {flame.service} — {flame.name}
          </strong>
          <button type="button" className="btn" onClick={() => captures.closeFlame()} autoFocus>
            Close
          </button>
        </div>
        <iframe className="flame-frame" title={`Flame graph: ${flame.name}`} src={flame.url} />
      </div>
    </div>
  );
}
