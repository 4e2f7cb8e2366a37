import * as assert from "assert";
import { cidrsOverlap, formatCidr, mustParseCidr, parseCidr, subnetAt } from "../../lib/cidr";
import { layoutSubnets } from "../../lib/subnetLayout";

describe("lib/cidr", () => {
    it("parses and formats a network", () => {
        const network = mustParseCidr("10.10.0.0/16");
        assert.strictEqual(network.prefixLength, 16);
        assert.strictEqual(formatCidr(network), "10.10.0.0/16");
    });

    for (const [text, reason] of [
        ["10.10.0.0", "not an IPv4 CIDR"],
        ["10.10.0.256/16", "octets are 0-255"],
        ["10.10.0.0/33", "octets are 0-255 and the prefix 0-32"],
        ["10.10.1.0/16", "host bits set; the network is 10.10.0.0/16"],
        ["ten.ten.0.0/16", "not an IPv4 CIDR"],
    ]) {
        it(`refuses ${text}`, () => {
            const parsed = parseCidr(text);
            assert.strictEqual(typeof parsed, "string");
            assert.ok((parsed as string).includes(reason), parsed as string);
        });
    }

    it("detects overlap in both directions and its absence", () => {
        const seoul = mustParseCidr("10.10.0.0/16");
        assert.ok(cidrsOverlap(seoul, mustParseCidr("10.10.128.0/20")));
        assert.ok(cidrsOverlap(mustParseCidr("10.10.128.0/20"), seoul));
        assert.ok(cidrsOverlap(mustParseCidr("10.0.0.0/8"), seoul));
        assert.ok(!cidrsOverlap(seoul, mustParseCidr("10.20.0.0/16")));
        assert.ok(!cidrsOverlap(seoul, mustParseCidr("10.11.0.0/16")));
    });

    it("carves subnets and refuses indexes outside the network", () => {
        const vpc = mustParseCidr("10.10.0.0/16");
        assert.strictEqual(formatCidr(subnetAt(vpc, 18, 3)), "10.10.192.0/18");
        assert.throws(() => subnetAt(vpc, 18, 4), /holds 4 \/18 subnets; index 4/);
        assert.throws(() => subnetAt(vpc, 15, 0), /cannot carve a \/15/);
    });
});

describe("lib/subnetLayout", () => {
    it("gives the seed's /16 quarter-size private and /21 public and data subnets", () => {
        const layout = layoutSubnets("10.10.0.0/16", 3);
        assert.deepStrictEqual(layout.private, ["10.10.0.0/18", "10.10.64.0/18", "10.10.128.0/18"]);
        assert.deepStrictEqual(layout.public, ["10.10.192.0/21", "10.10.200.0/21", "10.10.208.0/21"]);
        assert.deepStrictEqual(layout.data, ["10.10.224.0/21", "10.10.232.0/21", "10.10.240.0/21"]);
    });

    it("never overlaps two subnets and keeps all inside the VPC, for every supported size", () => {
        for (let prefix = 16; prefix <= 22; prefix++) {
            const vpcText = `10.0.0.0/${prefix}`;
            const vpc = mustParseCidr(vpcText);
            const layout = layoutSubnets(vpcText, 3);
            const all = [...layout.private, ...layout.public, ...layout.data].map(mustParseCidr);
            all.forEach((a, i) => {
                assert.ok(cidrsOverlap(vpc, a) && a.prefixLength >= vpc.prefixLength, `${formatCidr(a)} outside ${vpcText}`);
                all.slice(i + 1).forEach(b => assert.ok(!cidrsOverlap(a, b), `${formatCidr(a)} overlaps ${formatCidr(b)}`));
            });
            assert.ok(all.every(s => s.prefixLength <= 28), "AWS subnets are /28 at the smallest");
        }
    });

    it("refuses VPCs too large or too small and zone counts it cannot hold", () => {
        assert.throws(() => layoutSubnets("10.0.0.0/15", 3), /between \/16 and \/22/);
        assert.throws(() => layoutSubnets("10.0.0.0/23", 3), /between \/16 and \/22/);
        assert.throws(() => layoutSubnets("10.0.0.0/16", 4), /1-3 zones/);
    });
});
