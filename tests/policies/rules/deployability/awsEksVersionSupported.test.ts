import * as assert from "assert";
import { awsEksVersionSupported } from "../../../../policies/rules";
import { EKS_VERSION_SUPPORT, eksSupportStatus } from "../../../../policies/lib/eksVersions";
import { changed, findings, resource } from "../../harness";

const TODAY = { today: "2026-12-02" };
const cluster = resource("aws:eks/cluster:Cluster", "primary-eks", { version: "1.35", upgradePolicy: { supportType: "STANDARD" } });

describe("policy aws-eks-version-supported", () => {
    it("accepts a version in standard support, a version newer than the calendar, and an unset version (EKS's default)", async () => {
        assert.deepStrictEqual(await findings(awsEksVersionSupported, [cluster, changed(cluster, { version: "1.36" }), changed(cluster, { version: undefined })], TODAY), []);
    });

    it("reports 1.33, which left standard support in July 2026", async () => {
        assert.deepStrictEqual(await findings(awsEksVersionSupported, [changed(cluster, { version: "1.33" })], TODAY), [
            "primary-eks: runs Kubernetes 1.33, which left EKS standard support on 2026-07-29: AWS bills extended support ($0.60 instead of $0.10 per cluster-hour) until 2027-07-29; use 1.35 (standard support until 2027-03-27)",
        ]);
    });

    it("counts the end-of-standard-support day as extended support (billing starts at the beginning of that day)", async () => {
        assert.deepStrictEqual(await findings(awsEksVersionSupported, [changed(cluster, { version: "1.34" })], TODAY), [
            "primary-eks: runs Kubernetes 1.34, which left EKS standard support on 2026-12-02: AWS bills extended support ($0.60 instead of $0.10 per cluster-hour) until 2027-12-02; use 1.35 (standard support until 2027-03-27)",
        ]);
        assert.deepStrictEqual(await findings(awsEksVersionSupported, [changed(cluster, { version: "1.34" })], { today: "2026-12-01" }), []);
    });

    it("reports a version EKS no longer offers, listed or older than the calendar", async () => {
        assert.deepStrictEqual(await findings(awsEksVersionSupported, [changed(cluster, { version: "1.30" }), changed(cluster, { version: "1.24" })], TODAY), [
            "primary-eks: runs Kubernetes 1.30, which EKS no longer offers (extended support ended 2026-07-23): the cluster cannot be created; use 1.35 (standard support until 2027-03-27)",
            "primary-eks: runs Kubernetes 1.24, older than every version in the pack's EKS calendar: EKS no longer offers it; use 1.35 (standard support until 2027-03-27)",
        ]);
    });

    it("reports a version that is not a minor version", async () => {
        assert.deepStrictEqual(await findings(awsEksVersionSupported, [changed(cluster, { version: "1.35.2" })], TODAY), [
            'primary-eks: sets version "1.35.2", which is not an EKS minor version like 1.35; use 1.35 (standard support until 2027-03-27)',
        ]);
    });

    it("judges support on the day it runs when no date is configured", async () => {
        const today = new Date().toISOString().slice(0, 10);
        const expected = eksSupportStatus("1.33", today) === "standard" ? 0 : 1;
        assert.strictEqual((await findings(awsEksVersionSupported, [changed(cluster, { version: "1.33" })])).length, expected);
    });

    it("keeps a calendar of 14 months' standard and 12 months' extended support per version", () => {
        for (const [version, row] of Object.entries(EKS_VERSION_SUPPORT)) {
            const standardEnds = new Date(`${row.standardSupportEnds}T00:00:00Z`);
            const extendedEnds = new Date(`${row.extendedSupportEnds}T00:00:00Z`);
            assert.strictEqual(extendedEnds.getUTCFullYear() - standardEnds.getUTCFullYear(), 1, version);
            assert.strictEqual(extendedEnds.getUTCMonth(), standardEnds.getUTCMonth(), version);
        }
    });
});
