import { policyProxy } from "./policyInternals";

/** Marks a value that cannot be known until the update runs (a preview of a new resource). */
export const UNKNOWN: unique symbol = Symbol("unknown at preview");
/** The type of {@link UNKNOWN}. */
export type Unknown = typeof UNKNOWN;

/**
 * Reads properties through the runtime's unknown-checking proxy and returns {@link UNKNOWN}
 * instead of throwing when the read touches a value unknown at preview. Cross-resource rules use
 * it to skip what they cannot judge yet, rather than failing the whole policy.
 */
export function readKnown<T>(read: () => T): T | Unknown {
    try {
        return read();
    } catch (error) {
        if (error instanceof policyProxy.UnknownValueError) {
            return UNKNOWN;
        }
        throw error;
    }
}

/** True when `value` is a plain string that is known (not {@link UNKNOWN}, not empty). */
export function isKnownString(value: unknown): value is string {
    return typeof value === "string" && value.length > 0;
}

/**
 * Reads a list through the proxy item by item: {@link UNKNOWN} when the list itself is unknown,
 * otherwise its items with each unknown item as {@link UNKNOWN}; an absent list reads as empty.
 */
export function readKnownList<T>(read: () => T[] | undefined): (T | Unknown)[] | Unknown {
    const list = readKnown(read);
    if (list === UNKNOWN) {
        return UNKNOWN;
    }
    if (!Array.isArray(list)) {
        return [];
    }
    return Array.from({ length: list.length }, (_, index) => readKnown(() => list[index]));
}
