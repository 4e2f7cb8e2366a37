/** When one EKS Kubernetes minor version leaves standard and extended support (UTC dates, YYYY-MM-DD). */
export interface EksVersionSupport {
    /** First day the version is billed extended support (AWS: billing starts at the beginning of that day, UTC). */
    readonly standardSupportEnds: string;
    /** First day the version is not offered at all; AWS auto-upgrades every cluster still on it. */
    readonly extendedSupportEnds: string;
}

/** Where {@link EKS_VERSION_SUPPORT} comes from and when it was read. */
export const EKS_VERSION_SUPPORT_SOURCE = {
    url: "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar",
    calendar: "https://endoflife.date/amazon-eks",
    asOf: "2026-12-02",
} as const;

/**
 * The EKS Kubernetes release calendar: 14 months of standard support, then 12 of extended support
 * ({@link EKS_VERSION_SUPPORT_SOURCE}). Add a row when EKS releases a version.
 */
export const EKS_VERSION_SUPPORT: Readonly<Record<string, EksVersionSupport>> = {
    "1.35": { standardSupportEnds: "2027-03-27", extendedSupportEnds: "2028-03-27" },
    "1.34": { standardSupportEnds: "2026-12-02", extendedSupportEnds: "2027-12-02" },
    "1.33": { standardSupportEnds: "2026-07-29", extendedSupportEnds: "2027-07-29" },
    "1.32": { standardSupportEnds: "2026-03-23", extendedSupportEnds: "2027-03-23" },
    "1.31": { standardSupportEnds: "2025-11-26", extendedSupportEnds: "2026-11-26" },
    "1.30": { standardSupportEnds: "2025-07-23", extendedSupportEnds: "2026-07-23" },
    "1.29": { standardSupportEnds: "2025-03-23", extendedSupportEnds: "2026-03-23" },
};

/**
 * Where a version stands on a day: `standard`, `extended` (billed extended support), `ended` (not
 * offered any more). A version newer than every row is taken as a release newer than the table,
 * in standard support; one older than every row has ended.
 */
export type EksSupportStatus = "standard" | "extended" | "ended";

/** The support status of `version` (`1.35`) on a day (a Date, or YYYY-MM-DD in UTC; default: now). */
export function eksSupportStatus(version: string, on: Date | string = new Date()): EksSupportStatus {
    const today = typeof on === "string" ? on : on.toISOString().slice(0, 10);
    const row = EKS_VERSION_SUPPORT[version];
    if (!row) {
        return minorOf(version) > Math.max(...Object.keys(EKS_VERSION_SUPPORT).map(minorOf)) ? "standard" : "ended";
    }
    if (today >= row.extendedSupportEnds) {
        return "ended";
    }
    return today >= row.standardSupportEnds ? "extended" : "standard";
}

/** The newest version of the table in standard support on `today`, if any. */
export function newestStandardVersion(today: string): string | undefined {
    return Object.keys(EKS_VERSION_SUPPORT)
        .filter(version => eksSupportStatus(version, today) === "standard")
        .sort((a, b) => minorOf(b) - minorOf(a))[0];
}

/** `1.35` → 35. */
export function minorOf(version: string): number {
    return Number(version.split(".")[1] ?? "0");
}
