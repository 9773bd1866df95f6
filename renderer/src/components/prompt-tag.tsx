import { looksLikePrompt } from '../../../shared/prompt';
import { shownPrompt } from '../model/prompts';
import { useHearth } from '../session/session-context';

/** On a service's card: it went quiet at what reads like a prompt (a breakpoint's "(Pdb) "), so it is noticed from the list. */
export function PromptTag({ name }: { name: string }) {
  const text = useHearth((s) => s.prompts[name]?.text ?? '');
  if (!looksLikePrompt(text)) return null;
  const shown = shownPrompt(text);
  return (
    <span className="kind prompt-tag" title={`Waiting for input at "${shown}": answer it in the line under its logs, or with hearth attach ${name}`}>
      at prompt
    </span>
  );
}
