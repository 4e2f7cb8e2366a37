/** Tags for one child resource in any cloud: the caller's tags plus its `Name`, so the console and the bill read the same. */
export function childTags(name: string, tags: Record<string, string> | undefined, extra?: Record<string, string>): Record<string, string> {
    return { ...tags, ...extra, Name: name };
}
