import { useCallback, useEffect, useRef } from 'react';
import { plainText } from '../logs/entry-text';
import { useLogRows } from '../logs/use-log-rows';
import { useHearth, useSession } from '../session/session-context';
import { LogView, type LogViewHandle } from './log-view';
import { LogsToolbar } from './logs-toolbar';
import { ResumeFollow } from './resume-follow';
import { CapturesPanel } from './captures-panel';
import { DetailTabs } from './detail-tabs';
import { HealthPanel } from './health-panel';
import { ServiceDetail } from './service-detail';
import { ServiceInput } from './service-input';

/** Logs of the selected service (or all): toolbar, virtualized lines, follow/resume. */
export function LogsPanel() {
  const { logs, commands, store } = useSession();
  const selected = useHearth((s) => s.selected);
  const search = useHearth((s) => s.search);
  const filter = useHearth((s) => s.filter);
  const follow = useHearth((s) => s.follow);
  const followMark = useHearth((s) => s.followMark);
  const setFollow = useHearth((s) => s.setFollow);
  const cursor = useHearth((s) => s.matchCursor);
  const setCursor = useHearth((s) => s.setMatchCursor);
  const run = useHearth((s) => (selected ? (s.services[selected]?.run ?? null) : null));
  const rows = useLogRows(logs, selected, search, filter);
  const viewRef = useRef<LogViewHandle>(null);

  const matchCount = rows.matches.length;
  const activeCursor = cursor >= 0 && cursor < matchCount ? cursor : -1;
  const activeEntry = activeCursor >= 0 ? rows.matches[activeCursor] : undefined;
  const currentRow = activeEntry ? rows.rowOfSeq(activeEntry.seq) : -1;

  // Jump to the current match whenever it changes.
  const jumpedTo = useRef<number | null>(null);
  useEffect(() => {
    const seq = activeEntry?.seq ?? null;
    if (seq === null || seq === jumpedTo.current) return;
    jumpedTo.current = seq;
    viewRef.current?.scrollToRow(currentRow);
  }, [activeEntry, currentRow]);

  const onStep = (delta: 1 | -1) => {
    if (matchCount === 0) return;
    // Logs read bottom-up: the first step lands on the newest match.
    const next = activeCursor < 0 ? matchCount - 1 : (activeCursor + delta + matchCount) % matchCount;
    setFollow(false, rows.view.appended);
    setCursor(next);
  };

  const onJumpToRun = () => {
    if (!selected || run === null) return;
    const index = rows.filtered
      ? rows.matches.findIndex((e) => e.service === selected && e.run === run)
      : rows.view.firstIndexOfRun(selected, run);
    if (index < 0) {
      store.getState().notify(`No lines of run ${run} in view.`, 'info');
      return;
    }
    setFollow(false, rows.view.appended);
    viewRef.current?.scrollToRow(index);
  };

  const onCopy = () => {
    const lines: string[] = [];
    for (let i = 0; i < rows.count; i++) {
      const e = rows.rowAt(i);
      if (e) lines.push(selected ? plainText(e) : `${e.service} | ${plainText(e)}`);
    }
    const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
    if (!clipboard) {
      store.getState().notify('Clipboard not available here.');
      return;
    }
    clipboard.writeText(lines.join('\n')).then(
      () => store.getState().notify(`Copied ${lines.length} line${lines.length === 1 ? '' : 's'}.`, 'info'),
      (err: unknown) => store.getState().notify(`Copy failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  };

  const onScrolled = useCallback(
    (atBottom: boolean) => {
      const st = store.getState();
      if (st.follow && !atBottom) st.setFollow(false, logs.view(st.selected).appended);
      else if (!st.follow && atBottom) st.setFollow(true);
    },
    [store, logs],
  );

  const title = selected ?? 'All services';
  const tab = useHearth((s) => (s.selected ? s.detailTab : 'logs'));
  return (
    <main className="logs-panel" aria-label="Logs">
      <LogsToolbar
        title={title}
        matchCount={matchCount}
        cursor={activeCursor}
        canJumpToRun={selected !== null && run !== null}
        onStep={onStep}
        onJumpToRun={onJumpToRun}
        onCopy={onCopy}
        onClear={() => void commands.clearLogs(selected)}
        showTools={tab === 'logs'}
      />
      {selected && <ServiceDetail name={selected} />}
      {selected && <DetailTabs service={selected} />}
      {selected && tab === 'health' && <HealthPanel service={selected} />}
      {selected && tab === 'captures' && <CapturesPanel service={selected} />}
      <div className="logs-body" hidden={tab !== 'logs'}>
        {rows.count === 0 ? (
          <div className="logs-empty">{rows.filtered ? 'No line matches the search.' : 'No log lines yet.'}</div>
        ) : null}
        <LogView
          ref={viewRef}
          rows={rows}
          label={`Logs of ${title}`}
          showService={selected === null}
          follow={follow}
          currentRow={currentRow}
          onScrolled={onScrolled}
        />
        {!follow && <ResumeFollow newLines={Math.max(0, rows.view.appended - followMark)} onResume={() => setFollow(true)} />}
      </div>
      {selected && <ServiceInput key={selected} name={selected} hidden={tab !== 'logs'} />}
    </main>
  );
}
