/** An IPv4 network in CIDR notation, parsed. */
export interface Ipv4Network {
    /** The network address as an unsigned 32-bit integer. */
    readonly base: number;
    /** Prefix length, 0-32. */
    readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns a reason string instead of a network when the text is not a
 * well-formed IPv4 CIDR or has host bits set (10.10.1.0/16 is a typo, not a network).
 */
export function parseCidr(text: string): Ipv4Network | string {
    const match = CIDR_PATTERN.exec(text.trim());
    if (!match) {
        return `"${text}" is not an IPv4 CIDR block like 10.10.0.0/16`;
    }
    const octets = match.slice(1, 5).map(Number);
    const prefixLength = Number(match[5]);
    if (octets.some(o => o > 255) || prefixLength > 32) {
        return `"${text}" is not an IPv4 CIDR block: octets are 0-255 and the prefix 0-32`;
    }
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const base = (address & prefixMask(prefixLength)) >>> 0;
    if (base !== address) {
        return `"${text}" has host bits set; the network is ${formatCidr({ base, prefixLength })}`;
    }
    return { base, prefixLength };
}

/** Like {@link parseCidr} but throws on bad input; for values already validated. */
export function mustParseCidr(text: string): Ipv4Network {
    const parsed = parseCidr(text);
    if (typeof parsed === "string") {
        throw new Error(parsed);
    }
    return parsed;
}

/** Formats a network back to `a.b.c.d/n`. */
export function formatCidr(network: Ipv4Network): string {
    const b = network.base;
    return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${network.prefixLength}`;
}

/** True when the two networks share at least one address. */
export function cidrsOverlap(a: Ipv4Network, b: Ipv4Network): boolean {
    const shorter = Math.min(a.prefixLength, b.prefixLength);
    const mask = prefixMask(shorter);
    return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}

/**
 * The `index`-th subnet of length `newPrefixLength` inside `network`.
 * Throws when the subnet would fall outside the network.
 */
export function subnetAt(network: Ipv4Network, newPrefixLength: number, index: number): Ipv4Network {
    if (newPrefixLength < network.prefixLength || newPrefixLength > 32) {
        throw new Error(`cannot carve a /${newPrefixLength} out of ${formatCidr(network)}`);
    }
    const count = 2 ** (newPrefixLength - network.prefixLength);
    if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new Error(`${formatCidr(network)} holds ${count} /${newPrefixLength} subnets; index ${index} is out of range`);
    }
    const size = 2 ** (32 - newPrefixLength);
    return { base: (network.base + index * size) >>> 0, prefixLength: newPrefixLength };
}

function prefixMask(prefixLength: number): number {
    return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}
