import * as assert from "assert";
import { runStack } from "../support/stacks";
import { valueOf } from "../../plan/mockCloud";
import { WorkloadSite } from "../../lib/workloadSite";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0dGVzdGtleWZvcm11bHRpY2xvdWRkcnRlc3RzMDAwMDAw ops@example.com";

/** Every stack and flag combination a user can deploy. */
const COMBINATIONS: { stack: string; flags: Record<string, unknown>; sites: string[] }[] = [
    { stack: "warm-standby", flags: { "multicloud-dr:failover": false }, sites: ["primary", "standby"] },
    { stack: "warm-standby", flags: { "multicloud-dr:failover": true }, sites: ["primary", "standby"] },
    { stack: "pilot-light", flags: { "multicloud-dr:emergency": false, "multicloud-dr:serveApp": false }, sites: ["primary"] },
    { stack: "pilot-light", flags: { "multicloud-dr:emergency": true, "multicloud-dr:serveApp": false, "multicloud-dr:azureSshPublicKey": SSH_KEY }, sites: ["primary"] },
    { stack: "pilot-light", flags: { "multicloud-dr:emergency": true, "multicloud-dr:serveApp": true, "multicloud-dr:azureSshPublicKey": SSH_KEY }, sites: ["primary"] },
];

describe("program: the infrastructure never needs the Kubernetes API", () => {
    for (const { stack, flags, sites } of COMBINATIONS) {
        const label = `${stack} ${Object.entries(flags).filter(([key]) => !key.endsWith("SshPublicKey")).map(([key, value]) => `${key.split(":")[1]}=${value}`).join(" ")}`;
        it(`${label}: declares no Kubernetes resource or provider, and exports ${sites.join(" and ")} for the workloads project`, async () => {
            const run = await runStack<{ workloadSites: Record<string, unknown> }>(stack, flags);
            const kubernetes = run.resources.filter(r => r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes").map(r => `${r.type}::${r.name}`);
            assert.deepStrictEqual(kubernetes, []);
            assert.ok(run.resources.some(r => r.type === "aws:eks/cluster:Cluster"), "the clusters themselves are still here");
            assert.deepStrictEqual(Object.keys(run.outputs.workloadSites).sort(), sites);
            for (const name of sites) {
                const site = await valueOf(run.outputs.workloadSites[name] as any) as WorkloadSite;
                assert.match(site.cluster.endpoint, /^https:\/\//);
                assert.match(site.workloadRoleArn, /^arn:aws:iam::\d{12}:role\//);
            }
        });
    }
});
