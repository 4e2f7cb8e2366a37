/** Version stamped into status reports and manifests. */
export const AGENT_VERSION = "1.0.0";
