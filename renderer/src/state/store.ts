// The zustand store (vanilla, one per session so tests are isolated), assembled from slices.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createServicesSlice, type ServicesSlice } from './services-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type HearthStore = ServicesSlice & UiSlice;
export type HearthStoreApi = StoreApi<HearthStore>;

export function createHearthStore(): HearthStoreApi {
  return createStore<HearthStore>()((...a) => ({
    ...createServicesSlice(...a),
    ...createUiSlice(...a),
  }));
}
