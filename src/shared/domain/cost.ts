/**
 * Monthly cost of a service from its price: a monthly price as is; an hourly price × hours per week ×
 * 52 weeks / 12 months. Null when the price or, for hourly prices, the hours are not known.
 */
export function monthlyCost(s: {
  priceAmount: number | null;
  priceUnit: string | null;
  hoursPerWeek: number | null;
}): number | null {
  if (s.priceAmount === null || s.priceUnit === null) return null;
  if (s.priceUnit === 'month') return round2(s.priceAmount);
  if (s.hoursPerWeek === null) return null;
  return round2((s.priceAmount * s.hoursPerWeek * 52) / 12);
}

const round2 = (n: number) => Math.round(n * 100) / 100;
