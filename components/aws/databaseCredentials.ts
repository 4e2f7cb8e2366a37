import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childTags } from "../tags";

/** Length of the generated master password. */
export const PASSWORD_LENGTH = 32;
/** Punctuation RDS accepts in a MySQL master password (it refuses / @ " and space). */
export const PASSWORD_SPECIALS = "!#$%^&*()-_=+[]{}<>:?";

export interface DatabaseCredentialsArgs {
    readonly region: string;
    readonly username: string;
    readonly databaseName: string;
    /** KMS key for the secret in `region`. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * Regions the secret is replicated to, each with its own KMS key, so the credentials survive
     * the loss of `region`. Default none.
     */
    readonly replicas?: { region: string; kmsKeyArn: pulumi.Input<string> }[];
    readonly tags?: Record<string, string>;
}

/**
 * A generated MySQL master password, kept as a Pulumi secret and in Secrets Manager (replicated
 * to the standby regions) where applications and the backup agent read it. It never appears in
 * plain outputs.
 */
export class DatabaseCredentials extends pulumi.ComponentResource {
    readonly username: string;
    /** The password, as a secret Output. */
    readonly password: pulumi.Output<string>;
    readonly secretArn: pulumi.Output<string>;

    constructor(name: string, args: DatabaseCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:aws:DatabaseCredentials", name, {}, opts);
        const password = new random.RandomPassword(`${name}-password`, {
            length: PASSWORD_LENGTH,
            special: true,
            overrideSpecial: PASSWORD_SPECIALS,
            minLower: 2,
            minUpper: 2,
            minNumeric: 2,
        }, { parent: this });
        const secret = new aws.secretsmanager.Secret(`${name}-secret`, {
            region: args.region,
            description: `MySQL master credentials (${args.username})`,
            kmsKeyId: args.kmsKeyArn,
            recoveryWindowInDays: 30,
            replicas: (args.replicas ?? []).map(replica => ({ region: replica.region, kmsKeyId: replica.kmsKeyArn })),
            tags: childTags(`${name}-secret`, args.tags),
        }, { parent: this });
        new aws.secretsmanager.SecretVersion(`${name}-secret-value`, {
            region: args.region,
            secretId: secret.id,
            secretString: pulumi.jsonStringify({
                engine: "mysql",
                username: args.username,
                password: password.result,
                dbname: args.databaseName,
                port: 3306,
            }),
        }, { parent: this });
        this.username = args.username;
        this.password = pulumi.secret(password.result);
        this.secretArn = secret.arn;
        this.registerOutputs({ secretArn: this.secretArn });
    }
}
