/** Candidates of the `:` palette that fit what is typed: prefix matches first, then substrings. */
export function paletteMatches(text: string, candidates: readonly string[], limit = 8): string[] {
  const t = text.trim().toLowerCase();
  const prefix = candidates.filter((c) => c.toLowerCase().startsWith(t));
  const inside = t ? candidates.filter((c) => !c.toLowerCase().startsWith(t) && c.toLowerCase().includes(t)) : [];
  return [...prefix, ...inside].slice(0, limit);
}

/**
 * Tab completion: the one candidate starting with the text, else their longest common
 * prefix; pressed again on an ambiguous prefix it takes the first candidate.
 */
export function complete(text: string, candidates: readonly string[]): string {
  const t = text.toLowerCase();
  const matches = candidates.filter((c) => c.toLowerCase().startsWith(t));
  if (matches.length === 0) return text;
  if (matches.length === 1) return matches[0]!;
  let prefix = matches[0]!;
  for (const m of matches) {
    let i = 0;
    while (i < prefix.length && i < m.length && prefix[i]!.toLowerCase() === m[i]!.toLowerCase()) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix.length > text.length ? prefix : matches[0]!;
}
