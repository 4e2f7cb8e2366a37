import { ResourceValidationPolicy } from "@pulumi/policy";
import { readKnown, UNKNOWN } from "../../lib/known";
import { resourceOfTypes } from "../../lib/typed";
import { RdsProps, T } from "../../lib/types";

/**
 * The stack's name as it can stand in a snapshot identifier (letters, digits and single hyphens):
 * lowercase, each run of other characters (Pulumi allows `_` and `.`) one hyphen.
 */
export function snapshotStackPart(stack: string): string {
    return stack.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/** The stack segment of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string {
    return urn.slice("urn:pulumi:".length).split("::")[0];
}

/**
 * True when `identifier` holds the stack part as whole hyphen-separated words: `db-warm-standby-final`
 * holds `warm-standby`; `db-warm-standbyx` does not. Case is ignored, as RDS stores identifiers lowercase.
 */
export function holdsStackPart(identifier: string, stackPart: string): boolean {
    return `-${identifier.toLowerCase()}-`.includes(`-${stackPart}-`);
}

/**
 * RDS instances and clusters that take a final snapshot name one no other stack of the program can
 * name. The rule, precisely: when `skipFinalSnapshot` is not true and `finalSnapshotIdentifier` is
 * known, the identifier must contain the stack's name (the URN's stack, lowercased, other
 * characters as hyphens) as whole hyphen-separated words. Snapshot names are per account and
 * region, so two stacks of one program in one account otherwise collide: the second destroy fails
 * on "already exists" and keeps the database. An identifier unknown at preview is judged at update.
 */
export const awsRdsFinalSnapshotUnique: ResourceValidationPolicy = {
    name: "aws-rds-final-snapshot-unique",
    description: "RDS final snapshot identifiers contain the stack's name, so two stacks in one account never name the same snapshot (a DB snapshot identifier is unique per account and region; DeleteDBInstance fails with DBSnapshotAlreadyExists: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Build finalSnapshotIdentifier from the resource name and pulumi.getStack() (e.g. `${name}-${stack}-final`), plus a per-deployment part (a random.RandomId kept with the database) so a redeployed stack's second destroy does not collide with its first.",
    validateResource: resourceOfTypes<RdsProps>([T.rdsInstance, T.rdsCluster], (props, args, report) => {
        if (readKnown(() => props.skipFinalSnapshot) === true) {
            return;
        }
        const identifier = readKnown(() => props.finalSnapshotIdentifier);
        if (identifier === UNKNOWN || typeof identifier !== "string" || identifier.length === 0) {
            return;
        }
        const stack = stackOfUrn(args.urn);
        const part = snapshotStackPart(stack);
        if (!holdsStackPart(identifier, part)) {
            report(`names its final snapshot "${identifier}", which does not contain the stack's name "${part}": another stack of this program in the same account and region names the same snapshot, and its destroy fails; include the stack's name`);
        }
    }),
};
