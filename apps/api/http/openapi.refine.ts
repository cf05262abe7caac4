import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * What each named enum means. @nestjs/swagger gives an `enumName` component no description, and a
 * description next to a `$ref` is ignored in OpenAPI 3.0, so the meaning lives on the enum itself.
 */
const ENUM_DESCRIPTIONS: Record<string, string> = {
  Signal:
    'What the TechRating says to do: ≥ 75 Strong Long, ≥ 60 Long, ≤ 25 Strong Short, ≤ 40 Short, otherwise Avoid',
  PlanSide: 'long: stop below the entry, target above; short: stop above, target below',
  Profile:
    'Risk profile (min price / max ATR % / min 20-day dollar volume / default min rating): ' +
    'conservative 15 / 2.5 % / 10 M / 65, balanced 10 / 3.5 % / 5 M / 55, aggressive 5 / 6 % / 3 M / 45',
  Direction:
    'long: strongest ratings first, Long/Strong Long only; short: weakest first, Short/Strong Short only; both: farthest from neutral 50 first',
  ScanStatus: 'queued → running → completed or failed',
  ScanStage: 'loading 5 %, fetching 20 %, scanning 70 %, finalizing 5 % of the progress',
  FilterName: "A profile's or direction's filter a symbol did not meet",
  BarInterval: 'day, or week/month periods dated by their first trading day',
  SentimentLabel: 'The most likely class of the text',
  GrantedScope: 'A scope an installation token may carry',
  HealthStatus: 'ok when every check is up',
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `{description, allOf: [{$ref}]}` is how @nestjs/swagger attaches a description to a referenced
 * enum; generators then make a wrapper type of one member (swift-openapi-generator does) and
 * Redocly warns. A plain `$ref` is what a client wants; the enum component carries the meaning.
 * A nullable reference keeps its allOf: OpenAPI 3.0 has no other way to say "this or null".
 */
function collapseSingleAllOf(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(collapseSingleAllOf);
  if (!isObject(node)) return;
  for (const value of Object.values(node)) collapseSingleAllOf(value);
  const allOf = node.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && node.nullable !== true) {
    const [only] = allOf as Json[];
    for (const key of Object.keys(node)) delete node[key];
    Object.assign(node, only);
  }
}

/** The finishing touches @nestjs/swagger cannot express through decorators; mutates `document`. */
export function refineDocument(document: OpenAPIObject): OpenAPIObject {
  collapseSingleAllOf(document.paths);
  collapseSingleAllOf(document.components);
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  for (const [name, description] of Object.entries(ENUM_DESCRIPTIONS)) {
    const schema = schemas[name];
    if (!schema) throw new Error(`refineDocument: no enum component ${name}`);
    schema.description = description;
  }
  return document;
}
