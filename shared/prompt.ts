// Whether a service's unfinished last line reads like a prompt waiting for input, and how a message
// quotes one. Used for hints only (`hearth up`'s line, the UI card's tag, the desktop notification): a miss
// costs a hint, never the line itself.

/**
 * "(Pdb) ", ">>> ", "Password: ", "irb(main):001:0> ", "$ ", "[y/N]": yes. A progress bar redrawn with \r
 * ("\rmigrating [####  ] 40%") or an unfinished sentence ("Loading..."): no.
 */
export function looksLikePrompt(text: string): boolean {
  return !text.includes('\r') && /[:>?$#)\]]\s*$/.test(text);
}

/** A prompt quoted in a message: its last `max` characters (what it asks is at the end of its line). */
export function promptEnd(text: string, max: number): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}
