import * as assert from "assert";
import { AWS_INVOKE_PERMISSIONS, AWS_RESOURCE_PERMISSIONS } from "../../permissions/aws";
import { AZURE_INVOKE_PERMISSIONS, AZURE_RESOURCE_PERMISSIONS } from "../../permissions/azure";
import { permissionsFor, stackVariants, uncovered } from "../../permissions/derive";
import { noCloudInvokeReason, noCloudReason } from "../../permissions/noCloud";
import { UnknownPermissionsError } from "../../permissions/usage";
import { knownStacks } from "../../plan/stackFiles";
import { stackUse } from "./support";

describe("permissions: every declared type and invoke has an entry", () => {
    for (const stack of knownStacks()) {
        it(`${stack}: every resource type declared in every flag combination is mapped`, async () => {
            const use = await stackUse(stack);
            const unmapped = [...new Set(use.resources.map(r => r.type))].filter(type =>
                !AWS_RESOURCE_PERMISSIONS[type] && !AZURE_RESOURCE_PERMISSIONS[type] &&
                noCloudReason(type, use.resources.find(r => r.type === type)!.custom) === undefined);
            assert.deepStrictEqual(unmapped, [], `add permissions for: ${unmapped.join(", ")}`);
            assert.deepStrictEqual(uncovered(use).types, []);
        });

        it(`${stack}: every invoke the program calls is mapped`, async () => {
            const use = await stackUse(stack);
            // The program looks up the account id: proof the recorder sees the invokes.
            assert.ok(use.invokes.includes("aws:index/getCallerIdentity:getCallerIdentity"), `invokes seen: ${use.invokes.join(", ")}`);
            const unmapped = use.invokes.filter(t => !AWS_INVOKE_PERMISSIONS[t] && !AZURE_INVOKE_PERMISSIONS[t] && noCloudInvokeReason(t) === undefined);
            assert.deepStrictEqual(unmapped, [], `add permissions for invokes: ${unmapped.join(", ")}`);
        });
    }

    it("runs every flag combination: warm standby with failover off and on", async () => {
        const use = await stackUse("warm-standby");
        assert.deepStrictEqual(use.variants, ["failover=false", "failover=true"]);
        // Optional keys are on in every run, so their resources are covered too.
        for (const type of ["aws:eks/accessEntry:AccessEntry", "aws:sns/topicSubscription:TopicSubscription"]) {
            assert.ok(use.resources.some(r => r.type === type), `${type} not declared with the optional features on`);
        }
        assert.ok(use.resources.some(r => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Interface"));
    });

    it("refuses a strategy it has no flag combinations for", () => {
        assert.throws(() => stackVariants({ "multicloud-dr:strategy": "active-active" }), /strategy "active-active" has no known flag combinations/);
    });

    it("runs every flag combination: the pilot light's emergency-only types are covered", async () => {
        const use = await stackUse("pilot-light");
        assert.deepStrictEqual(use.variants, ["emergency=false serveApp=false", "emergency=true serveApp=false", "emergency=true serveApp=true"]);
        // The VMs exist only with emergency on: the merged use must hold them.
        assert.ok(use.resources.some(r => r.type === "azure-native:compute:VirtualMachine"));
    });

    it("names every unknown resource type and invoke in one error", async () => {
        const use = await stackUse("warm-standby");
        const extended = {
            ...use,
            resources: [...use.resources, { type: "aws:newservice/thing:Thing", name: "x", inputs: {}, custom: true },
                { type: "azure-native:web:WebApp", name: "y", inputs: {}, custom: true }],
            invokes: [...use.invokes, "aws:newservice/getThing:getThing"],
        };
        assert.throws(() => permissionsFor(extended), (error: Error) => {
            assert.ok(error instanceof UnknownPermissionsError);
            assert.deepStrictEqual(error.types, ["aws:newservice/thing:Thing", "azure-native:web:WebApp"]);
            assert.deepStrictEqual(error.invokes, ["aws:newservice/getThing:getThing"]);
            assert.match(error.message, /no permissions entry for resource type\(s\): aws:newservice\/thing:Thing, azure-native:web:WebApp/);
            return true;
        });
    });

    it("needs no cloud permission for local providers, components and the Kubernetes API only", () => {
        assert.ok(noCloudReason("random:index/randomId:RandomId", true));
        assert.ok(noCloudReason("kubernetes:apps/v1:Deployment", true));
        assert.ok(noCloudReason("dr:aws:Network", false));
        assert.strictEqual(noCloudReason("aws:ec2/vpc:Vpc", true), undefined);
        assert.strictEqual(noCloudReason("random:index/somethingNew:SomethingNew", true), undefined);
    });
});
