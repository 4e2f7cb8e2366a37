import * as assert from "assert";
import { RunbookUsageError, workloadSitesOf, workloadsStackNames, workloadsStackProblems } from "../../runbook/projects";

describe("runbook: the workloads stacks of an infrastructure stack", () => {
    it("defaults to <stack>-<site> and takes overrides, qualified names included", () => {
        assert.deepStrictEqual(workloadsStackNames("warm-standby"), { primary: "warm-standby-primary", standby: "warm-standby-standby" });
        assert.deepStrictEqual(workloadsStackNames("warm-standby", ["standby=acme/multicloud-dr-workloads/tokyo"]), { primary: "warm-standby-primary", standby: "acme/multicloud-dr-workloads/tokyo" });
        assert.deepStrictEqual(workloadSitesOf("pilot-light"), ["primary"]);
        assert.deepStrictEqual(workloadSitesOf("warm-standby"), ["primary", "standby"]);
    });

    it("rejects malformed and repeated overrides, all at once", () => {
        assert.throws(() => workloadsStackNames("warm-standby", ["standby=a", "standby=b", "azure=c", "primary=bad name"]), (error: Error) =>
            error instanceof RunbookUsageError
            && error.message === "--workloads-stack: site standby is given twice; \"azure=c\" is not <site>=<stack> with site primary or standby and a stack name; \"primary=bad name\" is not <site>=<stack> with site primary or standby and a stack name");
    });

    it("checks a workloads stack's config against the site and infrastructure stack it must drive", () => {
        const good = { site: "standby", infraStack: "organization/multicloud-dr/warm-standby", imageTag: "v1" };
        assert.deepStrictEqual(workloadsStackProblems(good, { site: "standby", infraStack: "warm-standby", requireImageTag: true }), []);
        assert.deepStrictEqual(workloadsStackProblems({}, { site: "standby", infraStack: "warm-standby", requireImageTag: true }), [
            "multicloud-dr-workloads:site is not set, expected standby",
            "multicloud-dr-workloads:infraStack is not set",
            "multicloud-dr-workloads:imageTag is not set, so every Deployment would run 0 pods; set it to the tag the primary runs",
        ]);
        assert.deepStrictEqual(workloadsStackProblems({ ...good, infraStack: "organization/other/warm-standby" }, { site: "standby", infraStack: "warm-standby" }), [
            "multicloud-dr-workloads:infraStack is \"organization/other/warm-standby\", expected <organization>/multicloud-dr/warm-standby",
        ]);
        assert.deepStrictEqual(workloadsStackProblems({ site: "standby", infraStack: good.infraStack }, { site: "standby", infraStack: "warm-standby" }), [], "the image tag is only required when asked");
    });
});
