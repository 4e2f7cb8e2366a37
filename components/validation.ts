/**
 * Throws one error naming the component and every problem with its args; returns when there are
 * none. Components call it before registering themselves, so bad args declare nothing.
 */
export function assertValidArgs(component: string, name: string, problems: string[]): void {
    if (problems.length > 0) {
        throw new Error(`${component} ${name}: ${problems.join("; ")}`);
    }
}
