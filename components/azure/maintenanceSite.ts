import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childTags } from "../tags";

/** Private container the emergency VMs download their tools from. */
export const TOOLS_CONTAINER = "dr-tools";

export interface MaintenanceSiteArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    /** The service's name on the page. */
    readonly serviceName: string;
    /** Files published privately in the tools container, by blob name. Default none. */
    readonly tools?: Record<string, pulumi.asset.Asset>;
    /** When the tools SAS expires (ISO 8601). */
    readonly sasExpiry: string;
    readonly tags?: Record<string, string>;
}

/** The page shown while the service is down: plain, honest, no scripts, no external assets. */
export function maintenancePage(serviceName: string): string {
    return [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        `<title>${escapeHtml(serviceName)} is temporarily unavailable</title>`,
        "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>",
        "</head><body>",
        `<h1>${escapeHtml(serviceName)} is temporarily unavailable</h1>`,
        "<p>Our primary site is down. We are restoring service in a standby site and will be back as soon as the data has been verified.</p>",
        "<p>Nothing you saved before the outage is being discarded. Please try again later.</p>",
        "</body></html>",
        "",
    ].join("\n");
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * A maintenance page outside AWS that costs cents a month: an Azure Storage static website, HTTPS
 * only, that the maintenance front (Front Door, {@link MaintenanceFront}) serves under the
 * service's own name, so Route 53's SECONDARY record can send users somewhere honest the moment
 * the primary fails. The account has no custom domain (a storage custom domain cannot carry a
 * certificate) and accepts no plain HTTP. The same account keeps a private tools container (HTTPS
 * SAS only) from which emergency VMs fetch the restore tool.
 */
export class MaintenanceSite extends pulumi.ComponentResource {
    readonly accountName: pulumi.Output<string>;
    /** Host of the static website endpoint, e.g. `<account>.z12.web.core.windows.net`. */
    readonly webHost: pulumi.Output<string>;
    /** `https://<account>.blob.core.windows.net/dr-tools` */
    readonly toolsUrl: pulumi.Output<string>;
    /** Read-only SAS for the tools container. Secret. */
    readonly toolsSas: pulumi.Output<string>;

    constructor(name: string, args: MaintenanceSiteArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:azure:MaintenanceSite", name, {}, opts);
        const rg = args.resourceGroupName;
        const parent = { parent: this };

        // A generated name, kept: changing how it is derived would replace the account.
        const suffix = new random.RandomString(`${name}-suffix`, { length: 10, special: false, upper: false }, parent);
        const accountName = pulumi.interpolate`drsite${suffix.result}`;

        const account = new storage.StorageAccount(`${name}-account`, {
            resourceGroupName: rg,
            location: args.location,
            accountName,
            kind: "StorageV2",
            sku: { name: "Standard_LRS" },
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: true,
            allowCrossTenantReplication: false,
            tags: childTags(`${name}-account`, args.tags),
        }, parent);

        const website = new storage.StorageAccountStaticWebsite(`${name}-website`, {
            resourceGroupName: rg,
            accountName: account.name,
            indexDocument: "index.html",
            error404Document: "index.html",
        }, parent);
        new storage.Blob(`${name}-index`, {
            resourceGroupName: rg,
            accountName: account.name,
            containerName: website.containerName,
            blobName: "index.html",
            type: "Block",
            contentType: "text/html; charset=utf-8",
            source: new pulumi.asset.StringAsset(maintenancePage(args.serviceName)),
        }, parent);

        const tools = new storage.BlobContainer(`${name}-tools`, {
            resourceGroupName: rg,
            accountName: account.name,
            containerName: TOOLS_CONTAINER,
            publicAccess: "None",
        }, parent);
        for (const [blobName, source] of Object.entries(args.tools ?? {})) {
            new storage.Blob(`${name}-tool-${blobName.replace(/[^a-z0-9-]/gi, "-")}`, {
                resourceGroupName: rg,
                accountName: account.name,
                containerName: tools.name,
                blobName,
                type: "Block",
                source,
            }, parent);
        }

        this.accountName = account.name;
        this.webHost = account.primaryEndpoints.apply(endpoints => new URL(endpoints.web ?? "https://invalid.invalid").host);
        this.toolsUrl = pulumi.interpolate`https://${account.name}.blob.core.windows.net/${tools.name}`;
        this.toolsSas = pulumi.secret(storage.listStorageAccountServiceSASOutput({
            resourceGroupName: rg,
            accountName: account.name,
            canonicalizedResource: pulumi.interpolate`/blob/${account.name}/${tools.name}`,
            resource: "c",
            permissions: "r",
            protocols: "https",
            sharedAccessExpiryTime: args.sasExpiry,
        }, parent).serviceSasToken);
        this.registerOutputs({ accountName: this.accountName, webHost: this.webHost, toolsUrl: this.toolsUrl });
    }
}
