/**
 * A DevId pattern where `*` stands for any run of characters (empty included) and every other character for itself.
 * Matching takes time linear in pattern + text: the literal pieces between stars are found left to right with KMP,
 * each at its leftmost place (leftmost is always right for `*`-only patterns), with no backtracking. `?` and brackets
 * are literal: DevIds are URN-like (`IMEI:…`, `MAC:…`) and one wildcard keeps the rule obvious.
 */
export type GlobMatcher = (text: string) => boolean;

/** KMP failure table: for each prefix of `piece`, the length of its longest proper prefix that is also a suffix. */
function failureTable(piece: string): Int32Array {
  const table = new Int32Array(piece.length);
  let k = 0;
  for (let i = 1; i < piece.length; i++) {
    while (k > 0 && piece[i] !== piece[k]) k = table[k - 1];
    if (piece[i] === piece[k]) k++;
    table[i] = k;
  }
  return table;
}

/** Where `piece` first ends in `text` within [from, limit) (the index after its last character); -1 when nowhere. */
function findEnd(text: string, from: number, limit: number, piece: string, table: Int32Array): number {
  let k = 0;
  for (let i = from; i < limit; i++) {
    while (k > 0 && text[i] !== piece[k]) k = table[k - 1];
    if (text[i] === piece[k]) k++;
    if (k === piece.length) return i + 1;
  }
  return -1;
}

export function globMatcher(pattern: string): GlobMatcher {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return (text) => text === pattern;
  const head = pieces[0];
  const tail = pieces[pieces.length - 1];
  const middle = pieces.slice(1, -1).filter((piece) => piece.length > 0).map((piece) => ({ piece, table: failureTable(piece) }));
  return (text) => {
    if (text.length < head.length + tail.length || !text.startsWith(head) || !text.endsWith(tail)) return false;
    const limit = text.length - tail.length;
    let at = head.length;
    for (const { piece, table } of middle) {
      const end = findEnd(text, at, limit, piece, table);
      if (end < 0) return false;
      at = end;
    }
    return true;
  };
}
