// Local UI state: selection, log search/filter, follow, theme, open menus, notices.
import type { StateCreator } from 'zustand';
import type { HearthStore } from './store';
import type { ThemeOverride } from '../theme/theme';
import { loadThemeOverride, saveThemeOverride } from '../theme/theme';

export interface Notice {
  id: number;
  text: string;
  tone: 'err' | 'info';
}

export interface UiSlice {
  /** Selected service name, or null for "All services". */
  selected: string | null;
  search: string;
  /** true: show only matching lines; false: highlight them in place. */
  filter: boolean;
  /** Index into the matching lines of the "current" match (next/prev). */
  matchCursor: number;
  follow: boolean;
  /** view.appended when following paused: "Resume following (N new)". */
  followMark: number;
  theme: ThemeOverride;
  snoozeMenuFor: string | null;
  helpOpen: boolean;
  /** Incremented to ask the search box to take focus ("/" shortcut). */
  searchFocusRequest: number;
  notice: Notice | null;
  select(name: string | null): void;
  setSearch(search: string): void;
  setFilter(filter: boolean): void;
  setMatchCursor(cursor: number): void;
  setFollow(follow: boolean, mark?: number): void;
  setTheme(theme: ThemeOverride): void;
  setSnoozeMenu(name: string | null): void;
  setHelp(open: boolean): void;
  requestSearchFocus(): void;
  notify(text: string, tone?: Notice['tone']): void;
  dismissNotice(): void;
}

let noticeId = 0;

export const createUiSlice: StateCreator<HearthStore, [], [], UiSlice> = (set) => ({
  selected: null,
  search: '',
  filter: false,
  matchCursor: -1,
  follow: true,
  followMark: 0,
  theme: loadThemeOverride(),
  snoozeMenuFor: null,
  helpOpen: false,
  searchFocusRequest: 0,
  notice: null,
  select(name) {
    // A new view starts at its tail.
    set({ selected: name, follow: true, matchCursor: -1 });
  },
  setSearch(search) {
    set({ search, matchCursor: -1 });
  },
  setFilter(filter) {
    set({ filter });
  },
  setMatchCursor(matchCursor) {
    set({ matchCursor });
  },
  setFollow(follow, mark) {
    set((st) => ({ follow, followMark: mark ?? st.followMark }));
  },
  setTheme(theme) {
    saveThemeOverride(theme);
    set({ theme });
  },
  setSnoozeMenu(snoozeMenuFor) {
    set({ snoozeMenuFor });
  },
  setHelp(helpOpen) {
    set({ helpOpen });
  },
  requestSearchFocus() {
    set((st) => ({ searchFocusRequest: st.searchFocusRequest + 1 }));
  },
  notify(text, tone = 'err') {
    set({ notice: { id: ++noticeId, text, tone } });
  },
  dismissNotice() {
    set({ notice: null });
  },
});
