/**
 * Turns ajv's JSON-Schema errors into InputErrors that point at the offending YAML node, with a
 * message a person can act on ("unknown key \"tokn\" in backend (expected one of: kind, url)").
 * Ajv runs with `verbose: true` so each error carries the schema that failed (for descriptions
 * and the list of allowed keys).
 */
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError } from '../contract/errors';
import { formatPath, locatePath } from './yamlSource';
import type { YamlPath, YamlSource } from './yamlSource';

/** `/groups/a~1b/0` -> ['groups', 'a/b', 0] (RFC 6901 unescaping; digit-only segments as indexes). */
export function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

function typeName(t: unknown): string {
  const names: Record<string, string> = { object: 'mapping', array: 'list', string: 'string', number: 'number', integer: 'integer', boolean: 'boolean', null: 'null' };
  const list = Array.isArray(t) ? t : [t];
  return list.map((x) => names[String(x)] ?? String(x)).join(' or ');
}

function schemaDescription(e: ErrorObject): string | undefined {
  const ps: unknown = e.parentSchema;
  if (ps && typeof ps === 'object' && 'description' in ps && typeof ps.description === 'string') return ps.description;
  return undefined;
}

function allowedKeys(e: ErrorObject): string[] {
  const ps: unknown = e.parentSchema;
  if (ps && typeof ps === 'object' && 'properties' in ps && ps.properties && typeof ps.properties === 'object') {
    return Object.keys(ps.properties);
  }
  return [];
}

/** One ajv error -> one InputError at the node it is about. */
export function schemaErrorToInputError(src: YamlSource, e: ErrorObject): InputError {
  const path: YamlPath = pointerToPath(e.instancePath);
  const where = formatPath(path);
  const params = e.params as Record<string, unknown>;
  if (e.propertyName !== undefined) {
    // A `propertyNames` failure: the key itself is wrong, so point at the key.
    const what = schemaDescription(e) ?? e.message ?? 'invalid';
    return new InputError(`${where}: key "${e.propertyName}" is not valid: ${what}`, locatePath(src, [...path, e.propertyName], true));
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = allowedKeys(e);
      const hint = allowed.length > 0 ? ` (expected one of: ${allowed.join(', ')})` : '';
      const inWhere = path.length === 0 ? 'at the top level' : `in ${where}`;
      return new InputError(`unknown key "${key}" ${inWhere}${hint}`, locatePath(src, [...path, key], true));
    }
    case 'required':
      return new InputError(`${where}: missing required key "${String(params.missingProperty)}"`, locatePath(src, path));
    case 'type':
      return new InputError(`${where}: must be a ${typeName(params.type)}, got ${describeValue(e.data)}`, locatePath(src, path));
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => String(v)).join(', ');
      return new InputError(`${where}: must be one of ${allowed}, got ${describeValue(e.data)}`, locatePath(src, path));
    }
    case 'const':
      return new InputError(`${where}: must be ${JSON.stringify(params.allowedValue)}, got ${describeValue(e.data)}`, locatePath(src, path));
    case 'discriminator': {
      const tag = String(params.tag);
      if (params.error === 'mapping') {
        return new InputError(`${formatPath([...path, tag])}: unsupported value ${describeValue(params.tagValue)}`, locatePath(src, [...path, tag]));
      }
      return new InputError(`${where}: "${tag}" must be a string`, locatePath(src, path));
    }
    case 'pattern':
    case 'format': {
      const what = schemaDescription(e) ?? `must match ${String(params.pattern ?? params.format)}`;
      return new InputError(`${where}: ${describeValue(e.data)} is not valid: ${what}`, locatePath(src, path));
    }
    default:
      return new InputError(`${where}: ${e.message ?? e.keyword}`, locatePath(src, path));
  }
}

/** All ajv errors as InputErrors, in source order, without duplicates. */
export function schemaErrorsToInputErrors(src: YamlSource, errors: readonly ErrorObject[]): InputError[] {
  const seen = new Set<string>();
  const out: InputError[] = [];
  for (const e of errors) {
    // `oneOf`/`if` summaries repeat what the branch errors already say.
    if (e.keyword === 'oneOf' || e.keyword === 'if' || e.keyword === 'anyOf') continue;
    const err = schemaErrorToInputError(src, e);
    if (seen.has(err.message)) continue;
    seen.add(err.message);
    out.push(err);
  }
  return out.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}

let ajv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

/** The validator for a schema, compiled once per process (compiling costs milliseconds). */
function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    ajv ??= new Ajv({ allErrors: true, verbose: true, discriminator: true, strict: true, allowUnionTypes: true });
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** Validates the parsed YAML value against a JSON Schema; every violation as an InputError at its node. */
export function validateYamlSource(src: YamlSource, schema: object, value: unknown = src.value): InputError[] {
  const validate = validatorFor(schema);
  return validate(value) ? [] : schemaErrorsToInputErrors(src, validate.errors ?? []);
}
