// Case-insensitive substring search over plain (ANSI-free) log text.

export type Range = readonly [start: number, end: number];

export function normaliseQuery(query: string): string {
  return query.trim().toLowerCase();
}

/** All non-overlapping occurrences of `needle` (already lower-cased) in `text`. */
export function findRanges(text: string, needle: string): Range[] {
  if (!needle) return [];
  const hay = text.toLowerCase();
  const out: Range[] = [];
  let from = 0;
  for (;;) {
    const at = hay.indexOf(needle, from);
    if (at < 0) return out;
    out.push([at, at + needle.length]);
    from = at + needle.length;
  }
}

export function matches(text: string, needle: string): boolean {
  return needle !== '' && text.toLowerCase().includes(needle);
}

/**
 * Splits styled segments at match boundaries so matched pieces can be wrapped in <mark>.
 * `ranges` are offsets into the concatenated segment text.
 */
export function splitByRanges<S extends { text: string }>(
  segments: readonly S[],
  ranges: readonly Range[],
): Array<S & { match: boolean; matchIndex: number }> {
  const out: Array<S & { match: boolean; matchIndex: number }> = [];
  let offset = 0;
  let r = 0;
  for (const seg of segments) {
    const segEnd = offset + seg.text.length;
    let pos = offset;
    while (pos < segEnd) {
      while (r < ranges.length && (ranges[r] as Range)[1] <= pos) r++;
      const range = ranges[r];
      if (!range || range[0] >= segEnd) {
        out.push({ ...seg, text: seg.text.slice(pos - offset), match: false, matchIndex: -1 });
        pos = segEnd;
      } else if (range[0] > pos) {
        out.push({ ...seg, text: seg.text.slice(pos - offset, range[0] - offset), match: false, matchIndex: -1 });
        pos = range[0];
      } else {
        const end = Math.min(range[1], segEnd);
        out.push({ ...seg, text: seg.text.slice(pos - offset, end - offset), match: true, matchIndex: r });
        pos = end;
      }
    }
    offset = segEnd;
  }
  return out;
}
