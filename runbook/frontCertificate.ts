/**
 * The maintenance front's certificate revalidation. Front Door renews a managed certificate by
 * itself only while the custom domain's CNAME points at it; the pilot light's `app.<domain>`
 * points at Seoul whenever Seoul is healthy, so 45 days before expiry the domain waits for a new
 * `_dnsauth` token (https://learn.microsoft.com/azure/frontdoor/domain). These are the commands
 * that give it one, built from the stack's outputs.
 */
export function frontCertificateCommands(outputs: Record<string, unknown>): string[] | undefined {
    const group = outputs.azureResourceGroup;
    const profile = outputs.maintenanceFrontProfile;
    const domain = outputs.maintenanceFrontDomain;
    if (typeof group !== "string" || typeof profile !== "string" || typeof domain !== "string") {
        return undefined;
    }
    const target = `-g ${group} --profile-name ${profile} --custom-domain-name ${domain}`;
    return [
        `az afd custom-domain show ${target} --query "{state: domainValidationState, expires: validationProperties.expirationDate}"`,
        `az afd custom-domain regenerate-validation-token ${target}   # only when the state is PendingRevalidation`,
        "pulumi up --refresh   # writes the new token into the _dnsauth TXT record",
    ];
}
