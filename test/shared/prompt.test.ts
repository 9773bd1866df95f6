import { describe, expect, it } from 'vitest';
import { looksLikePrompt, promptEnd } from '../../shared/prompt';

describe('looksLikePrompt', () => {
  it('takes prompts for prompts, and a progress bar or an unfinished sentence for neither', () => {
    for (const text of ['(Pdb) ', '>>> ', 'Password: ', 'irb(main):001:0> ', '$ ', 'Continue? ', '[y/N]', 'debug> ']) expect(looksLikePrompt(text), text).toBe(true);
    for (const text of ['\rmigrating [####      ] 40%', 'Loading...', 'downloading 3 of 7', 'ok: \r50%']) expect(looksLikePrompt(text), text).toBe(false);
  });
});

describe('promptEnd', () => {
  it('quotes the whole prompt when it is short, else its last characters after an ellipsis', () => {
    expect(promptEnd('(Pdb) ', 10)).toBe('(Pdb) ');
    expect(promptEnd('0123456789abc> ', 5)).toBe('…abc> ');
  });
});
