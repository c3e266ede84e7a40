/**
 * Finding people by name the way Polish users type: without diacritics ("lukasz" finds "Łukasz", "wisn" finds
 * "Wiśniewska"). NFD alone leaves ł and Ł whole (they are letters of their own, not l plus a mark).
 */
export function foldName(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').replace(/ł/g, 'l').replace(/Ł/g, 'L').toLowerCase();
}

/** Whether every word of `query` starts some word of `name` (order free). An empty query matches nothing. */
export function nameMatches(name: string, query: string): boolean {
  const wanted = foldName(query).split(/\s+/).filter(Boolean);
  if (wanted.length === 0) return false;
  const words = foldName(name).split(/[\s-]+/).filter(Boolean);
  return wanted.every((part) => words.some((word) => word.startsWith(part)));
}
