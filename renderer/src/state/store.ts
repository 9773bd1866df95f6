// The zustand store (vanilla, one per session so tests are isolated), assembled from slices.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createInspectSlice, type InspectSlice } from './inspect-slice';
import { createPromptsSlice, type PromptsSlice } from './prompts-slice';
import { createServicesSlice, type ServicesSlice } from './services-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type HearthStore = ServicesSlice & PromptsSlice & UiSlice & InspectSlice;
export type HearthStoreApi = StoreApi<HearthStore>;

export function createHearthStore(): HearthStoreApi {
  return createStore<HearthStore>()((...a) => ({
    ...createServicesSlice(...a),
    ...createPromptsSlice(...a),
    ...createUiSlice(...a),
    ...createInspectSlice(...a),
  }));
}
