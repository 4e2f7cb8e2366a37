import * as assert from "assert";
import { kubernetesNonrootNumericUser } from "../../../../policies/rules";
import { changed, findings, resource } from "../../harness";

const podSpec = {
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
    containers: [{ name: "app", image: "team:1.0", securityContext: { readOnlyRootFilesystem: true } }],
};
const deployment = resource("kubernetes:apps/v1:Deployment", "primary-app-team", { spec: { replicas: 2, template: { spec: podSpec } } });
const cronJob = resource("kubernetes:batch/v1:CronJob", "report", { spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: podSpec } } } } });

function withPod(base: typeof deployment, spec: unknown) {
    return changed(base, { spec: { replicas: 2, template: { spec } } });
}

describe("policy kubernetes-nonroot-numeric-user", () => {
    it("accepts pods that run as a numeric non-root user, and containers that do not ask for non-root", async () => {
        const rootAllowed = withPod(deployment, { containers: [{ name: "app" }] });
        assert.deepStrictEqual(await findings(kubernetesNonrootNumericUser, [deployment, cronJob, rootAllowed]), []);
    });

    it("reports runAsNonRoot without runAsUser", async () => {
        const spec = { ...podSpec, securityContext: { runAsNonRoot: true } };
        assert.deepStrictEqual(await findings(kubernetesNonrootNumericUser, [withPod(deployment, spec)]), [
            'primary-app-team: container "app" sets runAsNonRoot without a numeric runAsUser: the kubelet refuses to start it when the image\'s user is a name or root; set runAsUser (and runAsGroup) to a non-zero id',
        ]);
    });

    it("reads the container's own securityContext over the pod's, for init containers too", async () => {
        const spec = {
            securityContext: { runAsUser: 10001 },
            initContainers: [{ name: "migrate", securityContext: { runAsNonRoot: true, runAsUser: 0 } }],
            containers: [{ name: "app", securityContext: { runAsNonRoot: true } }],
        };
        assert.deepStrictEqual(await findings(kubernetesNonrootNumericUser, [withPod(deployment, spec)]), [
            'primary-app-team: init container "migrate" sets runAsNonRoot with runAsUser 0 (root): the kubelet refuses to start it; set a non-zero runAsUser',
        ]);
    });

    it("finds a CronJob's pod spec under its job template", async () => {
        const spec = { ...podSpec, securityContext: { runAsNonRoot: true } };
        const broken = changed(cronJob, { spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec } } } } });
        assert.deepStrictEqual(await findings(kubernetesNonrootNumericUser, [broken]), [
            'report: container "app" sets runAsNonRoot without a numeric runAsUser: the kubelet refuses to start it when the image\'s user is a name or root; set runAsUser (and runAsGroup) to a non-zero id',
        ]);
    });
});
