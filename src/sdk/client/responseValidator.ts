/**
 * Validates response bodies against the shared schemas (src/sdk/contract/apiSchemas.ts, the same
 * ones the OpenAPI document publishes). Validators compile lazily, once per schema.
 */
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv/dist/2020';
import type { ResponseSchemaName } from '../contract/apiSchemas';
import { responseSchemas } from '../contract/apiSchemas';

// Union types (`["number", "null"]`) are how JSON Schema 2020-12 spells nullable numbers.
const ajv = new Ajv2020({ allErrors: false, allowUnionTypes: true, strictTypes: false });
const compiled = new Map<ResponseSchemaName, ValidateFunction>();

function validatorFor(name: ResponseSchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = ajv.compile(responseSchemas[name]);
    compiled.set(name, v);
  }
  return v;
}

/** Null when `body` matches; otherwise "<json path> <what is wrong>", e.g. "/data/0/budgetMinutes must be number". */
export function schemaProblem(name: ResponseSchemaName, body: unknown): string | null {
  const validate = validatorFor(name);
  if (validate(body)) return null;
  const err = validate.errors?.[0];
  if (!err) return 'does not match the schema';
  return `${err.instancePath || '/'} ${err.message ?? 'is invalid'}`;
}
