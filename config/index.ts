export * from "./types";
export { PROJECT } from "./defaults";
export { ConfigError, KNOWN_KEYS, hasAwsStandby, parseConfig } from "./parse";
export { ConfigProblem } from "./reader";
export { loadConfig } from "./load";
