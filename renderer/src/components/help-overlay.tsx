import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../keyboard/shortcuts';
import { useHearth } from '../session/session-context';

export function HelpOverlay() {
  const open = useHearth((s) => s.helpOpen);
  const setHelp = useHearth((s) => s.setHelp);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) ref.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <div className="overlay" onClick={() => setHelp(false)}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        tabIndex={-1}
        ref={ref}
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.action}>
                <td>
                  {s.keys.map((k) => (
                    <kbd key={k}>{k}</kbd>
                  ))}
                </td>
                <td>{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="btn" onClick={() => setHelp(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
