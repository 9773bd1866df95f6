import { useEffect, useRef } from 'react';
import { SNOOZE_DURATIONS } from '../model/snooze';
import { useHearth, useSession } from '../session/session-context';

/** Timed snooze choices for one service. */
export function SnoozeMenu({ service }: { service: string }) {
  const { commands } = useSession();
  const close = useHearth((s) => s.setSnoozeMenu);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onDown = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) close(null);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [close]);
  return (
    <div className="menu" role="menu" aria-label={`Snooze ${service} for`} ref={ref}>
      {SNOOZE_DURATIONS.map((d) => (
        <button
          key={d.label}
          type="button"
          role="menuitem"
          onClick={(e) => {
            e.stopPropagation();
            close(null);
            void commands.snooze(service, d.forSecs);
          }}
        >
          {d.label}
        </button>
      ))}
    </div>
  );
}
