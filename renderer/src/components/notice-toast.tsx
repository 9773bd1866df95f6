import { useEffect } from 'react';
import { useHearth } from '../session/session-context';

export function NoticeToast() {
  const notice = useHearth((s) => s.notice);
  const dismiss = useHearth((s) => s.dismissNotice);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(dismiss, notice.tone === 'err' ? 8000 : 4000);
    return () => clearTimeout(t);
  }, [notice, dismiss]);
  if (!notice) return null;
  return (
    <div className={`toast toast-${notice.tone}`} role={notice.tone === 'err' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button type="button" className="icon-btn" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}
