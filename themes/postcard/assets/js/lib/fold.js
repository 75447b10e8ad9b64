// The search index's folding and word splitting, as generator/search does
// them in Go (Fold and Tokens): compatibility decomposition, nonspacing
// marks removed, lower case, ß as ss; words are runs of letters and
// numbers, at most 32 of them. testdata/fold.json in generator/search
// holds the cases both sides must agree on.
export const maxTermRunes = 32;

export function fold(s) {
  return s.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase().replace(/ß/g, "ss");
}

export function tokens(s) {
  return fold(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "" && [...w].length <= maxTermRunes);
}
