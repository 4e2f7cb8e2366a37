import * as assert from "assert";
import { awsLambdaNoReservedConcurrency } from "../../../../policies/rules";
import { changed, evaluate, findings, resource } from "../../harness";

const fn = resource("aws:lambda/function:Function", "failover-fn", { runtime: "nodejs20.x", handler: "index.handler", memorySize: 256 });

describe("policy aws-lambda-no-reserved-concurrency", () => {
    it("accepts a function without reserved concurrency, and -1 (no reservation)", async () => {
        assert.deepStrictEqual(await findings(awsLambdaNoReservedConcurrency, [fn, changed(fn, { reservedConcurrentExecutions: -1 })]), []);
    });

    it("reports a reservation, which a new account cannot grant", async () => {
        assert.deepStrictEqual(await findings(awsLambdaNoReservedConcurrency, [changed(fn, { reservedConcurrentExecutions: 1 })]), [
            "failover-fn: reserves 1 concurrent execution(s) (reservedConcurrentExecutions): Lambda refuses a reservation that leaves the account's unreserved concurrency below its minimum, which a new account's reduced quota always does; remove it and serialize runs with a lock",
        ]);
    });

    it("stops pulumi up (mandatory): the first deploy in a fresh account would fail", async () => {
        const evaluation = await evaluate(awsLambdaNoReservedConcurrency, [changed(fn, { reservedConcurrentExecutions: 5 })]);
        assert.deepStrictEqual(evaluation.violations.map(v => v.enforcementLevel), ["mandatory"]);
    });
});
