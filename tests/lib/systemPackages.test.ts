import * as assert from "assert";
import { missingPackages } from "../../lib/debianPackages";
import { SYSTEM_PACKAGES } from "../support/systemPackages";
import { BENCH_PACKAGES } from "../../backup/bench/packages";

describe("system packages the suite and the benchmark need", () => {
    it("names each Debian package whose programs are missing, and none when all are there", () => {
        assert.deepStrictEqual(missingPackages(SYSTEM_PACKAGES, () => true), []);
        assert.deepStrictEqual(missingPackages(SYSTEM_PACKAGES, () => false), SYSTEM_PACKAGES.map(p => p.name));
        assert.deepStrictEqual(missingPackages(SYSTEM_PACKAGES, program => program !== "systemd-analyze"), ["systemd"]);
        assert.deepStrictEqual(missingPackages(SYSTEM_PACKAGES, program => program !== "/usr/sbin/mariadbd"), ["mariadb-server"], "a package counts as missing when any of its programs is");
    });

    it("the benchmark asks for the az CLI as Debian's azure-cli, beside MariaDB", () => {
        assert.deepStrictEqual(missingPackages(BENCH_PACKAGES, program => program !== "az"), ["azure-cli"]);
        assert.ok(BENCH_PACKAGES.some(p => p.name === "mariadb-server"));
    });

    it("the benchmark asks for mydumper when mydumper or myloader is missing", () => {
        assert.deepStrictEqual(missingPackages(BENCH_PACKAGES, program => program !== "myloader"), ["mydumper"]);
        assert.deepStrictEqual(missingPackages(BENCH_PACKAGES, program => program !== "mydumper"), ["mydumper"]);
    });
});

describe("ensureDebianPackages without the right to install", () => {
    it("stops at once with one line naming the apt-get command, and installs nothing", function () {
        this.timeout(60_000);
        const script = `require("${require.resolve("../../lib/debianPackages").replace(/\.ts$/, "")}").ensureDebianPackages([{ name: "dr-no-such-package", provides: ["dr-no-such-program"], why: "test" }], "bench:backup")`;
        const node = [process.execPath, "-r", require.resolve("ts-node/register/transpile-only"), "-e", script];
        // As root the function would install; run it as an unprivileged user, as a developer would.
        const command = process.getuid?.() === 0 ? ["runuser", "-u", "nobody", "--", ...node] : node;
        const run = require("child_process").spawnSync(command[0], command.slice(1), { encoding: "utf8", cwd: "/tmp", env: { ...process.env, HOME: "/tmp", TS_NODE_PROJECT: require.resolve("../../tsconfig.json") } });
        assert.notStrictEqual(run.status, 0, run.stderr);
        assert.match(run.stderr, /bench:backup needs Debian packages that are not installed: apt-get install -y dr-no-such-package \(as root\), then run it again/);
        assert.doesNotMatch(run.stderr, /installing what/);
    });
});
