import type { ServiceStatus } from '../../../shared/types';
import { useHearth, useSession } from '../session/session-context';
import { SnoozeMenu } from './snooze-menu';

/** The `.healthchecksnooze` switch: checked = the file exists. Plus a menu for timed snoozes. */
export function SnoozeControl({ status }: { status: ServiceStatus }) {
  const { commands } = useSession();
  const menuOpen = useHearth((s) => s.snoozeMenuFor === status.name);
  const setMenu = useHearth((s) => s.setSnoozeMenu);
  const name = status.name;
  return (
    <span className="snooze">
      <button
        type="button"
        role="switch"
        aria-checked={status.snoozed}
        aria-label={`Snooze ${name}`}
        title={status.snoozed ? 'Health checks are paused: click to resume them' : 'Pause health checks (create .healthchecksnooze)'}
        className="switch"
        onClick={(e) => {
          e.stopPropagation();
          void (status.snoozed ? commands.unsnooze(name) : commands.snooze(name));
        }}
      >
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        <span className="switch-label">snooze</span>
      </button>
      <button
        type="button"
        className="icon-btn menu-btn"
        aria-label={`Snooze ${name} for…`}
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        title="Snooze for a while"
        onClick={(e) => {
          e.stopPropagation();
          setMenu(menuOpen ? null : name);
        }}
      >
        ▾
      </button>
      {menuOpen && <SnoozeMenu service={name} />}
    </span>
  );
}
