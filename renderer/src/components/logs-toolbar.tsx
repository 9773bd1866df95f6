import { useEffect, useRef } from 'react';
import { useHearth } from '../session/session-context';

export interface LogsToolbarProps {
  title: string;
  matchCount: number;
  cursor: number;
  canJumpToRun: boolean;
  onStep(delta: 1 | -1): void;
  onJumpToRun(): void;
  onCopy(): void;
  onClear(): void;
  /** Off on the Health timeline and Captures tabs: the title stays, the log tools are hidden (not unmounted). */
  showTools: boolean;
}

export function LogsToolbar(props: LogsToolbarProps) {
  const { title, matchCount, cursor, canJumpToRun, onStep, onJumpToRun, onCopy, onClear, showTools } = props;
  const search = useHearth((s) => s.search);
  const setSearch = useHearth((s) => s.setSearch);
  const filter = useHearth((s) => s.filter);
  const setFilter = useHearth((s) => s.setFilter);
  const follow = useHearth((s) => s.follow);
  const setFollow = useHearth((s) => s.setFollow);
  const focusRequest = useHearth((s) => s.searchFocusRequest);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (focusRequest > 0) {
      input.current?.focus();
      input.current?.select();
    }
  }, [focusRequest]);
  return (
    <div className="logs-toolbar">
      <h2 className="logs-title">{title}</h2>
      <div className="log-tools" role="toolbar" aria-label="Log tools" hidden={!showTools}>
        <div className="search">
          <input
            ref={input}
            type="search"
            placeholder="Search logs  /"
            aria-label="Search logs"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                onStep(e.shiftKey ? 1 : -1);
              }
            }}
          />
          {search.trim() !== '' && (
            <span className="match-count" aria-live="polite">
              {matchCount === 0 ? 'no matches' : `${cursor >= 0 ? cursor + 1 : '–'} / ${matchCount}`}
            </span>
          )}
          <button type="button" className="icon-btn" aria-label="Previous match" title="Previous (older) match — Enter" disabled={matchCount === 0} onClick={() => onStep(-1)}>
            ↑
          </button>
          <button type="button" className="icon-btn" aria-label="Next match" title="Next (newer) match — Shift+Enter" disabled={matchCount === 0} onClick={() => onStep(1)}>
            ↓
          </button>
          <button type="button" className={`btn toggle${filter ? ' on' : ''}`} aria-pressed={filter} title="Show only matching lines" onClick={() => setFilter(!filter)}>
            Filter
          </button>
        </div>
        <span className="spacer" />
        <button type="button" className={`btn toggle${follow ? ' on' : ''}`} aria-pressed={follow} title="Follow the tail (f)" onClick={() => setFollow(!follow)}>
          Follow
        </button>
        <button type="button" className="btn" disabled={!canJumpToRun} title="Scroll to the first line of the current run" onClick={onJumpToRun}>
          Jump to run start
        </button>
        <button type="button" className="btn" title="Copy the shown lines" onClick={onCopy}>
          Copy
        </button>
        <button type="button" className="btn" title="Clear these logs (files on disk stay)" onClick={onClear}>
          Clear
        </button>
      </div>
    </div>
  );
}
