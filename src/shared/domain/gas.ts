/**
 * Goal Attainment Scaling (Kiresuk & Sherman 1968): each goal is rated −2 … +2 (0 = the expected outcome)
 * with an optional weight 1–4; the summary T-score is
 *   T = 50 + 10·Σ(wᵢxᵢ) / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²),  ρ = 0.3 by default.
 * T = 50 means the goals were met as expected. Source: ../shared/domain/reference.md §3.5.
 */
export interface GasRating {
  score: number;
  weight?: number;
}

export const GAS_SCORES = [-2, -1, 0, 1, 2] as const;

export function gasTScore(ratings: readonly GasRating[], rho = 0.3): number | null {
  if (ratings.length === 0) return null;
  let sumWx = 0;
  let sumW = 0;
  let sumW2 = 0;
  for (const r of ratings) {
    if (!GAS_SCORES.includes(r.score as (typeof GAS_SCORES)[number]))
      throw new RangeError(`GAS score must be an integer from -2 to 2, got ${r.score}`);
    const w = r.weight ?? 1;
    if (!(w >= 1 && w <= 4)) throw new RangeError(`GAS weight must be 1-4, got ${w}`);
    sumWx += w * r.score;
    sumW += w;
    sumW2 += w * w;
  }
  const t = 50 + (10 * sumWx) / Math.sqrt((1 - rho) * sumW2 + rho * sumW * sumW);
  return Math.round(t * 10) / 10;
}
