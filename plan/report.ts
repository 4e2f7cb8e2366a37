import Table from "cli-table3";
import { regionOf } from "./cost/estimate";
import { FRONT_ALTERNATIVES, FrontAlternative } from "./cost/prices";
import { PlanDiff } from "./diff";
import { Plan } from "./plan";
import { EvaluatedPolicy, isMandatory, PlanViolation } from "./policies";
import { buildTree, countByRegion, countByType, isCloudResource, renderTree } from "./tree";

/** The machine-readable plan (`--json`). */
export function planJson(plan: Plan, diff?: PlanDiff): Record<string, unknown> {
    return {
        stack: plan.stack,
        offline: true,
        sets: plan.sets,
        strategy: plan.config.strategy,
        resources: plan.resources.filter(isCloudResource).map(r => ({
            type: r.type,
            name: r.name,
            region: regionOf(r) ?? null,
            parent: r.parentUrn ?? null,
            protect: r.protect,
        })),
        policies: plan.policies,
        violations: plan.violations,
        cost: plan.cost,
        ...(declaresMaintenanceFront(plan) ? { maintenanceFrontAlternatives: FRONT_ALTERNATIVES } : {}),
        objectives: plan.objectives,
        ...(diff ? { diff } : {}),
    };
}

/** A compact text table. */
export function table(head: string[], rows: (string | number)[][]): string {
    const t = new Table({ head, style: { head: [], border: [], compact: true } });
    t.push(...rows.map(row => row.map(String)));
    return t.toString();
}

/** A text table whose long cells wrap at the given column widths. */
function wrappedTable(head: string[], colWidths: number[], rows: string[][]): string {
    const t = new Table({ head, colWidths, wordWrap: true, style: { head: [], border: [], compact: true } });
    t.push(...rows);
    return t.toString();
}

function usd(amount: number): string {
    return `$${amount.toFixed(2)}`;
}

/** True when the plan declares the pilot light's HTTPS maintenance front (a Front Door profile). */
function declaresMaintenanceFront(plan: Plan): boolean {
    return plan.resources.some(r => r.type === "azure-native:cdn:Profile");
}

/** The HTTPS fronts the maintenance page could use, side by side, the declared one marked. */
export function frontAlternativesText(alternatives: readonly FrontAlternative[] = FRONT_ALTERNATIVES): string[] {
    return [
        "HTTPS front for the maintenance page, compared (base fee per month; usage on top):",
        wrappedTable(["option", "base", "declared", "why"], [30, 10, 10, 80], alternatives.map(a => [a.option, usd(a.baseUsdPerMonth), a.declared ? "yes" : "no", a.why])),
    ];
}

/** The policy results for people: a count line, then a table of the violations if there are any. */
export function policiesText(policies: readonly EvaluatedPolicy[], violations: readonly PlanViolation[]): string[] {
    const mandatory = violations.filter(isMandatory);
    const out = [`Policies: ${policies.length} evaluated, ${violations.length} violation(s), ${mandatory.length} mandatory`];
    if (violations.length > 0) {
        out.push(table(["policy", "level", "resource", "message"],
            violations.map(v => [v.policy, v.enforcementLevel, v.resource ? `${v.resource.name} (${v.resource.type})` : "(stack)", v.message])));
    }
    return out;
}

/** The plan for people: tree, counts, policies, cost, objectives, and the diff when asked. */
export function planText(plan: Plan, diff?: PlanDiff): string {
    const cloud = plan.resources.filter(isCloudResource);
    const out: string[] = [];
    out.push(`Offline plan of stack "${plan.stack}" (${plan.config.strategy}${Object.keys(plan.sets).length ? `, with ${Object.entries(plan.sets).map(([k, v]) => `${k}=${v}`).join(" ")}` : ""})`);
    out.push("This is what the program declares, run under Pulumi's mock runtime with the stack's config file.");
    out.push("It is not a provider preview: no cloud was asked, so it cannot see drift, quotas or existing resources.");
    out.push("");
    out.push(`Resources: ${cloud.length}`);
    out.push(...renderTree(buildTree(plan.resources)));
    out.push("");
    out.push(table(["type", "count"], countByType(plan.resources).map(c => [c.type, c.count])));
    out.push(table(["region", "count"], countByRegion(plan.resources).map(c => [c.region, c.count])));
    out.push("");
    out.push(...policiesText(plan.policies, plan.violations));
    out.push("");
    out.push(`Monthly cost estimate: ${usd(plan.cost.monthlyUsd)} for what is priced, plus usage (list prices; sources in plan/cost/prices.ts)`);
    out.push(`  by site: ${Object.entries(plan.cost.monthlyUsdBySite).map(([site, amount]) => `${site} ${usd(amount)}`).join(", ")}`);
    const byKey = new Map<string, { quantity: number; usd: number }>();
    for (const item of plan.cost.items) {
        const key = `${item.priceKey} [${item.resource.region ?? "global"}]`;
        const sum = byKey.get(key) ?? { quantity: 0, usd: 0 };
        byKey.set(key, { quantity: sum.quantity + item.quantity, usd: sum.usd + item.monthlyUsd });
    }
    out.push(table(["item", "quantity", "per month"], [...byKey].sort((a, b) => b[1].usd - a[1].usd).map(([key, v]) => [key, v.quantity, usd(v.usd)])));
    if (plan.cost.unpriced.length > 0) {
        const reasons = new Map<string, number>();
        for (const u of plan.cost.unpriced) {
            const key = `${u.type}: ${u.reason}`;
            reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
        out.push(`Not priced (usage-based or no price in the table), ${plan.cost.unpriced.length} resource(s):`);
        out.push(...[...reasons].map(([reason, count]) => `  ${count} x ${reason}`));
    }
    if (declaresMaintenanceFront(plan)) {
        out.push(...frontAlternativesText());
    }
    out.push("");
    const o = plan.objectives;
    out.push(`Recovery objectives (${o.targets.source})`);
    out.push(`  target RTO ${o.targets.rtoMinutes.min}-${o.targets.rtoMinutes.max} min, RPO ${o.targets.rpoSeconds.min}-${o.targets.rpoSeconds.max} s`);
    if (o.detectionSeconds !== undefined) {
        out.push(`  detection: ${o.detectionSeconds} s worst case (${o.detectionFormula})`);
    }
    out.push(table(["recovery step", "minutes", "basis"], o.path.map(s => [`${s.concurrentWithPrevious ? "(alongside) " : ""}${s.step}`, `${s.minutes.min}-${s.minutes.max}`, s.basis])));
    out.push(`  implied RTO ${o.rtoMinutes.min}-${o.rtoMinutes.max} min`);
    out.push(table(["data store", "loss (s)", "basis"], o.dataLoss.map(d => [d.store, `${d.seconds.min}-${d.seconds.max ?? "unbounded"}`, d.basis])));
    out.push(`  ${o.withinTargets ? "within" : "NOT within"} the strategy's targets (worst-case path and database loss)`);
    if (diff) {
        out.push("");
        out.push(diffText(diff));
    }
    return out.join("\n");
}

/** A flag flip's effect for people. */
export function diffText(diff: PlanDiff): string {
    const out: string[] = [];
    const change = Object.entries(diff.change).map(([k, v]) => `${k}=${v}`).join(" ");
    const delta = diff.monthlyUsdAfter - diff.monthlyUsdBefore;
    out.push(`Diff for ${change}: +${diff.added.length} added, -${diff.removed.length} removed, ~${diff.changed.length} changed; cost ${usd(diff.monthlyUsdBefore)} -> ${usd(diff.monthlyUsdAfter)} (${delta >= 0 ? "+" : "-"}${usd(Math.abs(delta))}/month)`);
    const rows = [
        ...diff.added.map(e => ["+", e.name, e.type, e.region ?? "", ""]),
        ...diff.removed.map(e => ["-", e.name, e.type, e.region ?? "", ""]),
        ...diff.changed.map(e => ["~", e.name, e.type, e.region ?? "", e.inputs.join(", ")]),
    ];
    if (rows.length > 0) {
        out.push(table(["", "name", "type", "region", "changed inputs"], rows));
    }
    if (diff.blockedByProtection.length > 0) {
        out.push(`pulumi up would stop: protected resources would be deleted: ${diff.blockedByProtection.map(e => e.name).join(", ")}`);
    }
    return out.join("\n");
}
