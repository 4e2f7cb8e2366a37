import * as assert from "assert";
import { EvaluatedResource } from "../../../../policies/evaluate";
import { awsRoute53RecordUnique } from "../../../../policies/rules";
import { changed, evaluate, findings, resource, UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../../harness";

/** A copy of `base` under another Pulumi name. */
function renamed(base: EvaluatedResource, name: string, inputs: Record<string, unknown> = {}): EvaluatedResource {
    return changed({ ...base, name, urn: base.urn.replace(/::[^:]+$/, `::${name}`) }, inputs);
}

const ZONE = "Z0123456789ABCDEFGHIJ";
const checked = resource("aws:route53/record:Record", "primary-entry-checked-host", { zoneId: ZONE, name: "primary.app.example.com", type: "A", aliases: [{ name: "alb.example", zoneId: "ZALB", evaluateTargetHealth: false }] });
const standbyChecked = resource("aws:route53/record:Record", "standby-entry-checked-host", { zoneId: ZONE, name: "standby.app.example.com", type: "A" });
// ACM gives both sites' certificates for app.example.com the same validation record, by design.
const validation = resource("aws:route53/record:Record", "primary-entry-cert-validation-0", { zoneId: ZONE, name: "_3f9a1c2b.app.example.com.", type: "CNAME", records: ["_x.acm-validations.aws."], ttl: 300, allowOverwrite: true });
const standbyValidation = renamed(validation, "standby-entry-cert-validation-0", { name: "_3F9A1C2B.app.example.com" });
const primaryFailover = resource("aws:route53/record:Record", "app-primary", { zoneId: ZONE, name: "app.example.com", type: "A", setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }] });
const secondaryFailover = resource("aws:route53/record:Record", "app-secondary", { zoneId: ZONE, name: "app.example.com", type: "A", setIdentifier: "secondary", failoverRoutingPolicies: [{ type: "SECONDARY" }] });
const compliant = [checked, standbyChecked, validation, standbyValidation, primaryFailover, secondaryFailover];

describe("policy aws-route53-record-unique", () => {
    it("accepts distinct records, shared validation records that all allow overwrite, and failover records with set identifiers", async () => {
        assert.deepStrictEqual(await findings(awsRoute53RecordUnique, compliant), []);
    });

    it("reports two records with the same zone, name and type, comparing names without case or trailing dot", async () => {
        const duplicate = renamed(standbyChecked, "hand-made-checked-host", { name: "PRIMARY.app.example.com." });
        assert.deepStrictEqual(await findings(awsRoute53RecordUnique, [...compliant, duplicate]), [
            `hand-made-checked-host: Route 53 records primary-entry-checked-host and hand-made-checked-host are the same record set (primary.app.example.com A in zone ${ZONE}, no setIdentifier): Route 53 refuses to create the second one as already existing. Rename one, or set allowOverwrite: true on both if they are meant to be one record`,
        ]);
    });

    it("reports shared records when one of them does not allow overwrite", async () => {
        assert.deepStrictEqual(await findings(awsRoute53RecordUnique, [checked, validation, changed(standbyValidation, { allowOverwrite: false })]), [
            `standby-entry-cert-validation-0: Route 53 records primary-entry-cert-validation-0 and standby-entry-cert-validation-0 are the same record set (_3f9a1c2b.app.example.com CNAME in zone ${ZONE}, no setIdentifier): Route 53 refuses to create the second one as already existing. Rename one, or set allowOverwrite: true on both if they are meant to be one record`,
        ]);
    });

    it("tells records apart by zone and type, and skips what is unknown at preview", async () => {
        const otherZone = renamed(checked, "other-zone", { zoneId: "Z999" });
        const otherType = renamed(checked, "other-type", { type: "AAAA" });
        const unknownName = renamed(checked, "unknown-name", { name: UNKNOWN_STRING });
        const unknownSetIdentifier = renamed(checked, "unknown-set-id", { setIdentifier: UNKNOWN_STRING });
        const unknownOverwrite = changed(standbyValidation, { allowOverwrite: UNKNOWN_BOOLEAN });
        assert.deepStrictEqual(await findings(awsRoute53RecordUnique, [checked, otherZone, otherType, unknownName, unknownSetIdentifier, validation, unknownOverwrite]), []);
    });

    it("is not applicable without records", async () => {
        const evaluation = await evaluate(awsRoute53RecordUnique, [resource("aws:ec2/eip:Eip", "nat", { region: "ap-northeast-2" })]);
        assert.deepStrictEqual(evaluation.notApplicable.map(n => n.reason), ["The stack declares no Route 53 record"]);
    });
});
