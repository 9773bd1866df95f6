// Whether a service's unfinished last line reads like a prompt waiting for input. Used for hints only
// (`hearth up`'s line, the UI card's tag): a miss costs a hint, never the line itself.

/**
 * "(Pdb) ", ">>> ", "Password: ", "irb(main):001:0> ", "$ ", "[y/N]": yes. A progress bar redrawn with \r
 * ("\rmigrating [####  ] 40%") or an unfinished sentence ("Loading..."): no.
 */
export function looksLikePrompt(text: string): boolean {
  return !text.includes('\r') && /[:>?$#)\]]\s*$/.test(text);
}
