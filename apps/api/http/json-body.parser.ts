import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { ProblemException } from './problem.js';
import { MAX_ARRAY_ITEMS, MAX_INPUT_DEPTH, MAX_OBJECT_KEYS } from './validation.pipe.js';

const LIMITS: ShapeLimits = {
  depth: MAX_INPUT_DEPTH,
  keys: MAX_OBJECT_KEYS,
  items: MAX_ARRAY_ITEMS,
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/** Bounds no DTO of this api comes near. */
export interface ShapeLimits {
  depth: number;
  keys: number;
  items: number;
}

/**
 * What makes JSON text wider or deeper than `limits`, read from its bytes in one pass without
 * building anything (brackets and commas inside strings do not count); null when it fits. Parsing
 * first would build every level and item: 500,000 levels of `[[[…` or 250,000 strings held the
 * event loop for hundreds of milliseconds before a check on the parsed value could refuse them.
 */
export function jsonShapeProblem(text: Buffer, limits: ShapeLimits): string | null {
  const commas: number[] = [];
  const arrays: boolean[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (commas.length === limits.depth) return `body nests deeper than ${limits.depth} levels`;
      commas.push(0);
      arrays.push(byte === OPEN_ARRAY);
    } else if (CLOSE.has(byte)) {
      commas.pop();
      arrays.pop();
    } else if (byte === COMMA && commas.length > 0) {
      const count = ++commas[commas.length - 1]! + 1;
      if (arrays[arrays.length - 1] && count > limits.items)
        return `an array in the body has more than ${limits.items} items`;
      if (!arrays[arrays.length - 1] && count > limits.keys)
        return `an object in the body has more than ${limits.keys} fields`;
    }
  }
  return null;
}

/**
 * The JSON body parser: refuses a body deeper or wider than any DTO before parsing it, then parses
 * as Fastify does (prototype poisoning refused). The validation pipe checks the same bounds on
 * what arrives already parsed (WebSocket messages).
 */
export function depthCheckedJsonParser(fastify: FastifyInstance): FastifyBodyParser<Buffer> {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    const problem = jsonShapeProblem(body, LIMITS);
    if (problem !== null) {
      done(new ProblemException(400, `Invalid request: ${problem}`), undefined);
      return;
    }
    parse(request, body.toString('utf8'), done);
  };
}
