import { collectStackUse, StackUse } from "../../permissions/derive";

const uses = new Map<string, Promise<StackUse>>();

/** What every flag combination of a shipped stack declares, run once per test process. Shared: do not modify. */
export function stackUse(stack: string): Promise<StackUse> {
    let use = uses.get(stack);
    if (!use) {
        use = collectStackUse(stack);
        uses.set(stack, use);
        use.catch(() => uses.delete(stack));
    }
    return use;
}
