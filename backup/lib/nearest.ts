import { editDistance } from "../../lib/editDistance";

/** The `count` candidates closest to `word` by edit distance, closest first (ties keep their order). */
export function nearest(word: string, candidates: readonly string[], count: number): string[] {
  return candidates
    .map((candidate, index) => ({ candidate, index, distance: editDistance(word, candidate) }))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .slice(0, count)
    .map((entry) => entry.candidate);
}
