import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { EMPTY_HISTORY, recall, remember } from '../model/input-history';
import { shownPrompt } from '../model/prompts';
import { checksCanKill } from '../../../shared/snooze';
import { useHearth, useSession } from '../session/session-context';

/**
 * A line for the selected service's stdin, as `hearth attach` sends it: answer a debugger stopped at a
 * breakpoint, drive a REPL. The service's unfinished line ("(Pdb) ") is its prompt. Only while it runs; hidden
 * (keeping what was typed) while another tab than Logs is shown.
 */
export function ServiceInput({ name, hidden = false }: { name: string; hidden?: boolean }) {
  const { commands } = useSession();
  const running = useHearth((s) => (s.services[name]?.pid ?? null) !== null);
  const prompt = useHearth((s) => s.prompts[name]?.text ?? '');
  // A process waiting at a prompt stops answering its checks: say so while it is not snoozed.
  const exposed = useHearth((s) => checksCanKill(s.services[name]));
  const [value, setValue] = useState('');
  const [history, setHistory] = useState(EMPTY_HISTORY);
  if (!running) return null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const line = value;
    void commands.input(name, `${line}\n`).then((sent) => {
      if (!sent) return;
      setValue((now) => (now === line ? '' : now));
      setHistory((h) => remember(h, line));
    });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault(); // Esc here leaves the field, and does not also clear the search (use-shortcuts)
      e.currentTarget.blur();
    }
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    const next = recall(history, e.key === 'ArrowUp' ? 1 : -1);
    setHistory(next.history);
    setValue(next.text);
  };

  const shown = shownPrompt(prompt);
  return (
    <form className="stdin" onSubmit={onSubmit} aria-label={`Input to ${name}`} hidden={hidden}>
      {shown !== '' && (
        <span className="stdin-prompt" title="What the service printed last, without a newline: it is waiting for input">
          {shown}
        </span>
      )}
      <input
        className="stdin-field"
        aria-label={`stdin of ${name}`}
        placeholder={`a line for ${name}'s stdin (Enter sends it)`}
        value={value}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {exposed && shown !== '' && <span className="stdin-hint">at a breakpoint? snooze its health checks, or they will get it killed</span>}
    </form>
  );
}
