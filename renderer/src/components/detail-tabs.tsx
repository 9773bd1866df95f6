import type { DetailTab } from '../state/inspect-slice';
import { useHearth } from '../session/session-context';

const TABS: Array<{ tab: DetailTab; label: string }> = [
  { tab: 'logs', label: 'Logs' },
  { tab: 'health', label: 'Health timeline' },
  { tab: 'captures', label: 'Captures' },
];

/** Logs, health timeline or captures of the selected service. */
export function DetailTabs({ service }: { service: string }) {
  const current = useHearth((s) => s.detailTab);
  const setTab = useHearth((s) => s.setDetailTab);
  return (
    <div className="detail-tabs" role="tablist" aria-label={`Views of ${service}`}>
      {TABS.map(({ tab, label }) => (
        <button key={tab} type="button" role="tab" aria-selected={current === tab} className={current === tab ? 'tab selected' : 'tab'} onClick={() => setTab(tab)}>
          {label}
        </button>
      ))}
    </div>
  );
}
