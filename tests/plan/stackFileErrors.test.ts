import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stackFileConfig, StackFileError } from "../../plan/stackFiles";

/** A broken `Pulumi.bad.yaml` and the message fragment it must produce. */
const BROKEN: [string, string, RegExp][] = [
    ["a bad flow list", "config:\n  multicloud-dr:services: [web, app\n  multicloud-dr:strategy: pilot-light\n", /^Pulumi\.bad\.yaml:\d+:\d+: not valid YAML: /],
    ["tab indentation", "config:\n\tmulticloud-dr:strategy: pilot-light\n", /^Pulumi\.bad\.yaml:2:1: not valid YAML: .*spaces, not tabs/],
    ["config: as a list", "config:\n  - multicloud-dr:strategy: pilot-light\n", /^Pulumi\.bad\.yaml: `config:` must be a map of keys to values \(key: value\), not a list$/],
    ["a list at the top", "- config\n", /^Pulumi\.bad\.yaml: the file must be a map with a `config:` key, not a list$/],
    ["config: as a string", "config: pilot-light\n", /^Pulumi\.bad\.yaml: `config:` must be a map .* not string$/],
];

describe("stack files: a broken Pulumi.<stack>.yaml is named, with where and what, not a parser stack trace", () => {
    for (const [what, text, message] of BROKEN) {
        it(what, () => {
            const root = fs.mkdtempSync(path.join(os.tmpdir(), "stackfile-"));
            fs.writeFileSync(path.join(root, "Pulumi.bad.yaml"), text);
            assert.throws(() => stackFileConfig("bad", root), (error: unknown) => {
                assert.ok(error instanceof StackFileError, String(error));
                assert.match(error.message, message);
                return true;
            });
            fs.rmSync(root, { recursive: true, force: true });
        });
    }

    it("still reads an empty file and a file without config as no keys", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "stackfile-"));
        fs.writeFileSync(path.join(root, "Pulumi.empty.yaml"), "");
        fs.writeFileSync(path.join(root, "Pulumi.noconfig.yaml"), "encryptionsalt: abc\n");
        assert.deepStrictEqual([stackFileConfig("empty", root), stackFileConfig("noconfig", root)], [{}, {}]);
        fs.rmSync(root, { recursive: true, force: true });
    });
});
