import { spawnSync } from "child_process";
import * as path from "path";
import { knownStacks, REPO_ROOT } from "../plan/stackFiles";

/**
 * Times `npm run plan -- --stack <s> --json` per stack as a user runs it (a fresh process each
 * time, ts-node start-up included) and prints the figures. A benchmark, not a test: no threshold.
 */
function main(): void {
    const runs = Number(process.argv[2] ?? 3);
    const rows: string[] = [];
    for (const stack of knownStacks()) {
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
            const start = process.hrtime.bigint();
            const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(REPO_ROOT, "plan", "cli.ts"), "--stack", stack, "--json"], { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
            const seconds = Number(process.hrtime.bigint() - start) / 1e9;
            if (result.status !== 0) {
                throw new Error(`plan --stack ${stack} exited ${result.status}: ${result.stderr}`);
            }
            times.push(seconds);
        }
        times.sort((a, b) => a - b);
        rows.push(`${stack.padEnd(14)} runs ${runs}  min ${times[0].toFixed(2)} s  median ${times[Math.floor(times.length / 2)].toFixed(2)} s  max ${times[times.length - 1].toFixed(2)} s`);
    }
    console.log("plan wall time per stack (fresh process each run)");
    rows.forEach(row => console.log(row));
}

main();
