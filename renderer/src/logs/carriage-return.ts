// Progress bars redraw a line with `\r`; a terminal shows only what was written after the last one.
export function collapseCarriageReturns(text: string): string {
  let end = text.length;
  // A trailing \r (CRLF output, or a bar that ends with \r) would otherwise blank the line.
  while (end > 0 && text.charCodeAt(end - 1) === 13) end--;
  const trimmed = end === text.length ? text : text.slice(0, end);
  const cut = trimmed.lastIndexOf('\r');
  return cut < 0 ? trimmed : trimmed.slice(cut + 1);
}
