/** When one EKS Kubernetes minor version leaves standard and extended support (UTC dates, YYYY-MM-DD). */
export interface EksVersionSupport {
    /** First day the version is billed extended support; AWS auto-upgrades clusters with a STANDARD upgrade policy then. */
    readonly standardSupportEnds: string;
    /** First day the version is not offered at all; AWS auto-upgrades every cluster still on it. */
    readonly extendedSupportEnds: string;
}

/** Where {@link EKS_VERSION_SUPPORT} comes from and when it was read. */
export const EKS_VERSION_SUPPORT_SOURCE = {
    url: "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
    calendar: "https://endoflife.date/amazon-eks",
    asOf: "2026-12-02",
} as const;

/**
 * The EKS Kubernetes release calendar: 14 months of standard support, then 12 of extended support
 * ({@link EKS_VERSION_SUPPORT_SOURCE}, read 2026-12-02). Add a row when EKS releases a version.
 */
export const EKS_VERSION_SUPPORT: Readonly<Record<string, EksVersionSupport>> = {
    "1.35": { standardSupportEnds: "2027-03-27", extendedSupportEnds: "2028-03-27" },
    "1.34": { standardSupportEnds: "2026-12-02", extendedSupportEnds: "2027-12-02" },
    "1.33": { standardSupportEnds: "2026-07-29", extendedSupportEnds: "2027-07-29" },
    "1.32": { standardSupportEnds: "2026-03-23", extendedSupportEnds: "2027-03-23" },
    "1.31": { standardSupportEnds: "2025-11-26", extendedSupportEnds: "2026-11-26" },
    "1.30": { standardSupportEnds: "2025-07-23", extendedSupportEnds: "2026-07-23" },
};

/**
 * Where a version stands on `now`: `standard`, `extended` (billed extended support), `ended` (not
 * offered any more). A version newer than every row is taken as a new release in standard support;
 * one older than every row has ended.
 */
export type EksSupportStatus = "standard" | "extended" | "ended";

/** The support status of `version` (`1.35`) on `now`. */
export function eksSupportStatus(version: string, now: Date = new Date()): EksSupportStatus {
    const row = EKS_VERSION_SUPPORT[version];
    if (!row) {
        const known = Object.keys(EKS_VERSION_SUPPORT).map(minorOf);
        return minorOf(version) > Math.max(...known) ? "standard" : "ended";
    }
    const today = now.toISOString().slice(0, 10);
    if (today >= row.extendedSupportEnds) {
        return "ended";
    }
    return today >= row.standardSupportEnds ? "extended" : "standard";
}

function minorOf(version: string): number {
    return Number(version.split(".")[1] ?? "0");
}
