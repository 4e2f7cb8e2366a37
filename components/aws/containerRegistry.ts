import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Untagged images older than this are expired, in days. */
export const UNTAGGED_IMAGE_DAYS = 14;

export interface ContainerRegistryArgs {
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** Repository names, used as is (image references depend on them). */
    readonly repositoryNames: string[];
    /** Refuse to overwrite a tag once pushed. Default false (the seed pushes `:latest`). */
    readonly immutableTags?: boolean;
    /**
     * Regions every push is copied to by ECR registry replication. The repositories are declared
     * there too, so they carry the same scanning, tag and lifecycle settings. Default none.
     */
    readonly replicaRegions?: string[];
    readonly tags?: Record<string, string>;
}

/** Problems with registry args, one string each. */
export function validateContainerRegistryArgs(args: ContainerRegistryArgs): string[] {
    const problems: string[] = [];
    if (args.repositoryNames.length === 0) {
        problems.push("repositoryNames: at least one repository is needed");
    }
    const bad = args.repositoryNames.filter(n => !/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(n) || n.length > 256);
    if (bad.length > 0) {
        problems.push(`repositoryNames: ${bad.join(", ")} not valid ECR names`);
    }
    if ((args.replicaRegions ?? []).includes(args.region)) {
        problems.push("replicaRegions: the registry's own region cannot be a replica");
    }
    return problems;
}

/**
 * ECR repositories with scan-on-push and untagged-image expiry, replicated to other regions by
 * the registry's replication rule (one per account and region: this component owns it).
 */
export class ContainerRegistry extends pulumi.ComponentResource {
    /** Repository URLs by name, in the primary region. */
    readonly repositoryUrls: Record<string, pulumi.Output<string>>;
    /** Repository URLs by region, then name, in each replica region. */
    readonly replicaRepositoryUrls: Record<string, Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("ContainerRegistry", name, validateContainerRegistryArgs(args));
        super("dr:aws:ContainerRegistry", name, {}, opts);
        const replicaRegions = args.replicaRegions ?? [];
        const repositoriesIn = (region: string, suffix: string) => Object.fromEntries(args.repositoryNames.map(repoName => {
            const repository = new aws.ecr.Repository(`${name}-${repoName}${suffix}`, {
                region,
                name: repoName,
                imageTagMutability: args.immutableTags ? "IMMUTABLE" : "MUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "AES256" }],
                forceDelete: false,
                tags: childTags(repoName, args.tags),
            }, { parent: this });
            new aws.ecr.LifecyclePolicy(`${name}-${repoName}${suffix}-lifecycle`, {
                region,
                repository: repository.name,
                policy: JSON.stringify({
                    rules: [{
                        rulePriority: 1,
                        description: `expire untagged images after ${UNTAGGED_IMAGE_DAYS} days`,
                        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_IMAGE_DAYS },
                        action: { type: "expire" },
                    }],
                }),
            }, { parent: this });
            return [repoName, repository.repositoryUrl];
        }));

        this.repositoryUrls = repositoriesIn(args.region, "");
        this.replicaRepositoryUrls = Object.fromEntries(replicaRegions.map(region => [region, repositoriesIn(region, `-${region}`)]));
        if (replicaRegions.length > 0) {
            new aws.ecr.ReplicationConfiguration(`${name}-replication`, {
                region: args.region,
                replicationConfiguration: {
                    rules: [{
                        destinations: replicaRegions.map(region => ({ region, registryId: args.accountId })),
                        repositoryFilters: args.repositoryNames.map(repoName => ({ filter: repoName, filterType: "PREFIX_MATCH" })),
                    }],
                },
            }, { parent: this });
        }
        this.registerOutputs({ repositoryUrls: this.repositoryUrls });
    }
}
