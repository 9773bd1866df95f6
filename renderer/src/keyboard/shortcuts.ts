// Keyboard map (pure): which key does what, and the table the "?" overlay shows.

export type ShortcutAction = 'next' | 'prev' | 'restart' | 'snooze' | 'toggle-run' | 'search' | 'input' | 'follow' | 'all' | 'help' | 'escape';

export const SHORTCUTS: ReadonlyArray<{ action: ShortcutAction; keys: string[]; description: string }> = [
  { action: 'next', keys: ['j', '↓'], description: 'Next service' },
  { action: 'prev', keys: ['k', '↑'], description: 'Previous service' },
  { action: 'all', keys: ['a'], description: 'Logs of all services' },
  { action: 'restart', keys: ['r'], description: 'Restart the selected service' },
  { action: 'toggle-run', keys: ['x'], description: 'Stop / start the selected service' },
  { action: 'snooze', keys: ['s'], description: 'Toggle the health-check snooze of the selected service' },
  { action: 'search', keys: ['/'], description: 'Search the logs' },
  { action: 'input', keys: ['i'], description: "Type into the selected service's stdin (Enter sends a line)" },
  { action: 'follow', keys: ['f'], description: 'Follow the log tail on / off' },
  { action: 'help', keys: ['?'], description: 'This help' },
  { action: 'escape', keys: ['Esc'], description: 'Close menus and help, clear the search' },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/**
 * `inTextField`: typing in an input only honours Esc.
 * `inScroller`: arrow keys belong to the focused log viewport (scrolling), not to the service list.
 */
export function actionForKey(e: KeyLike, inTextField: boolean, inScroller = false): ShortcutAction | null {
  if (e.key === 'Escape') return 'escape';
  if (inTextField || e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case 'j':
      return 'next';
    case 'k':
      return 'prev';
    case 'ArrowDown':
      return inScroller ? null : 'next';
    case 'ArrowUp':
      return inScroller ? null : 'prev';
    case 'r':
      return 'restart';
    case 's':
      return 'snooze';
    case 'x':
      return 'toggle-run';
    case '/':
      return 'search';
    case 'i':
      return 'input';
    case 'f':
      return 'follow';
    case 'a':
      return 'all';
    case '?':
      return 'help';
    default:
      return null;
  }
}

/** The service j/k lands on: from "all" (null), down goes to the first and up to the last. */
export function moveSelection(order: readonly string[], selected: string | null, delta: 1 | -1): string | null {
  if (order.length === 0) return null;
  const at = selected === null ? -1 : order.indexOf(selected);
  if (at < 0) return delta > 0 ? (order[0] as string) : (order[order.length - 1] as string);
  const next = Math.min(order.length - 1, Math.max(0, at + delta));
  return order[next] as string;
}
