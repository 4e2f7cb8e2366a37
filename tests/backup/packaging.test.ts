import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");
const PACKAGING = join(ROOT, "backup", "packaging");

describe("packaging: bundled artifact and systemd units", function () {
  this.timeout(120_000);

  it("npm run build:backup produces one self-contained JS file that runs with plain node", () => {
    execFileSync(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), join(PACKAGING, "build.ts")], { cwd: ROOT, stdio: "pipe" });
    const bundle = join(ROOT, "dist", "mysql-dr", "mysql-dr.js");
    // Run from / with NODE_PATH unset so nothing can come from the repository's node_modules.
    const help = execFileSync(process.execPath, [bundle, "restore", "--help"], { cwd: "/", env: { PATH: process.env.PATH ?? "" }, encoding: "utf8" });
    assert.match(help, /--until <time>/);
    assert.match(help, /--replace/);
    const status = (() => {
      try {
        execFileSync(process.execPath, [bundle, "agent"], { cwd: "/", env: { PATH: process.env.PATH ?? "" }, encoding: "utf8", stdio: "pipe" });
        return "";
      } catch (error) {
        return String((error as { stderr?: string }).stderr);
      }
    })();
    assert.match(status, /invalid configuration:[\s\S]*DR_DATABASES is required[\s\S]*DR_BLOB_SAS \(or DR_BLOB_SAS_FILE\) is required/);
    for (const file of ["mysql-dr-agent.service", "mysql-dr-restore.service", "agent.env.example", "restore.env.example", "INSTALL.md"]) {
      assert.ok(existsSync(join(ROOT, "dist", "mysql-dr", file)), `${file} ships with the bundle`);
    }
    assert.ok(existsSync(join(ROOT, "dist", "mysql-dr.tar.gz")));
  });

  it("systemd units run the bundle as an unprivileged user and take secrets as credentials, not environment", () => {
    for (const unit of ["mysql-dr-agent.service", "mysql-dr-restore.service"]) {
      const text = readFileSync(join(PACKAGING, unit), "utf8");
      assert.match(text, /^User=mysql-dr$/m);
      assert.match(text, /^ExecStart=\/usr\/bin\/node \/opt\/mysql-dr\/mysql-dr\.js (agent|restore --json)$/m);
      assert.match(text, /^LoadCredential=blob-sas:/m);
      assert.match(text, /^Environment=DR_BLOB_SAS_FILE=%d\/blob-sas$/m);
      assert.doesNotMatch(text, /sig=|PASSWORD=[^%]/);
      assert.match(text, /^NoNewPrivileges=yes$/m);
    }
    assert.match(readFileSync(join(PACKAGING, "mysql-dr-agent.service"), "utf8"), /^KillMode=control-group$/m);
  });

  it("example env files hold no secrets and name only documented keys", () => {
    const readme = readFileSync(join(ROOT, "backup", "README.md"), "utf8");
    for (const file of ["agent.env.example", "restore.env.example"]) {
      const keys = readFileSync(join(PACKAGING, file), "utf8")
        .split("\n")
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.split("=")[0]);
      assert.ok(keys.length > 3);
      for (const key of keys) {
        assert.ok(!/PASSWORD$|SAS$/.test(key), `${file} must not carry ${key}`);
        assert.ok(readme.includes(`\`${key}\``), `${key} is documented in backup/README.md`);
      }
    }
  });
});
