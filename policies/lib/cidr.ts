/** An address block: IPv4 or IPv6, as an inclusive range of addresses. */
export interface AddressBlock {
    readonly family: 4 | 6;
    readonly start: bigint;
    readonly end: bigint;
    readonly prefixLength: number;
}

/** Parses `10.0.0.0/16` or `fd00::/8`; undefined when the text is not a CIDR block. */
export function parseCidr(text: string): AddressBlock | undefined {
    const [address, prefixText, extra] = text.trim().split("/");
    if (extra !== undefined || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) {
        return undefined;
    }
    const prefixLength = Number(prefixText);
    const parsed = address.includes(":") ? parseIpv6(address) : parseIpv4(address);
    if (parsed === undefined) {
        return undefined;
    }
    const bits = parsed.family === 4 ? 32 : 128;
    if (prefixLength > bits) {
        return undefined;
    }
    const hostBits = BigInt(bits - prefixLength);
    const start = (parsed.value >> hostBits) << hostBits;
    return { family: parsed.family, start, end: start + (1n << hostBits) - 1n, prefixLength };
}

/** Parses a single IPv4 address into a number; undefined when invalid. */
export function parseIpv4Address(text: string): bigint | undefined {
    return parseIpv4(text)?.value;
}

/** True when the two blocks share at least one address (blocks of different families never do). */
export function overlaps(a: AddressBlock, b: AddressBlock): boolean {
    return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/** True for 0.0.0.0/0 and ::/0 (however written): the whole internet. */
export function isWholeInternet(block: AddressBlock): boolean {
    return block.prefixLength === 0;
}

function parseIpv4(text: string): { family: 4; value: bigint } | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || parts.some(part => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
        return undefined;
    }
    return { family: 4, value: parts.reduce((value, part) => (value << 8n) + BigInt(Number(part)), 0n) };
}

function parseIpv6(text: string): { family: 6; value: bigint } | undefined {
    const halves = text.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const groups = (half: string) => (half === "" ? [] : half.split(":"));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - head.length - tail.length;
    if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
        return undefined;
    }
    const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
    if (all.some(group => !/^[0-9a-f]{1,4}$/i.test(group))) {
        return undefined;
    }
    return { family: 6, value: all.reduce((value, group) => (value << 16n) + BigInt(parseInt(group, 16)), 0n) };
}
