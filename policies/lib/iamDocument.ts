/** One finding in a policy document: a statement that allows a wildcard action. */
export interface WildcardGrant {
    /** 1-based position of the statement in the document. */
    readonly statement: number;
    readonly sid?: string;
    /** The wildcard action, or undefined when the statement allows everything except `NotAction`. */
    readonly action?: string;
}

/** The result of reading a policy document: its wildcard grants, or why it could not be read. */
export type DocumentScan = { readonly grants: WildcardGrant[] } | { readonly unreadable: string };

/** `*` alone, or a whole service such as `s3:*` (case-insensitive, as IAM compares actions). */
export function isWildcardAction(action: string): boolean {
    return action.trim() === "*" || /^[a-z0-9-]+:\*$/i.test(action.trim());
}

/**
 * Finds the Allow statements of an IAM-style policy document (a JSON string or an object, as
 * providers accept both) that grant `*`, `service:*`, or everything but a `NotAction` list.
 * Deny statements may use wildcards: denying broadly is how guardrails are written.
 */
export function scanPolicyDocument(document: unknown): DocumentScan {
    let parsed: unknown = document;
    if (typeof document === "string") {
        try {
            parsed = JSON.parse(document);
        } catch {
            return { unreadable: "is not valid JSON" };
        }
    }
    if (typeof parsed !== "object" || parsed === null) {
        return { unreadable: "is not a JSON object" };
    }
    const raw = (parsed as { Statement?: unknown }).Statement;
    const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    const grants: WildcardGrant[] = [];
    statements.forEach((statement: unknown, index) => {
        if (typeof statement !== "object" || statement === null) {
            return;
        }
        const { Effect, Action, NotAction, Sid } = statement as Record<string, unknown>;
        if (Effect !== "Allow") {
            return;
        }
        const sid = typeof Sid === "string" && Sid.length > 0 ? Sid : undefined;
        if (NotAction !== undefined) {
            grants.push({ statement: index + 1, sid });
        }
        const actions = Array.isArray(Action) ? Action : Action === undefined ? [] : [Action];
        for (const action of actions) {
            if (typeof action === "string" && isWildcardAction(action)) {
                grants.push({ statement: index + 1, sid, action });
            }
        }
    });
    return { grants };
}

/** How a finding reads in a violation: `<where> statement 2 (Sid) allows "s3:*"; ...`. */
export function describeGrant(where: string, grant: WildcardGrant): string {
    const statement = `${where} statement ${grant.statement}${grant.sid ? ` (${grant.sid})` : ""}`;
    return grant.action === undefined
        ? `${statement} allows every action except its NotAction list; list the actions it needs instead`
        : `${statement} allows ${JSON.stringify(grant.action)}; list the actions it needs instead`;
}
