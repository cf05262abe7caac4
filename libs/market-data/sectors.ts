/**
 * GICS sectors of the embedded universe (the scheme before September 2018, which still had
 * "Telecommunication Services") and the everyday names people type for them.
 */
export const GICS_SECTORS = [
  'Consumer Discretionary',
  'Consumer Staples',
  'Energy',
  'Financials',
  'Health Care',
  'Industrials',
  'Information Technology',
  'Materials',
  'Real Estate',
  'Telecommunication Services',
  'Utilities',
] as const;

/** Extra sector used only by synthetic benchmark universes. */
export const SYNTHETIC_SECTOR = 'Synthetic';

const ALIASES: Record<string, string> = {
  technology: 'Information Technology',
  tech: 'Information Technology',
  it: 'Information Technology',
  'info tech': 'Information Technology',
  healthcare: 'Health Care',
  health: 'Health Care',
  financial: 'Financials',
  finance: 'Financials',
  'financial services': 'Financials',
  banks: 'Financials',
  'consumer cyclical': 'Consumer Discretionary',
  discretionary: 'Consumer Discretionary',
  'consumer defensive': 'Consumer Staples',
  staples: 'Consumer Staples',
  industrial: 'Industrials',
  'basic materials': 'Materials',
  realestate: 'Real Estate',
  reit: 'Real Estate',
  reits: 'Real Estate',
  utility: 'Utilities',
  telecom: 'Telecommunication Services',
  telecoms: 'Telecommunication Services',
  telecommunications: 'Telecommunication Services',
  'telecommunications services': 'Telecommunication Services',
  'communication services': 'Telecommunication Services',
  communications: 'Telecommunication Services',
  synthetic: SYNTHETIC_SECTOR,
};

const CANONICAL = new Map<string, string>(
  [...GICS_SECTORS, SYNTHETIC_SECTOR].map((s) => [s.toLowerCase(), s]),
);

/** The canonical sector for a name or alias, case- and space-insensitive; `null` when unknown. */
export function resolveSector(input: string): string | null {
  const key = input.trim().replace(/\s+/g, ' ').toLowerCase();
  // Own keys only: "constructor" or "__proto__" must not resolve to Object's members (fuzz finding).
  return CANONICAL.get(key) ?? (Object.hasOwn(ALIASES, key) ? ALIASES[key]! : null);
}

/** The everyday names accepted for `sector` (lower case, as matched), for a client's sector picker. */
export function sectorAliases(sector: string): string[] {
  return Object.keys(ALIASES)
    .filter((alias) => ALIASES[alias] === sector)
    .sort();
}
