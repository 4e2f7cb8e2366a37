import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesCluster, KubernetesClusterArgs, validateKubernetesClusterArgs } from "../../components/aws";
import { declare } from "../support/components";
import { valueOf } from "../../plan/mockCloud";
import { named, ofType, statementsOf } from "../support/query";

const base: KubernetesClusterArgs = {
    region: "ap-northeast-1",
    accountId: "123456789012",
    version: "1.35",
    subnetIds: ["subnet-a", "subnet-b"],
    instanceType: "t3.large",
    desiredNodes: 2,
    maxNodes: 6,
};

describe("component: KubernetesCluster", () => {
    it("defaults to a private endpoint, access entries, audit logs and KMS-encrypted secrets", async () => {
        const { resources } = await declare(() => new KubernetesCluster("k", base));
        const cluster = named(resources, "aws:eks/cluster:Cluster", "k-eks");
        assert.strictEqual(cluster.inputs.region, "ap-northeast-1");
        assert.strictEqual(cluster.inputs.vpcConfig.endpointPrivateAccess, true);
        assert.strictEqual(cluster.inputs.vpcConfig.endpointPublicAccess, false);
        assert.strictEqual(cluster.inputs.accessConfig.authenticationMode, "API");
        assert.deepStrictEqual(cluster.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
        assert.match(cluster.inputs.encryptionConfig.provider.keyArn, /^arn:aws:kms:ap-northeast-1:/);
        const kmsUse = named(resources, "aws:iam/rolePolicy:RolePolicy", "k-cluster-kms");
        assert.deepStrictEqual(statementsOf(kmsUse.inputs.policy)[0].Resource, cluster.inputs.encryptionConfig.provider.keyArn);
        assert.strictEqual(named(resources, "aws:kms/key:Key", "k-secrets-key").protect, true, "losing the secrets key loses the cluster's secrets for good");
        const unprotected = await declare(() => new KubernetesCluster("k", { ...base, protectSecretsKey: false }));
        assert.strictEqual(named(unprotected.resources, "aws:kms/key:Key", "k-secrets-key").protect, false);
    });

    it("grants nobody implicit admin, keeps existing clusters' bootstrap flag (it forces replacement), and picks the upgrade policy", async () => {
        let ignored: string[] | undefined;
        const { resources } = await declare(() => {
            pulumi.runtime.registerStackTransformation(args => {
                if (args.type === "aws:eks/cluster:Cluster") {
                    ignored = args.opts.ignoreChanges;
                }
                return undefined;
            });
            return new KubernetesCluster("k", base);
        });
        const cluster = named(resources, "aws:eks/cluster:Cluster", "k-eks");
        assert.strictEqual(cluster.inputs.accessConfig.bootstrapClusterCreatorAdminPermissions, false);
        assert.deepStrictEqual(ignored, ["accessConfig.bootstrapClusterCreatorAdminPermissions"]);
        assert.deepStrictEqual(cluster.inputs.upgradePolicy, { supportType: "STANDARD" });
        assert.strictEqual(named(resources, "aws:eks/nodeGroup:NodeGroup", "k-nodes").inputs.version, cluster.inputs.version,
            "the node group follows the control plane's version, so an upgrade rolls the nodes too");
        assert.deepStrictEqual(ofType(resources, "aws:eks/accessEntry:AccessEntry"), [], "no access entry unless listed");
        const extended = await declare(() => new KubernetesCluster("k", { ...base, version: "1.33", extendedSupport: true }));
        assert.deepStrictEqual(named(extended.resources, "aws:eks/cluster:Cluster", "k-eks").inputs.upgradePolicy, { supportType: "EXTENDED" });
    });

    it("sizes the node group from its args with a floor of 1 and IMDSv2 nodes", async () => {
        const { resources } = await declare(() => new KubernetesCluster("k", base));
        const group = named(resources, "aws:eks/nodeGroup:NodeGroup", "k-nodes");
        assert.deepStrictEqual(group.inputs.scalingConfig, { desiredSize: 2, minSize: 1, maxSize: 6 });
        const template = named(resources, "aws:ec2/launchTemplate:LaunchTemplate", "k-nodes-lt");
        assert.deepStrictEqual(template.inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        assert.deepStrictEqual(ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(a => a.inputs.policyArn.split("/").pop()).sort(),
            ["AmazonEC2ContainerRegistryReadOnly", "AmazonEKSClusterPolicy", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"]);
    });

    it("registers an OIDC provider for IRSA from the cluster's issuer", async () => {
        const { resources, result } = await declare(() => new KubernetesCluster("k", base));
        const oidc = named(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "k-oidc");
        assert.match(oidc.inputs.url, /^https:\/\/oidc\.eks\.ap-northeast-1\.amazonaws\.com\/id\//);
        assert.deepStrictEqual(oidc.inputs.clientIdLists, ["sts.amazonaws.com"]);
        assert.strictEqual(await valueOf(result.oidcIssuerUrl), oidc.inputs.url);
    });

    it("opens the public endpoint only to listed networks and grants listed admins", async () => {
        const admin = "arn:aws:iam::123456789012:role/platform-admin";
        const { resources } = await declare(() => new KubernetesCluster("k", { ...base, publicAccessCidrs: ["203.0.113.0/24"], adminPrincipalArns: [admin] }));
        const cluster = named(resources, "aws:eks/cluster:Cluster", "k-eks");
        assert.strictEqual(cluster.inputs.vpcConfig.endpointPublicAccess, true);
        assert.deepStrictEqual(cluster.inputs.vpcConfig.publicAccessCidrs, ["203.0.113.0/24"]);
        assert.strictEqual(named(resources, "aws:eks/accessEntry:AccessEntry", "k-admin-0").inputs.principalArn, admin);
        assert.match(named(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "k-admin-0").inputs.policyArn, /AmazonEKSClusterAdminPolicy$/);
    });

    it("writes a kubeconfig that gets tokens from the AWS CLI for its region, as a secret", async () => {
        const { result } = await declare(() => new KubernetesCluster("k", base));
        assert.strictEqual(await pulumi.isSecret(result.kubeconfig), true);
        const config = JSON.parse(await valueOf(result.kubeconfig));
        assert.strictEqual(config.clusters[0].cluster.server, await valueOf(result.endpoint));
        assert.deepStrictEqual(config.users[0].user.exec.args.slice(-4), ["--region", "ap-northeast-1", "--output", "json"]);
    });

    it("refuses sizes out of order, a world-open endpoint, a single subnet and an admin listed twice", () => {
        assert.deepStrictEqual(validateKubernetesClusterArgs({
            ...base, desiredNodes: 8, publicAccessCidrs: ["0.0.0.0/0"], subnetIds: ["s"],
            adminPrincipalArns: ["arn:aws:iam::123456789012:role/Ops", "arn:aws:iam::123456789012:role/ops"],
        }), [
            "desiredNodes 8 must lie between minNodes 1 and maxNodes 6",
            "publicAccessCidrs must not open the API endpoint to the whole internet",
            "subnetIds: EKS needs subnets in at least two zones",
            "adminPrincipalArns: arn:aws:iam::123456789012:role/ops listed twice; EKS allows one access entry per principal",
        ]);
        assert.throws(() => new KubernetesCluster("bad", { ...base, minNodes: 3, desiredNodes: 2 }), /KubernetesCluster bad: desiredNodes 2 must lie between minNodes 3/);
    });
});
