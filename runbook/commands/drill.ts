import { spawn } from "child_process";
import { REPO_ROOT } from "../../plan/stackFiles";
import { RunbookContext } from "../context";

/** Runs the local DR drill (`npm run drill`), passing its arguments through, on the timeline. */
export async function drill(ctx: RunbookContext, args: string[]): Promise<number> {
    return ctx.timeline.step("local drill (npm run drill)", () => new Promise<number>((resolve, reject) => {
        const child = spawn("npm", ["run", "--silent", "drill", "--", ...args], { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit"] });
        child.on("error", reject);
        child.on("exit", code => resolve(code ?? 1));
    }), code => `exit ${code}`);
}
