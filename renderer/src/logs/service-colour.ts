// A stable colour slot per service name, so `api` is the same colour in every session and view.
export const SERVICE_COLOUR_SLOTS = 10;

export function serviceColourSlot(name: string): number {
  // FNV-1a: tiny, deterministic, spreads similar names (api, api2) apart.
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SERVICE_COLOUR_SLOTS;
}
