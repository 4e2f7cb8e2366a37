import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOfType } from "../lib/typed";
import { BlobContainerProps, StorageAccountProps, T } from "../lib/types";

/** Config of {@link azureStorageSecureTransport}. */
export interface StorageTransportConfig {
    /** Oldest TLS version an account may accept. */
    minimumTlsVersion: "TLS1_2" | "TLS1_3";
}

const TLS_ORDER = ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"];

/** Storage accounts: HTTPS only, a modern TLS floor, no anonymous blob access; containers private. */
export const azureStorageSecureTransport: ResourceValidationPolicy = {
    name: "azure-storage-secure-transport",
    description: "Azure storage accounts accept HTTPS only with TLS 1.2 or later, serve no custom domain (Azure Storage has no certificate for one) and allow no anonymous blob access; containers are private.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set enableHttpsTrafficOnly: true, minimumTlsVersion: \"TLS1_2\", allowBlobPublicAccess: false on the account and publicAccess: \"None\" on containers. To serve a static website under your own name, put Azure Front Door (managed certificate) in front of the website endpoint instead of a storage custom domain.",
    configSchema: {
        properties: {
            minimumTlsVersion: { type: "string", enum: ["TLS1_2", "TLS1_3"], default: "TLS1_2", description: "Oldest TLS version accepted." },
        },
    },
    validateResource: [
        resourceOfType<StorageAccountProps>(T.storageAccount, (props, args, reportViolation) => {
            const config = args.getConfig<StorageTransportConfig>();
            // Unset means true: Azure's default since API version 2019-04-01.
            if (props.enableHttpsTrafficOnly === false) {
                reportViolation("accepts plain HTTP (enableHttpsTrafficOnly: false): set it to true");
            }
            if (props.customDomain?.name) {
                reportViolation(`serves the custom domain ${props.customDomain.name}, which Azure Storage answers without a certificate for that name: remove customDomain and put Azure Front Door in front of the website endpoint`);
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
