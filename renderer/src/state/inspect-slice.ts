// What the detail area of the selected service shows (its logs, health timeline or captures), the health
// histories fetched for it, and the flame graph open over the page.
import type { StateCreator } from 'zustand';
import type { HealthRun } from '../../../shared/types';
import type { HearthStore } from './store';

export type DetailTab = 'logs' | 'health' | 'captures';

export interface FlameView {
  service: string;
  name: string;
  /** The speedscope page's URL, with the profile's blob: URL in it. */
  url: string;
  /** The blob: URL itself, revoked when the view closes. */
  blobUrl: string;
}

export interface InspectSlice {
  detailTab: DetailTab;
  healthRuns: Record<string, HealthRun[]>;
  flame: FlameView | null;
  setDetailTab(tab: DetailTab): void;
  setHealthRuns(service: string, runs: HealthRun[]): void;
  setFlame(flame: FlameView | null): void;
}

export const createInspectSlice: StateCreator<HearthStore, [], [], InspectSlice> = (set) => ({
  detailTab: 'logs',
  healthRuns: {},
  flame: null,
  setDetailTab(detailTab) {
    set({ detailTab });
  },
  setHealthRuns(service, runs) {
    set((st) => ({ healthRuns: { ...st.healthRuns, [service]: runs } }));
  },
  setFlame(flame) {
    set({ flame });
  },
});
