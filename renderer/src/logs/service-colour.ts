// A stable colour slot per service name, so `api` is the same colour in every session and view.
export const SERVICE_COLOUR_SLOTS = 12;

export function serviceColourSlot(name: string): number {
  // FNV-1a, then a murmur3-style finalizer so short similar names (api, app, db) spread over the slots.
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % SERVICE_COLOUR_SLOTS;
}
