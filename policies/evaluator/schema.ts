import { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";

/** The JSON Schema keywords {@link validateAgainstSchema} implements; a schema using others is refused. */
export const SUPPORTED_KEYWORDS = new Set([
    "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern",
    "items", "minItems", "maxItems", "uniqueItems", "properties", "required", "additionalProperties", "description", "default",
]);

/** Keywords of `schema` (recursively) that the validator does not implement. */
export function unsupportedKeywords(schema: PolicyConfigJSONSchemaDefinition): string[] {
    if (typeof schema === "boolean") {
        return [];
    }
    const own = Object.keys(schema).filter(keyword => !SUPPORTED_KEYWORDS.has(keyword));
    const nested: PolicyConfigJSONSchemaDefinition[] = [
        ...(schema.items === undefined ? [] : Array.isArray(schema.items) ? schema.items : [schema.items]),
        ...Object.values(schema.properties ?? {}),
        ...(schema.additionalProperties === undefined ? [] : [schema.additionalProperties]),
    ];
    if (Array.isArray(schema.items)) {
        own.push("items (tuple form)");
    }
    return [...own, ...nested.flatMap(unsupportedKeywords)];
}

/**
 * Checks `value` against a JSON Schema (draft 4-7 subset the engine's gojsonschema also reads)
 * and returns one message per problem, each starting with `path`.
 */
export function validateAgainstSchema(value: unknown, schema: PolicyConfigJSONSchemaDefinition, path: string): string[] {
    if (schema === true) {
        return [];
    }
    if (schema === false) {
        return [`${path}: is not allowed`];
    }
    const types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types && !types.some(type => hasType(value, type))) {
        return [`${path}: expected ${types.join(" or ")}, got ${typeName(value)}`];
    }
    const problems: string[] = [];
    if (schema.enum && !schema.enum.some(option => sameJson(option, value))) {
        problems.push(`${path}: must be one of ${schema.enum.map(option => JSON.stringify(option)).join(", ")}, got ${JSON.stringify(value)}`);
    }
    if (schema.const !== undefined && !sameJson(schema.const, value)) {
        problems.push(`${path}: must be ${JSON.stringify(schema.const)}`);
    }
    if (typeof value === "number") {
        problems.push(...numberProblems(value, schema, path));
    }
    if (typeof value === "string") {
        problems.push(...stringProblems(value, schema, path));
    }
    if (Array.isArray(value)) {
        problems.push(...arrayProblems(value, schema, path));
    } else if (isPlainObject(value)) {
        problems.push(...objectProblems(value, schema, path));
    }
    return problems;
}

function numberProblems(value: number, schema: PolicyConfigJSONSchema, path: string): string[] {
    const problems: string[] = [];
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: must be at least ${schema.minimum}, got ${value}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: must be at most ${schema.maximum}, got ${value}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) problems.push(`${path}: must be greater than ${schema.exclusiveMinimum}, got ${value}`);
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) problems.push(`${path}: must be less than ${schema.exclusiveMaximum}, got ${value}`);
    return problems;
}

function stringProblems(value: string, schema: PolicyConfigJSONSchema, path: string): string[] {
    const problems: string[] = [];
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${path}: must be at least ${schema.minLength} characters long`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${path}: must be at most ${schema.maxLength} characters long`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) problems.push(`${path}: must match ${schema.pattern}`);
    return problems;
}

function arrayProblems(value: unknown[], schema: PolicyConfigJSONSchema, path: string): string[] {
    const problems: string[] = [];
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${path}: must have at least ${schema.minItems} item(s)`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${path}: must have at most ${schema.maxItems} item(s)`);
    if (schema.uniqueItems) {
        const seen = value.map(item => JSON.stringify(item));
        const repeated = seen.filter((item, index) => seen.indexOf(item) !== index);
        if (repeated.length > 0) problems.push(`${path}: items must be unique; ${[...new Set(repeated)].join(", ")} repeats`);
    }
    const items = schema.items;
    if (items !== undefined && !Array.isArray(items)) {
        value.forEach((item, index) => problems.push(...validateAgainstSchema(item, items, `${path}[${index}]`)));
    }
    return problems;
}

function objectProblems(value: Record<string, unknown>, schema: PolicyConfigJSONSchema, path: string): string[] {
    const problems: string[] = [];
    for (const key of schema.required ?? []) {
        if (!(key in value)) problems.push(`${path}.${key}: is required`);
    }
    for (const [key, item] of Object.entries(value)) {
        const property = schema.properties?.[key];
        if (property !== undefined) {
            problems.push(...validateAgainstSchema(item, property, `${path}.${key}`));
        } else if (schema.additionalProperties !== undefined) {
            problems.push(...validateAgainstSchema(item, schema.additionalProperties, `${path}.${JSON.stringify(key)}`));
        }
    }
    return problems;
}

function hasType(value: unknown, type: string): boolean {
    switch (type) {
        case "integer":
            return Number.isInteger(value);
        case "number":
            return typeof value === "number" && Number.isFinite(value);
        case "object":
            return isPlainObject(value);
        case "array":
            return Array.isArray(value);
        case "null":
            return value === null;
        default:
            return typeof value === type;
    }
}

function typeName(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (Number.isInteger(value)) return `integer ${value}`;
    return typeof value === "object" ? "object" : `${typeof value} ${JSON.stringify(value)}`;
}

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}
