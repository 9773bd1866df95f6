// The services' unfinished last lines (prompts waiting for input), for the stdin box. Replaced, not
// mutated, so a narrow selector re-renders only the box whose prompt changed.
import type { StateCreator } from 'zustand';
import type { LogLine, PartialLine } from '../../../shared/types';
import { afterLines, promptsOf, withPartial, type Prompts } from '../model/prompts';
import type { HearthStore } from './store';

export interface PromptsSlice {
  prompts: Prompts;
  resetPrompts(partial: readonly PartialLine[] | undefined): void;
  applyPartial(partial: PartialLine): void;
  linesArrived(lines: readonly LogLine[]): void;
}

export const createPromptsSlice: StateCreator<HearthStore, [], [], PromptsSlice> = (set, get) => ({
  prompts: {},
  resetPrompts(partial) {
    set({ prompts: promptsOf(partial) });
  },
  applyPartial(partial) {
    set((st) => ({ prompts: withPartial(st.prompts, partial) }));
  },
  linesArrived(lines) {
    const prompts = afterLines(get().prompts, lines);
    if (prompts !== get().prompts) set({ prompts });
  },
});
