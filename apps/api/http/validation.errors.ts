import {
  getMetadataStorage,
  type ValidationArguments,
  type ValidationError,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { FieldError } from './problem.js';

/**
 * Which failed rule speaks for a field: the field should not be there at all, then its type (or
 * enum), then everything else (range, length, pattern). A client sent `"maxSymbols": "many"` wants
 * to hear "must be an integer", not also "must not be greater than 500".
 */
const PRESENCE = new Set(['whitelistValidation', 'unknownValue', 'isDefined']);
const TYPE = new Set([
  'isArray',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isObject',
  'isIn',
  'isEnum',
  'nestedValidation',
]);
const rank = (constraint: string): number =>
  PRESENCE.has(constraint) ? 0 : TYPE.has(constraint) ? 1 : 2;

/** Array items past this many invalid ones are summed up in one message on the array. */
export const MAX_ITEM_ERRORS = 10;

/** The failed constraint names of one error, first failed rule first (stable within a rank). */
function ranked(constraints: Record<string, string>): string[] {
  return Object.keys(constraints)
    .map((name, order) => ({ name, order }))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.order - b.order)
    .map((c) => c.name);
}

interface EachRule {
  name: string;
  constraints: unknown[];
  message: unknown;
  validator: ValidatorConstraintInterface;
}

/**
 * The `{ each: true }` rules declared on a property, with their validators: class-validator checks
 * them item by item but reports only "each value in texts …", never which item. Re-running them on
 * each item names it (`texts[3]`).
 */
function eachRules(target: object, property: string): EachRule[] {
  const storage = getMetadataStorage();
  return storage
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .filter((m) => m.propertyName === property && m.each && m.constraintCls)
    .flatMap((m) =>
      storage.getTargetValidatorConstraints(m.constraintCls).map((c) => ({
        name: c.name,
        constraints: (m.constraints as unknown[] | undefined) ?? [],
        message: m.message,
        validator: c.instance as ValidatorConstraintInterface,
      })),
    );
}

/** A rule's message for one value, with class-validator's tokens filled in and no "each value in". */
function messageFor(rule: EachRule, args: ValidationArguments): string {
  const template =
    typeof rule.message === 'function'
      ? String((rule.message as (a: ValidationArguments) => unknown)(args))
      : typeof rule.message === 'string'
        ? rule.message
        : (rule.validator.defaultMessage?.(args) ?? `$property is invalid`);
  let text = template.replace(/^each value in /, '');
  rule.constraints.forEach((c, i) => {
    text = text.replaceAll(`$constraint${i + 1}`, Array.isArray(c) ? c.join(', ') : String(c));
  });
  if (['string', 'number', 'boolean'].includes(typeof args.value))
    text = text.replaceAll('$value', String(args.value));
  return text.replaceAll('$property', args.property).replaceAll('$target', args.targetName);
}

/** One error per invalid item of `value` (its first failed rule), or null to keep the array's own. */
function itemErrors(error: ValidationError, field: string, names: string[]): FieldError[] | null {
  if (!Array.isArray(error.value) || !error.target) return null;
  const rules = eachRules(error.target, error.property).filter((r) => names.includes(r.name));
  if (rules.length === 0) return null;
  rules.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
  const found: FieldError[] = [];
  let more = 0;
  for (const [index, value] of (error.value as unknown[]).entries()) {
    const args: ValidationArguments = {
      value,
      constraints: [],
      targetName: error.target.constructor.name,
      object: error.target,
      property: `${field}[${index}]`,
    };
    const failed = rules.find((r) => {
      const ok = r.validator.validate(value, { ...args, constraints: r.constraints });
      // An asynchronous rule is not judged here; with no item found, the array keeps its message.
      return ok instanceof Promise ? false : !ok;
    });
    if (!failed) continue;
    if (found.length < MAX_ITEM_ERRORS)
      found.push({
        field: args.property,
        message: messageFor(failed, { ...args, constraints: failed.constraints }),
      });
    else more++;
  }
  if (found.length === 0) return null;
  if (more > 0)
    found.push({ field, message: `${field} has ${more} more invalid item(s) not listed` });
  return found;
}

const childField = (parent: string, property: string): string =>
  parent === ''
    ? property
    : /^\d+$/.test(property)
      ? `${parent}[${property}]`
      : `${parent}.${property}`;

const EACH = /^each value in /;

/**
 * class-validator's errors as one message per invalid field: the first failed rule (presence, then
 * type, then the rest), array items named by index (`texts[3]`), nested fields dotted.
 */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = childField(parent, e.property);
    const constraints = e.constraints ?? {};
    const names = ranked(constraints);
    // Rules on the property itself (an array: is one, not too few or many items) and on its items.
    const own = names.filter((n) => !EACH.test(constraints[n]!));
    const each = names.filter((n) => EACH.test(constraints[n]!));
    const found: FieldError[] = [];
    if (own.length > 0) {
      // Messages start with the property's name; a nested one gets its whole path.
      const message = constraints[own[0]!]!;
      found.push({
        field,
        message: message.startsWith(e.property)
          ? field + message.slice(e.property.length)
          : message,
      });
    }
    if (each.length > 0) {
      const items = itemErrors(e, field, each);
      if (items) found.push(...items);
      else if (own.length === 0)
        found.push({ field, message: constraints[each[0]!]!.replace(EACH, '') });
    }
    return [...found, ...fieldErrors(e.children ?? [], field)];
  });
}
