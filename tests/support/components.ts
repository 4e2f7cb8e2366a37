import { DeclaredResource, runProgram } from "../../plan/runOffline";

/** Declares components under the mock runtime with no stack config; returns what they declared. */
export async function declare<T>(build: () => T): Promise<{ resources: DeclaredResource[]; result: T }> {
    const run = await runProgram(build, {}, "components");
    return { resources: run.resources.filter(r => !r.type.startsWith("pulumi:")), result: run.outputs };
}

/** The error a component constructor throws, for validation tests. */
export function constructionError(build: () => unknown): Error {
    try {
        build();
    } catch (error) {
        return error as Error;
    }
    throw new Error("the component accepted its args");
}
