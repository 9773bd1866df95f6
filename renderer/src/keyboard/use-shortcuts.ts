import { useEffect } from 'react';
import type { Session } from '../session/session';
import { actionForKey, moveSelection, type ShortcutAction } from './shortcuts';

function isTextField(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

function inScroller(el: EventTarget | null): boolean {
  return el instanceof HTMLElement && el.closest('[data-scroller]') !== null;
}

export function runShortcut(session: Session, action: ShortcutAction): boolean {
  const { store, commands, logs } = session;
  const st = store.getState();
  const selected = st.selected;
  switch (action) {
    case 'next':
    case 'prev':
      st.select(moveSelection(st.order, selected, action === 'next' ? 1 : -1));
      document.querySelector('[role="listitem"][aria-current="true"]')?.scrollIntoView?.({ block: 'nearest' });
      return true;
    case 'all':
      st.select(null);
      return true;
    case 'restart':
      if (selected) void commands.restart(selected);
      return selected !== null;
    case 'toggle-run':
      if (selected) void commands.toggleRun(selected);
      return selected !== null;
    case 'snooze':
      if (selected) void commands.toggleSnooze(selected);
      return selected !== null;
    case 'search':
      // The search box is on the Logs tab: go there (the box takes focus once shown).
      if (selected) st.setDetailTab('logs');
      st.requestSearchFocus();
      return true;
    case 'input': {
      // In the DOM only for a selected service that runs (service-input.tsx); hidden on other tabs than Logs.
      const field = document.querySelector<HTMLInputElement>('.stdin-field');
      if (!field) return false;
      if (st.detailTab === 'logs') field.focus();
      else {
        st.setDetailTab('logs');
        // Focusable once React has shown it.
        requestAnimationFrame(() => document.querySelector<HTMLInputElement>('.stdin-field')?.focus());
      }
      return true;
    }
    case 'follow':
      st.setFollow(!st.follow, logs.view(selected).appended);
      return true;
    case 'help':
      st.setHelp(!st.helpOpen);
      return true;
    case 'escape':
      if (st.helpOpen) st.setHelp(false);
      else if (st.snoozeMenuFor) st.setSnoozeMenu(null);
      else {
        st.setSearch('');
        if (document.activeElement instanceof HTMLElement && isTextField(document.activeElement)) document.activeElement.blur();
      }
      return true;
  }
}

export function useShortcuts(session: Session): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = actionForKey(e, isTextField(e.target), inScroller(e.target));
      if (action && runShortcut(session, action)) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [session]);
}
