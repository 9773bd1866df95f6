// The zustand store (vanilla, one per session so tests are isolated), assembled from slices.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createPromptsSlice, type PromptsSlice } from './prompts-slice';
import { createServicesSlice, type ServicesSlice } from './services-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type HearthStore = ServicesSlice & PromptsSlice & UiSlice;
export type HearthStoreApi = StoreApi<HearthStore>;

export function createHearthStore(): HearthStoreApi {
  return createStore<HearthStore>()((...a) => ({
    ...createServicesSlice(...a),
    ...createPromptsSlice(...a),
    ...createUiSlice(...a),
  }));
}
