import { X509Certificate } from "crypto";
import { rootCertificates } from "tls";

/**
 * Root CAs Azure Database for MySQL flexible server certificates chain to: DigiCert Global Root G2
 * and Microsoft RSA Root Certificate Authority 2017, plus DigiCert Global Root CA while servers
 * still rotate off it (https://learn.microsoft.com/azure/mysql/flexible-server/concepts-root-certificate-rotation).
 */
export const AZURE_MYSQL_ROOT_CAS = [
    "DigiCert Global Root G2",
    "Microsoft RSA Root Certificate Authority 2017",
    "DigiCert Global Root CA",
] as const;

/**
 * The PEM bundle the restore verifies Azure MySQL's certificate with, taken from Node's bundled
 * Mozilla root store, so the VM downloads nothing for it and the bundle is what was tested.
 */
export function azureMysqlCaBundle(): string {
    const byName = new Map(rootCertificates.map(pem => [/(?:^|\n)CN=([^\n]+)/.exec(new X509Certificate(pem).subject)?.[1], pem]));
    const missing = AZURE_MYSQL_ROOT_CAS.filter(name => !byName.has(name));
    if (missing.length > 0) {
        throw new Error(`Node's root store lacks ${missing.join(", ")}; Azure MySQL's certificates chain to them`);
    }
    return AZURE_MYSQL_ROOT_CAS.map(name => byName.get(name)!.trim()).join("\n") + "\n";
}
