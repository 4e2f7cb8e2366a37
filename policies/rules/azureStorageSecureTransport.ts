import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOfType } from "../lib/typed";
import { BlobContainerProps, StorageAccountProps, T } from "../lib/types";

/** Config of {@link azureStorageSecureTransport}. */
export interface StorageTransportConfig {
    /** Oldest TLS version an account may accept. */
    minimumTlsVersion: "TLS1_2" | "TLS1_3";
    /** Accounts (by Pulumi name) allowed to answer plain HTTP, each with the reason. Only custom-domain static websites qualify. */
    httpAllowed: Record<string, string>;
}

/**
 * The program's maintenance page: Azure Storage serves a custom domain over HTTP only, so the page
 * that answers http://app.<domain> while Seoul is down must accept HTTP (README, "Known limits").
 */
export const DEFAULT_HTTP_ALLOWED: Record<string, string> = {
    "maintenance-account": "Azure Storage serves a custom domain (app.<domain>) over plain HTTP only; the account holds the public maintenance page and no customer data. Azure Front Door in front would remove the need",
};

const TLS_ORDER = ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"];

/** Storage accounts: HTTPS only, a modern TLS floor, no anonymous blob access; containers private. */
export const azureStorageSecureTransport: ResourceValidationPolicy = {
    name: "azure-storage-secure-transport",
    description: "Azure storage accounts accept HTTPS only with TLS 1.2 or later and allow no anonymous blob access; containers are private. Plain HTTP only for listed custom-domain static websites.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set enableHttpsTrafficOnly: true, minimumTlsVersion: \"TLS1_2\", allowBlobPublicAccess: false on the account and publicAccess: \"None\" on containers. An account that must serve a custom domain over HTTP goes in httpAllowed with the reason.",
    configSchema: {
        properties: {
            minimumTlsVersion: { type: "string", enum: ["TLS1_2", "TLS1_3"], default: "TLS1_2", description: "Oldest TLS version accepted." },
            httpAllowed: {
                type: "object",
                additionalProperties: { type: "string", minLength: 10 },
                default: DEFAULT_HTTP_ALLOWED,
                description: "Pulumi names of accounts that may answer plain HTTP, each mapped to the reason; they must serve a custom domain and still meet the TLS and public-access rules.",
            },
        },
    },
    validateResource: [
        resourceOfType<StorageAccountProps>(T.storageAccount, (props, args, reportViolation) => {
            const config = args.getConfig<StorageTransportConfig>();
            const exemption = config.httpAllowed[args.name];
            if (props.enableHttpsTrafficOnly === false) {
                if (exemption === undefined) {
                    reportViolation("accepts plain HTTP (enableHttpsTrafficOnly: false): set it to true, or list the account in httpAllowed with the reason");
                } else if (!props.customDomain?.name) {
                    reportViolation(`is listed in httpAllowed but serves no custom domain, the only reason to accept plain HTTP: set enableHttpsTrafficOnly: true`);
                }
            }
            const tls = props.minimumTlsVersion;
            if (tls === undefined) {
                reportViolation(`does not set minimumTlsVersion (older accounts default to TLS1_0): set it to ${config.minimumTlsVersion}`);
            } else if (TLS_ORDER.indexOf(tls) < TLS_ORDER.indexOf(config.minimumTlsVersion)) {
                reportViolation(`accepts ${tls}: set minimumTlsVersion to ${config.minimumTlsVersion}`);
            }
            if (props.allowBlobPublicAccess !== false) {
                reportViolation("does not set allowBlobPublicAccess: false, so a container could be made readable by anyone");
            }
        }),
        resourceOfType<BlobContainerProps>(T.blobContainer, (props, _args, reportViolation) => {
            if (props.publicAccess !== undefined && props.publicAccess !== "None") {
                reportViolation(`lets anyone read its blobs (publicAccess: ${JSON.stringify(props.publicAccess)}): set it to "None"`);
            }
        }),
    ],
};
