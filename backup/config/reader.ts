import { readFileSync } from "node:fs";
import { parseDuration } from "./durations";

/**
 * Reads typed values from a flat key/value source and collects problems instead of throwing,
 * so a caller can report every bad key at once.
 */
export class ConfigReader {
  readonly problems: string[] = [];

  constructor(private readonly values: Record<string, string | undefined>) {}

  /** A string value; `fallback` when unset; a problem when required and unset. */
  string(key: string, fallback?: string): string {
    const value = this.values[key]?.trim();
    if (value) return value;
    if (fallback === undefined) this.problems.push(`${key} is required`);
    return fallback ?? "";
  }

  /** An optional string value. */
  optional(key: string): string | undefined {
    const value = this.values[key]?.trim();
    return value ? value : undefined;
  }

  /** A secret given directly (`KEY`) or as a file (`KEY_FILE`), never both. */
  secret(key: string, required: boolean): string | undefined {
    const direct = this.optional(key);
    const file = this.optional(`${key}_FILE`);
    if (direct !== undefined && file !== undefined) {
      this.problems.push(`${key} and ${key}_FILE are both set; set one`);
      return undefined;
    }
    if (file !== undefined) {
      try {
        return readFileSync(file, "utf8").trim();
      } catch (error) {
        this.problems.push(`${key}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
        return undefined;
      }
    }
    if (direct === undefined && required) this.problems.push(`${key} (or ${key}_FILE) is required`);
    return direct;
  }

  /** An integer within [min, max]. */
  integer(key: string, fallback: number, min: number, max: number): number {
    const text = this.optional(key);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
      return fallback;
    }
    return value;
  }

  /** A duration in milliseconds, at least `minMs`. */
  duration(key: string, fallback: string, minMs: number): number {
    const text = this.optional(key) ?? fallback;
    try {
      const value = parseDuration(text);
      if (value < minMs) throw new Error(`must be at least ${minMs} ms`);
      return value;
    } catch (error) {
      this.problems.push(`${key}: ${(error as Error).message}`);
      return parseDuration(fallback);
    }
  }

  /** One of a fixed set of strings. */
  choice<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const text = this.optional(key) ?? fallback;
    if ((choices as readonly string[]).includes(text)) return text as T;
    this.problems.push(`${key} must be one of ${choices.join(", ")}, got ${JSON.stringify(text)}`);
    return fallback;
  }

  /** A comma-separated list (empty entries dropped). */
  list(key: string): string[] {
    return (this.optional(key) ?? "").split(",").map((item) => item.trim()).filter((item) => item !== "");
  }
}
