import { editDistance } from "../lib/editDistance";
/** One thing wrong with the stack configuration, tied to the key that holds it. */
export interface ConfigProblem {
    /** The key without its namespace, e.g. `standbyCidr`. */
    readonly key: string;
    readonly message: string;
}

/** Checks one value; returns why it is wrong, or undefined when it is fine. */
export type ValueCheck<T> = (value: T) => string | undefined;

/**
 * Reads raw stack config (every value a string, as Pulumi hands it to programs) into typed
 * values, collecting problems instead of throwing so one run reports every bad key.
 * Each getter returns the default when the key is absent or invalid.
 */
export class ConfigReader {
    private readonly problemList: ConfigProblem[] = [];
    private readonly readKeys = new Set<string>();

    constructor(private readonly values: Readonly<Record<string, string>>) {}

    /** Every problem recorded so far, in the order found. */
    get problems(): readonly ConfigProblem[] {
        return this.problemList;
    }

    /** Records a problem found by a cross-key check. */
    report(key: string, message: string): void {
        this.problemList.push({ key, message });
    }

    /** True when the stack sets the key at all. */
    has(key: string): boolean {
        this.readKeys.add(key);
        return this.values[key] !== undefined;
    }

    string(key: string, fallback: string, check?: ValueCheck<string>): string {
        return this.optionalString(key, check) ?? fallback;
    }

    optionalString(key: string, check?: ValueCheck<string>): string | undefined {
        const raw = this.rawValue(key);
        if (raw === undefined) {
            return undefined;
        }
        const value = raw.trim();
        const problem = value === "" ? "must not be empty" : check?.(value);
        if (problem) {
            this.report(key, problem);
            return undefined;
        }
        return value;
    }

    oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T;
    oneOf<T extends string>(key: string, allowed: readonly T[], fallback: undefined): T | undefined;
    oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
        const raw = this.rawValue(key);
        if (raw === undefined) {
            return fallback;
        }
        if (!(allowed as readonly string[]).includes(raw.trim())) {
            this.report(key, `"${raw}" is not one of ${allowed.join(", ")}`);
            return fallback;
        }
        return raw.trim() as T;
    }

    boolean(key: string, fallback: boolean): boolean {
        const raw = this.rawValue(key);
        if (raw === undefined) {
            return fallback;
        }
        const value = raw.trim().toLowerCase();
        if (value !== "true" && value !== "false") {
            this.report(key, `"${raw}" is not a boolean; use true or false`);
            return fallback;
        }
        return value === "true";
    }

    integer(key: string, fallback: number, min: number, max: number): number {
        const raw = this.rawValue(key);
        if (raw === undefined) {
            return fallback;
        }
        const value = Number(raw.trim());
        if (raw.trim() === "" || !Number.isInteger(value)) {
            this.report(key, `"${raw}" is not a whole number`);
            return fallback;
        }
        if (value < min || value > max) {
            this.report(key, `${value} is out of range; allowed ${min}-${max}`);
            return fallback;
        }
        return value;
    }

    /** A YAML list of strings; each item is checked, duplicates are refused. */
    stringList(key: string, fallback: readonly string[], check?: ValueCheck<string>): string[] {
        const parsed = this.structured(key);
        if (parsed === undefined) {
            return [...fallback];
        }
        if (!Array.isArray(parsed) || parsed.some(item => typeof item !== "string")) {
            this.report(key, "must be a list of strings");
            return [...fallback];
        }
        const items = parsed as string[];
        let ok = true;
        items.forEach((item, index) => {
            const problem = check?.(item);
            if (problem) {
                this.report(key, `item ${index} (${JSON.stringify(item)}): ${problem}`);
                ok = false;
            }
        });
        const duplicates = items.filter((item, index) => items.indexOf(item) !== index);
        if (duplicates.length > 0) {
            this.report(key, `lists ${[...new Set(duplicates)].join(", ")} more than once`);
            ok = false;
        }
        return ok ? items : [...fallback];
    }

    /**
     * A structured (YAML list or map) value, parsed; undefined when absent or unparsable
     * (the latter reported).
     */
    structured(key: string): unknown {
        const raw = this.rawValue(key);
        if (raw === undefined) {
            return undefined;
        }
        try {
            return JSON.parse(raw);
        } catch {
            this.report(key, "must be a YAML list or map (set it with `pulumi config set --path` or in the stack file)");
            return undefined;
        }
    }

    /** Keys the stack sets that nothing read: almost always typos, reported with a suggestion. */
    reportUnreadKeys(knownKeys: readonly string[]): void {
        for (const key of Object.keys(this.values)) {
            if (this.readKeys.has(key) || knownKeys.includes(key)) {
                continue;
            }
            const suggestion = closestKey(key, knownKeys);
            this.report(key, `is not a setting of this program${suggestion ? `; did you mean ${suggestion}?` : ""}`);
        }
    }

    private rawValue(key: string): string | undefined {
        this.readKeys.add(key);
        return this.values[key];
    }
}

function closestKey(key: string, candidates: readonly string[]): string | undefined {
    let best: { name: string; distance: number } | undefined;
    for (const name of candidates) {
        const distance = editDistance(key.toLowerCase(), name.toLowerCase());
        if (distance <= 3 && (!best || distance < best.distance)) {
            best = { name, distance };
        }
    }
    return best?.name;
}
